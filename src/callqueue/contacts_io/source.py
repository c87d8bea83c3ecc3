"""Reading a contacts file's bytes: which kind it is and which text encoding it uses."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from functools import cache
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


@dataclass(frozen=True, slots=True)
class Decoded:
    """A file's text, the encoding it was read in, and a warning when that was a guess
    with low confidence."""

    text: str
    encoding: str
    warning: str | None = None


def unicode_encoding(data: bytes) -> str | None:
    """The codec of a UTF-8 BOM, a UTF-16 BOM or BOM-less UTF-16 (by its zero bytes), or None.

    Raises ContactsFileError for a spreadsheet workbook or other binary data.
    """
    if data.startswith(_SPREADSHEET_MAGIC):
        raise ContactsFileError(
            "is a spreadsheet workbook, not CSV; save it as CSV (UTF-8) and import that"
        )
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = data[:4096]
    if len(sample) >= 4 and b"\x00" in sample:
        if sample[1::2].count(0) > len(sample) // 4 and not sample[0::2].count(0):
            return "utf-16-le"
        if sample[0::2].count(0) > len(sample) // 4 and not sample[1::2].count(0):
            return "utf-16-be"
        raise ContactsFileError(
            "is a binary file, not CSV or vCard text; export contacts as CSV or vCard"
        )
    return None


def decode(data: bytes, path: Path) -> Decoded:
    """The text of a contacts file: UTF-8 with or without BOM, UTF-16 with BOM (or plainly
    UTF-16 by its zero bytes), else the encoding `guess_encoding` finds."""
    try:
        unicode = unicode_encoding(data)
    except ContactsFileError as exc:
        raise ContactsFileError(f"{path} {exc}") from None
    if unicode is not None:
        return Decoded(_strict(data, unicode, path), unicode)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    codec, doubt = guess_encoding(data)
    warning = doubt
    return Decoded(data.decode(codec, "replace"), common_name(codec), warning)


#: Two candidates whose "chaos" (charset-normalizer's share of implausible characters,
#: in percent) differs by at most this much fit the bytes equally well.
_EQUAL_FIT = 3.5
#: Above this chaos the best candidate itself is doubtful.
_DOUBTFUL_CHAOS = 10.0
#: The encodings contacts files come in besides UTF-8, most common first: what Excel's
#: "CSV" and older phones write for western, central European, Cyrillic, Japanese,
#: Chinese, Korean, Greek, Turkish, Baltic, Hebrew, Arabic and Vietnamese locales. Among
#: candidates that fit the bytes equally well, the most common wins; a short file in
#: Windows-1252 also fits Mac Central European, and language statistics over a few
#: names cannot tell them apart (measured: charset-normalizer alone ranks cp775 and
#: mac_latin2 above cp1252 for "Jürgen Müller").
_COMMON = (
    "cp1252",
    "cp1250",
    "cp1251",
    "cp932",
    "shift_jis",
    "gb18030",
    "gbk",
    "big5",
    "cp949",
    "euc_kr",
    "koi8_r",
    "koi8_u",
    "cp1253",
    "cp1254",
    "cp1257",
    "cp1255",
    "cp1256",
    "cp1258",
    "euc_jp",
    "cp874",
    "iso8859_15",
    "mac_roman",
)


@cache
def _common_rank() -> dict[str, int]:
    return {codecs.lookup(name).name: rank for rank, name in enumerate(_COMMON)}


def guess_encoding(data: bytes) -> tuple[str, str | None]:
    """(codec, doubt) for bytes that are not UTF-8, by charset-normalizer.

    Candidates that fit about as well as the best (`_EQUAL_FIT`) are compared
    by how common their encoding is for contacts files (`_COMMON`). `doubt` is
    None, or a sentence for the user when charset-normalizer itself ranked
    another common encoding that reads the bytes differently above the chosen
    one, or when even the best fit looks garbled.
    """
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return "cp1252", (
            "cannot tell its text encoding; read it as Windows-1252. "
            "If names look wrong, save the file as UTF-8 and import again"
        )
    lowest = min(m.percent_chaos for m in matches)
    ranks = _common_rank()
    last = len(ranks)
    fits: list[tuple[int, str, str]] = []  # (rank, codec, text), in charset-normalizer's order
    for m in matches:
        if m.percent_chaos <= lowest + _EQUAL_FIT:
            names = [codecs.lookup(n).name for n in m.could_be_from_charset or [m.encoding]]
            rank, codec = min((ranks.get(n, last), n) for n in names)
            fits.append((rank, codec, str(m)))
    chosen = min(range(len(fits)), key=lambda i: fits[i][0])
    if fits[chosen][0] == last:  # none is common: charset-normalizer's own first choice
        chosen = 0
    _, codec, text = fits[chosen]
    name = common_name(codec)
    rivals = [common_name(c) for r, c, t in fits[:chosen] if r < last and t != text]
    if rivals:
        return codec, (
            f"guessed its text encoding as {name} with low confidence "
            f"({', '.join(rivals[:3])} would read it differently); if names look "
            "wrong, save the file as UTF-8 and import again"
        )
    if lowest > _DOUBTFUL_CHAOS:
        return codec, (
            f"read it as {name}, but the text looks garbled; if names look wrong, "
            "save the file as UTF-8 and import again"
        )
    return codec, None


def common_name(codec: str) -> str:
    """Python's codec name as people know it: cp1250 -> windows-1250, cp932 -> shift_jis."""
    name = codecs.lookup(codec).name
    if name.startswith("cp125"):
        return "windows-" + name[2:]
    return {"cp932": "shift_jis", "mbcs": "windows-1252"}.get(name, name)


def _strict(data: bytes, encoding: str, path: Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        label = "UTF-8" if encoding == "utf-8-sig" else encoding.upper()
        raise ContactsFileError(
            f"{path} is not valid {label} (byte {exc.start}); save it again as UTF-8"
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
