"""One entry for reading a contacts file, whatever its kind and encoding."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, tzinfo
from pathlib import Path

from callqueue.contacts_io.bulk import paused_gc
from callqueue.contacts_io.csv_read import MappingError, read_csv
from callqueue.contacts_io.record import ReadResult
from callqueue.contacts_io.source import decode, detect_kind, read_bytes
from callqueue.contacts_io.vcard import read_vcard


def read_contacts(path: Path, mapping: Sequence[str] = (), zone: tzinfo = UTC) -> ReadResult:
    """Parse `path` (CSV or vCard) into records; naive times in it are read in `zone`.

    Touches no store. Raises a UserError for a missing, unreadable or
    unrecognised file and for a bad ``--map``.
    """
    with paused_gc():
        return _read(path, mapping, zone)


def _read(path: Path, mapping: Sequence[str], zone: tzinfo) -> ReadResult:
    data = read_bytes(path)
    text, encoding = decode(data, path)
    kind = detect_kind(path, text)
    if kind == "vcard":
        if mapping:
            raise MappingError("--map applies to CSV files only; vCard fields are fixed")
        result = read_vcard(text, path, zone)
    else:
        result = read_csv(text, path, mapping, zone)
    result.encoding = encoding
    return result
