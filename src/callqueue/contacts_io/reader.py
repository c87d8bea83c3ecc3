"""One entry for reading a contacts file, whatever its kind and encoding."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, tzinfo
from pathlib import Path

from callqueue.contacts_io.csv_read import MappingError, read_csv
from callqueue.contacts_io.record import ReadResult
from callqueue.contacts_io.source import (
    ContactsFileError,
    decode,
    detect_kind,
    read_bytes,
    unicode_encoding,
)
from callqueue.contacts_io.vcard import read_vcard
from callqueue.store.bulk import paused_gc


def read_contacts(path: Path, mapping: Sequence[str] = (), zone: tzinfo = UTC) -> ReadResult:
    """Parse `path` (CSV or vCard) into records; naive times in it are read in `zone`.

    Touches no store. Raises a UserError for a missing, unreadable or
    unrecognised file, a CSV file without contact rows, and a bad ``--map``.
    """
    with paused_gc():
        return _read(path, mapping, zone)


def _read(path: Path, mapping: Sequence[str], zone: tzinfo) -> ReadResult:
    data = read_bytes(path)
    try:
        head = data[:400].decode(unicode_encoding(data) or "latin-1", "replace")
    except ContactsFileError as exc:
        raise ContactsFileError(f"{path} {exc}") from None
    if detect_kind(path, head) == "vcard":
        if mapping:
            raise MappingError("--map applies to CSV files only; vCard fields are fixed")
        return read_vcard(data, path, zone)  # decodes value by value, after unfolding
    decoded = decode(data, path)
    result = read_csv(decoded.text, path, mapping, zone)
    result.encoding = decoded.encoding
    if decoded.warning:
        result.notices.insert(0, decoded.warning)
    return result
