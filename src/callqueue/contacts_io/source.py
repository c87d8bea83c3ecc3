"""Reading a contacts file's bytes: which kind it is and which text encoding it uses."""

from __future__ import annotations

import codecs
from pathlib import Path

from callqueue.errors import UserError

CSV_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
VCARD_SUFFIXES = frozenset({".vcf", ".vcard"})
_SPREADSHEET_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


class ContactsFileError(UserError):
    """A contacts file is missing, unreadable, of an unknown kind or malformed."""


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ContactsFileError(f"no such file: {path}; check the path") from None
    except IsADirectoryError:
        raise ContactsFileError(f"{path} is a directory; pass a .csv or .vcf file") from None
    except OSError as exc:
        raise ContactsFileError(
            f"cannot read {path}: {exc.strerror}; check its permissions"
        ) from None


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without BOM, UTF-16 with BOM (or plainly
    UTF-16 by its zero bytes), else Windows-1252, the encoding of Excel's "CSV" on Windows."""
    if data.startswith(_SPREADSHEET_MAGIC):
        raise ContactsFileError(
            f"{path} is a spreadsheet workbook, not CSV; save it as CSV (UTF-8) and import that"
        )
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", path), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", path), "utf-16"
    sample = data[:4096]
    if len(sample) >= 4 and b"\x00" in sample:
        if sample[1::2].count(0) > len(sample) // 4 and not sample[0::2].count(0):
            return _strict(data, "utf-16-le", path), "utf-16-le"
        if sample[0::2].count(0) > len(sample) // 4 and not sample[1::2].count(0):
            return _strict(data, "utf-16-be", path), "utf-16-be"
        raise ContactsFileError(
            f"{path} is a binary file, not CSV or vCard text; export contacts as CSV or vCard"
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _strict(data: bytes, encoding: str, path: Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ContactsFileError(
            f"{path} is not valid {encoding.upper()} (byte {exc.start}); save it again as UTF-8"
        ) from None


def detect_kind(path: Path, text: str) -> str:
    """csv or vcard, by extension, else by content; anything else is a UserError."""
    suffix = path.suffix.lower()
    head = text.lstrip("\ufeff \t\r\n")[:200].upper()
    if suffix in VCARD_SUFFIXES or head.startswith("BEGIN:VCARD"):
        return "vcard"
    if suffix in CSV_SUFFIXES:
        return "csv"
    first_line = head.split("\n", 1)[0]
    if any(sep in first_line for sep in (",", ";", "\t")):
        return "csv"
    raise ContactsFileError(
        f"{path} is neither CSV nor vCard (by extension or content); "
        "export contacts as .csv or .vcf"
    )
