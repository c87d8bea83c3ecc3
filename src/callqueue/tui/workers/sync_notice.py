"""What one `r` brought, said once: "Synced: 3 new clicks, 2 new messages." or "Synced:
nothing new (link tracker https://t.example)."

`r` wakes the mail sync and the click watch, each on its own worker; before this, a sync
that found nothing, or found clicks, said nothing at all (tester report 1, item 21), so a
rep could not tell a quiet tracker from a dead key. `SyncNotice` waits for the syncs the
key started (each worker hands it the summaries of its next sync through `expect()`) and
then notifies once. Errors are in it too: the workers say a failure only when it is new,
so a second `r` against the same broken server would otherwise be silent again.

The click and message alerts (`callqueue.tui.alerts`) still say who clicked or wrote;
this notice says what the sync did.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from callqueue.present import count

if TYPE_CHECKING:
    from callqueue.sync.sources import SourceSummary

Deliver = Callable[["Sequence[SourceSummary]"], None]
"""What a worker calls, on the app's thread, with the summaries of the sync it ran."""

NOUNS = {"clicks": ("new click", "new clicks"), "mail": ("new message", "new messages")}
SENT = ("email sent from the outbox", "emails sent from the outbox")


def _where(source: str) -> str:
    """`tracker:https://t.example` -> `link tracker https://t.example`; `mail:rep@x` ->
    `rep@x`; an outbox is not named (it is not somewhere the rep looks for news)."""
    kind, _, name = source.partition(":")
    if kind == "tracker":
        return f"link tracker {name}"
    return name or kind


def _failure(summary: SourceSummary) -> str:
    """The error, named by where it happened unless it names that itself."""
    error = summary.error or ""
    name = summary.source.partition(":")[2]
    return error if name and name in error else f"{_where(summary.source)}: {error}"


def describe(summaries: Sequence[SourceSummary]) -> tuple[str, bool]:
    """The notice's sentence and whether any source failed.

    New items are summed per kind over every summary (the mail sync runs the tracker's
    source too; each click is stored once, so the sum counts each once).
    """
    new: dict[str, int] = {}
    for s in summaries:
        if s.error is None and s.new:
            new[s.kind] = new.get(s.kind, 0) + s.new
    parts = [count(new[kind], *NOUNS[kind]) for kind in NOUNS if new.get(kind)]
    if new.get("outbox"):
        parts.append(count(new["outbox"], *SENT))
    errors = list(dict.fromkeys(_failure(s) for s in summaries if s.error))
    places = list(
        dict.fromkeys(_where(s.source) for s in summaries if not s.error and s.kind != "outbox")
    )
    if parts:
        text = "Synced: " + ", ".join(parts) + "."
    elif places or not errors:
        text = "Synced: nothing new" + (f" ({', '.join(places)})." if places else ".")
    else:
        return "Sync failed: " + "; ".join(errors), True
    if errors:
        text += " Failed: " + "; ".join(errors)
    return text, bool(errors)


class SyncNotice:
    """Collects the summaries of the syncs one `r` started; `say(text, failed)` once the
    last has arrived.

    `expect()` one callback per sync the key starts, then `close()`: until then the
    notice waits even if a sync has already delivered (or a worker had nothing to run
    and delivered nothing at once).
    """

    def __init__(self, say: Callable[[str, bool], None]) -> None:
        self.say = say
        self.waiting = 1
        """Syncs still to deliver, plus one until `close`."""
        self.expected = 0
        self.summaries: list[SourceSummary] = []

    def expect(self) -> Deliver:
        """A callback for one more sync to wait for (a second call is ignored)."""
        self.waiting += 1
        self.expected += 1
        done = False

        def deliver(summaries: Sequence[SourceSummary]) -> None:
            nonlocal done
            if not done:
                done = True
                self.summaries.extend(summaries)
                self._one_less()

        return deliver

    def not_started(self, deliver: Deliver) -> None:
        """The worker given `deliver` had nothing to sync (no account, no tracker)."""
        self.expected -= 1
        deliver(())

    def close(self) -> None:
        """Every sync is expected: say it once they have all delivered."""
        self._one_less()

    def _one_less(self) -> None:
        self.waiting -= 1
        if self.waiting == 0 and self.expected:
            self.say(*describe(self.summaries))
