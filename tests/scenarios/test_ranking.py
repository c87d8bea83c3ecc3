"""Ranking: the issue's reason sentences, weights from config, overdue over due, ties."""

from __future__ import annotations

import json

from tests.scenarios.conftest import Scenario


def test_the_issues_reason_sentences(sc: Scenario) -> None:
    click = sc.add("Click Person", at="2026-11-20T10:00Z")
    sc.add("Mail Person", at="2026-11-20T10:00Z")
    sc.add("Lead Person", "--lead", at="2026-11-23T09:40Z")
    sc.add("Follow Person", at="2026-11-20T10:00Z")
    birthday = sc.tmp / "b.csv"
    birthday.write_text(
        "Name,Email,Birthday\nBirth Person,b@x.example,1980-11-23\n", encoding="utf-8"
    )
    sc.ok("contacts", "import", str(birthday), "--at", "2026-11-20T10:00Z")
    sc.click(click, "2026-11-23T09:56Z")
    sc.message("mail", "2026-11-23T09:35Z")
    sc.ok("follow-up", "follow", "2026-11-21T10:00Z", "--at", "2026-11-20T10:00Z")
    reasons = {e["contact"]["name"]: e["reason"] for e in sc.queue("2026-11-23T10:00Z")}
    assert reasons == {
        "Click Person": "clicked Pricing PDF 4 min ago",
        "Mail Person": "email waiting 25 min, target in 5 min",
        "Lead Person": "new lead 20 min, not called",
        "Follow Person": "follow-up overdue 2 days",
        "Birth Person": "birthday today",
    }


def test_terms_explain_the_score(sc: Scenario) -> None:
    dana = sc.add("Dana Reyes", "--lead", at="2026-11-23T09:50Z")
    sc.message("dana", "2026-11-23T09:55Z")
    sc.click(dana, "2026-11-23T09:58Z")
    entry = sc.queue("2026-11-23T10:00Z")[0]
    terms = entry["terms"]
    assert sorted(t["kind"] for t in terms) == ["click", "lead", "message"]
    assert abs(sum(t["contribution"] for t in terms) - entry["score"]) < 1e-3
    for t in terms:
        assert abs(t["weight"] * t["measure"] - t["contribution"]) < 1e-3
        assert set(t) >= {
            "kind",
            "detail",
            "at",
            "age_minutes",
            "measure",
            "weight",
            "contribution",
        }
    contributions = [t["contribution"] for t in terms]
    assert contributions == sorted(contributions, reverse=True)
    assert entry["reason"] == "clicked Pricing PDF 2 min ago"
    assert entry["signal_at"] == "2026-11-23T09:58:00Z"


def test_weights_come_from_the_config(sc: Scenario) -> None:
    sc.add("Lead Person", "--lead", at="2026-11-23T09:00Z")
    sc.add("Mail Person", at="2026-11-20T10:00Z")
    sc.message("mail", "2026-11-23T09:59Z")
    assert sc.names("2026-11-23T10:00Z") == ["Lead Person", "Mail Person"]
    sc.configure('timezone = "UTC"\n[weights]\nmessage = 100.0\n')
    queue = sc.queue("2026-11-23T10:00Z")
    assert [e["contact"]["name"] for e in queue] == ["Mail Person", "Lead Person"]
    assert queue[0]["terms"][0]["weight"] == 100.0


def test_overdue_outranks_merely_due_of_the_same_kind(sc: Scenario) -> None:
    for name in ("Due Lead", "Late Lead"):
        sc.add(
            name, "--lead", at="2026-11-23T09:00Z" if name == "Late Lead" else "2026-11-23T09:59Z"
        )
    sc.add("Due Mail", at="2026-11-20T10:00Z")
    sc.add("Late Mail", at="2026-11-20T10:00Z")
    sc.message("due mail", "2026-11-23T10:29Z")  # 30 min old at 10:59: not yet late
    sc.message("late mail", "2026-11-23T10:28Z")  # 31 min old: 1 min late
    queue = sc.queue("2026-11-23T10:59Z")
    order = [e["contact"]["name"] for e in queue]
    assert order.index("Late Mail") < order.index("Due Mail")
    assert order.index("Late Lead") < order.index("Due Lead")


def test_ties_break_by_contact_id_and_the_order_is_deterministic(sc: Scenario) -> None:
    for name in ("Zed Last", "Amy First", "Mia Middle"):
        sc.add(name, "--lead", at="2026-11-23T10:00Z")
    first = sc.ok("queue", "--json", "--at", "2026-11-23T10:10Z")
    data = json.loads(first)
    assert [e["contact"]["name"] for e in data] == ["Zed Last", "Amy First", "Mia Middle"]
    assert len({e["score"] for e in data}) == 1
    assert all(sc.ok("queue", "--json", "--at", "2026-11-23T10:10Z") == first for _ in range(2))


def test_limit_keeps_the_best(sc: Scenario) -> None:
    sc.add("Old Lead", "--lead", at="2026-11-23T09:00Z")
    sc.add("New Lead", "--lead", at="2026-11-23T09:55Z")
    data = json.loads(sc.ok("queue", "--json", "--limit", "1", "--at", "2026-11-23T10:00Z"))
    assert [(e["rank"], e["contact"]["name"]) for e in data] == [(1, "Old Lead")]


def test_contact_fields_in_the_entry(sc: Scenario) -> None:
    sc.add(
        "Dana Reyes",
        "--email",
        "Dana@Acme.example",
        "--email",
        "d2@acme.example",
        "--phone",
        "+1 555 0100",
        "--company",
        "Acme",
        "--timezone",
        "America/Chicago",
        "--lead",
        at="2026-11-23T15:00Z",
    )
    contact = sc.queue("2026-11-23T15:05Z")[0]["contact"]
    assert contact == {
        "id": 1,
        "name": "Dana Reyes",
        "company": "Acme",
        "emails": ["dana@acme.example", "d2@acme.example"],
        "phones": ["+1 555 0100"],
        "timezone": "America/Chicago",
    }


def test_contact_show_carries_the_true_rank(sc: Scenario) -> None:
    sc.add("Old Lead", "--lead", at="2026-11-23T09:00Z")
    sc.add("New Lead", "--lead", at="2026-11-23T09:55Z")
    show = json.loads(sc.ok("contact", "show", "new lead", "--json", "--at", "2026-11-23T10:00Z"))
    assert (show["in_queue"], show["entry"]["rank"]) == (True, 2)


def test_every_json_output_has_its_documented_shape(sc: Scenario) -> None:
    from tests.day.shape import check_eod, check_inbox, check_queue

    dana = sc.add(
        "Dana Reyes",
        "--email",
        "dana@acme.example",
        "--phone",
        "+1 555 0100",
        "--timezone",
        "America/Chicago",
        "--lead",
        at="2026-11-23T09:00Z",
    )
    sc.add("Bob Stone", at="2026-11-20T10:00Z")
    sc.message("bob", "2026-11-23T09:10Z", channel="voicemail")
    sc.click(dana, "2026-11-23T09:20Z")
    sc.ok("follow-up", "bob", "now", "--kind", "quote", "--at", "2026-11-23T09:30Z")
    sc.ok("dial", "dana", "--at", "2026-11-23T09:40Z")
    at = "2026-11-23T12:00Z"
    queue = sc.queue(at)
    check_queue(queue)
    assert [(e["contact"]["name"], e["state"], len(e["terms"])) for e in queue] == [
        ("Dana Reyes", "open_call", 0),  # the open call acted on her lead and click
        ("Bob Stone", "callable", 2),
    ]
    check_inbox(sc.inbox(at))
    check_eod(sc.eod(at))
