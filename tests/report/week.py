"""One working week, 2026-W48 (Mon 23 to Sun 29 November 2026), built with the commands.

The rep works in UTC, 09:00-17:00 Monday to Friday (the default hours). Every instant
and every expected figure is written out here, so the tests check exact values.
"""

from __future__ import annotations

from tests.report.conftest import ReportScenario

WEEK = "2026-W48"
AT = "2026-11-30T12:00Z"
"""The report's now: Monday after the week, noon."""


def build_week(sc: ReportScenario) -> dict[str, int]:
    """The week; returns ids by name (contacts, messages, follow-ups)."""
    sc.configure('timezone = "UTC"\n')
    ids: dict[str, int] = {}
    # Leads: arrival -> first call (business minutes).
    ids["ada"] = sc.add("Ada Park", "--lead", at="2026-11-23T10:00Z")
    sc.log("ada", "2026-11-23T10:12Z", note="intro call")  # 12 min
    ids["ben"] = sc.add("Ben Ode", "--lead", at="2026-11-23T22:00Z")  # after hours
    sc.log("ben", "2026-11-24T09:20Z", note="wants pricing")  # 20 min from the opening
    ids["cy"] = sc.add("Cy Moss", "--phone", "+1 555 0101", "--lead", at="2026-11-24T16:50Z")
    sc.log("cy", "2026-11-25T09:10Z", outcome="meeting-booked")  # 10 + 10 = 20 min
    ids["dee"] = sc.add("Dee Lamb", "--lead", at="2026-11-25T11:00Z")
    sc.click(ids["dee"], "2026-11-25T12:45Z")  # called 15 min later: within
    sc.log("dee", "2026-11-25T13:00Z", outcome="no-answer")  # 120 min: late
    ids["eve"] = sc.add("Eve Hart", "--lead", at="2026-11-26T10:00Z")  # never contacted

    # Customer messages.
    ids["m1"] = sc.message("ada", "2026-11-23T11:00Z")
    sc.ok("clear", str(ids["m1"]), "--how", "replied", "--at", "2026-11-23T11:10Z")  # 10 min
    ids["m2"] = sc.message("ben", "2026-11-24T16:45Z", channel="voicemail", text="call me")
    sc.ok("clear", str(ids["m2"]), "--how", "replied", "--at", "2026-11-25T09:05Z")  # next day
    ids["m3"] = sc.message("cy", "2026-11-25T18:00Z", channel="text", text="is it on?")
    sc.ok("clear", str(ids["m3"]), "--how", "replied", "--at", "2026-11-26T09:30Z")  # 30 min
    ids["m4"] = sc.message("dee", "2026-11-26T10:00Z", text="thanks!")
    sc.ok("clear", str(ids["m4"]), "--how", "no-action", "--at", "2026-11-26T10:05Z")
    ids["m5"] = sc.message("eve", "2026-11-27T14:00Z")  # never answered

    # Promises.
    ids["f1"] = sc.follow_up("ada", "now", "info", at="2026-11-23T10:15Z")
    sc.ok("done", str(ids["f1"]), "--at", "2026-11-23T10:50Z")  # within 60 min
    ids["f2"] = sc.follow_up("ben", "now", "info", at="2026-11-24T09:25Z")
    sc.ok("done", str(ids["f2"]), "--at", "2026-11-24T11:00Z")  # 95 min: late
    ids["f3"] = sc.follow_up("cy", "now", "quote", at="2026-11-25T09:15Z")
    sc.ok("done", str(ids["f3"]), "--at", "2026-11-25T16:00Z")  # same day
    ids["f4"] = sc.follow_up("dee", "2026-11-25T13:05Z", "quote", at="2026-11-25T13:05Z")
    sc.ok("done", str(ids["f4"]), "--at", "2026-11-26T10:00Z")  # next day: late
    ids["f5"] = sc.follow_up("ada", "2026-11-26T15:00Z", "call", at="2026-11-23T10:20Z")
    sc.log("ada", "2026-11-26T15:10Z", outcome="no-answer")  # closes the call-back
    ids["f6"] = sc.follow_up("ben", "2026-11-27T10:00Z", "call", at="2026-11-24T09:30Z")

    # More calls: one dialled and never logged, one connected without notes.
    sc.ok("dial", "cy", "--at", "2026-11-27T11:00Z")
    sc.log("dee", "2026-11-27T14:30Z")

    # Clicks (no command records them yet: inserted as the tracker sync would).
    sc.click(ids["ada"], "2026-11-23T14:00Z")  # never called within target
    sc.click(ids["ada"], "2026-11-23T14:00:30Z", verdict="scanner")
    sc.click(ids["eve"], "2026-11-27T16:55Z")  # never called
    return ids
