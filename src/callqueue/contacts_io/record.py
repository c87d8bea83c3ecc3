"""What a reader hands the importer: one contact as found in the file, with its line."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class DateValue:
    """An important date; `year` is None for year-less dates (``--03-05``)."""

    kind: str  # birthday | anniversary | custom
    month: int
    day: int
    year: int | None = None
    label: str | None = None


@dataclass(slots=True)
class ContactRecord:
    """One row or card. Empty strings never appear: a missing value is None or absent."""

    line: int
    name: str | None = None
    company: str | None = None
    title: str | None = None
    timezone: str | None = None
    notes: str | None = None
    do_not_call: bool | None = None
    lead_source: str | None = None
    lead_created_at: datetime | None = None
    emails: list[tuple[str, str | None]] = field(default_factory=list)
    phones: list[tuple[str, str | None]] = field(default_factory=list)
    dates: list[DateValue] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Issue:
    """A skipped row (or a warning about one value) at a physical line of the file."""

    line: int
    text: str


@dataclass(slots=True)
class ReadResult:
    """What a reader found: records, skipped rows and ignored values (each at its line),
    and notices about the whole file (its encoding, ignored columns, a preamble)."""

    kind: str  # csv | vcard
    records: list[ContactRecord]
    skipped: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    encoding: str = "utf-8"
    notices: list[str] = field(default_factory=list)
