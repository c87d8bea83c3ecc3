"""Results posted back to the UI thread by the thread workers."""

from __future__ import annotations

from datetime import datetime

from textual.message import Message

from callqueue.day.views import QueueEntry, TimelineItem


class QueueRanked(Message):
    """A re-rank finished; `seq` says which request it answers (older ones are dropped)."""

    def __init__(self, seq: int, entries: list[QueueEntry], now: datetime) -> None:
        super().__init__()
        self.seq = seq
        self.entries = entries
        self.now = now


class QueueRankFailed(Message):
    def __init__(self, seq: int, error: str) -> None:
        super().__init__()
        self.seq = seq
        self.error = error


class TimelinesLoaded(Message):
    """Side-panel timelines by contact id, read at store generation `generation`."""

    def __init__(self, generation: int, timelines: dict[int, tuple[TimelineItem, ...]]) -> None:
        super().__init__()
        self.generation = generation
        self.timelines = timelines
