"""A small validator for the documented `--json` shapes (no schema library needed)."""

from __future__ import annotations

import re
from typing import Any

ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def _time(value: Any, where: str, *, nullable: bool = False) -> None:
    if value is None and nullable:
        return
    assert isinstance(value, str), f"{where}: {value!r} not a string"
    assert ISO_Z.match(value), f"{where}: {value!r} not ISO Z"


def _number(value: Any, where: str) -> None:
    assert isinstance(value, int | float), where
    assert not isinstance(value, bool), where


def check_contact(c: Any, where: str) -> None:
    assert isinstance(c, dict), where
    assert {"id", "name", "company", "emails", "phones"} <= set(c), where
    assert isinstance(c["id"], int), where
    assert isinstance(c["name"], str), where
    assert c["company"] is None or isinstance(c["company"], str), where
    for key in ("emails", "phones"):
        assert isinstance(c[key], list), where
        assert all(isinstance(x, str) for x in c[key]), where


def check_queue(data: Any) -> None:
    assert isinstance(data, list)
    for n, e in enumerate(data, start=1):
        where = f"entry {n}"
        assert isinstance(e, dict), where
        assert {"rank", "contact", "score", "reason", "waiting_until", "terms"} <= set(e)
        assert e["rank"] == n, where
        check_contact(e["contact"], where)
        _number(e["score"], where)
        assert isinstance(e["reason"], str), where
        assert e["reason"], where
        _time(e["waiting_until"], where, nullable=True)
        assert e["state"] in ("open_call", "callable", "waiting"), where
        assert (e["state"] == "open_call") == isinstance(e["open_call_id"], int), where
        _time(e["open_call_at"], where, nullable=e["state"] != "open_call")
        assert isinstance(e["terms"], list), where
        assert e["terms"] or e["state"] == "open_call", where  # queued for its open call
        for t in e["terms"]:
            assert {
                "kind",
                "detail",
                "at",
                "age_minutes",
                "measure",
                "weight",
                "contribution",
                "deadline",
            } <= set(t), where
            assert t["kind"] in (
                "click",
                "message",
                "lead",
                "follow_up_call",
                "follow_up_info",
                "follow_up_quote",
                "date",
            ), where
            assert isinstance(t["detail"], str), where
            _time(t["at"], where)
            _time(t["deadline"], where, nullable=True)
            for key in ("age_minutes", "measure", "weight", "contribution"):
                _number(t[key], where)
        assert abs(sum(t["contribution"] for t in e["terms"]) - e["score"]) < 1e-2, where


def check_inbox(data: Any) -> None:
    assert isinstance(data, list)
    for i in data:
        assert {
            "id",
            "contact",
            "channel",
            "subject",
            "snippet",
            "at",
            "age_minutes",
            "deadline",
            "overdue",
        } <= set(i)
        if i["contact"] is not None:
            check_contact(i["contact"], "inbox")
        assert i["channel"] in ("email", "voicemail", "text")
        _time(i["at"], "inbox")
        _time(i["deadline"], "inbox")
        assert isinstance(i["overdue"], bool)


EOD_LISTS = (
    "uncleared_messages",
    "calls_without_outcome",
    "calls_without_notes",
    "signals_past_target",
    "leads_past_target",
    "overdue_follow_ups",
)


def check_eod(data: Any) -> None:
    assert isinstance(data, dict)
    assert isinstance(data["clean"], bool)
    _time(data["at"], "eod")
    for name in EOD_LISTS:
        assert isinstance(data[name], list), name
        for item in data[name]:
            assert {
                "kind",
                "contact",
                "at",
                "deadline",
                "detail",
                "signal_kind",
                "ref_id",
                "call_id",
                "message_id",
                "follow_up_id",
            } <= set(item), name
            _time(item["at"], name)
            _time(item["deadline"], name, nullable=True)
            assert "Z)" not in item["detail"], "times are fields, not text"
            # each item names the row to act on, by the id its command takes
            wanted = {
                "uncleared_messages": "message_id",
                "calls_without_outcome": "call_id",
                "calls_without_notes": "call_id",
                "overdue_follow_ups": "follow_up_id",
            }.get(name)
            if wanted:
                assert isinstance(item[wanted], int), name
                assert item[wanted] == item["ref_id"], name
    blocking = any(data[name] for name in EOD_LISTS[:-1])
    assert data["clean"] is not blocking
