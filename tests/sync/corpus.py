"""The shared mail corpus (../shared/corpus/mail), read in place, served the way IMAP would.

Never copied into the project: located from this file upwards (a worktree or
a clone next to shared/), else by ``CALLQUEUE_CORPUS``, else /work/shared/corpus.
The benchmark imports this module too.
"""

from __future__ import annotations

import csv
import email
import os
import re
from dataclasses import dataclass
from email.message import Message
from email.policy import compat32
from functools import cache
from pathlib import Path

from callqueue.sync.mail import TextPart, text_part

_HEADER_END = re.compile(rb"\r\n\r\n|\n\n|\r\r|\r\n\n|\n\r\n")


def corpus_dir() -> Path:
    """The ``shared/corpus`` directory (raises FileNotFoundError naming where it looked)."""
    tried: list[Path] = []
    env = os.environ.get("CALLQUEUE_CORPUS")
    if env:
        tried.append(Path(env))
    for parent in Path(__file__).resolve().parents:
        tried.append(parent / "shared" / "corpus")
        tried.append(parent.parent / "shared" / "corpus")
    tried.append(Path("/work/shared/corpus"))
    for path in tried:
        if (path / "mail" / "MANIFEST.tsv").is_file():
            return path
    raise FileNotFoundError(f"shared/corpus not found (set CALLQUEUE_CORPUS); tried {tried[:3]}")


@cache
def manifest() -> list[dict[str, str]]:
    """MANIFEST.tsv rows: file, source, from_address, subject, class, what_it_breaks, ..."""
    with (corpus_dir() / "mail" / "MANIFEST.tsv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


@dataclass(frozen=True)
class Fetched:
    """One corpus message as the sync engine would fetch it from an IMAP server."""

    name: str
    raw: bytes
    header: bytes  # BODY.PEEK[HEADER]: up to and including the empty line
    part: TextPart | None  # from BODYSTRUCTURE
    text: bytes | None  # BODY.PEEK[section]<0.N>


def split_header(raw: bytes) -> bytes:
    """The header block as ``BODY[HEADER]`` gives it (the whole message when it has no body)."""
    m = _HEADER_END.search(raw)
    return raw[: m.end()] if m else raw


def _bytes(value: object) -> bytes | None:
    return None if value is None else str(value).encode("ascii", "surrogateescape")


def _params(msg: Message) -> tuple[bytes, ...] | None:
    out: list[bytes] = []
    for key, value in (msg.get_params() or [])[1:]:
        if isinstance(value, str):
            out += [
                key.upper().encode("ascii", "replace"),
                value.encode("ascii", "surrogateescape"),
            ]
    return tuple(out) or None


def _raw_payload(msg: Message) -> bytes:
    """The body bytes as received (``get_payload()`` mangles 8-bit bytes without a charset)."""
    payload = getattr(msg, "_payload", None)  # compat32 keeps 8-bit bytes as surrogates here
    return payload.encode("ascii", "surrogateescape") if isinstance(payload, str) else b""


def structure(msg: Message) -> tuple[object, ...]:
    """A BODYSTRUCTURE shaped as imapclient returns it, built from a parsed message."""
    ctype = msg.get_content_type()
    maintype, subtype = ctype.split("/", 1)
    if msg.is_multipart() and maintype == "multipart":
        children = [structure(p) for p in msg.get_payload() if isinstance(p, Message)]
        return (children, subtype.upper().encode(), _params(msg), None, None, None)
    body = _raw_payload(msg)
    disposition = msg.get("content-disposition")
    disp = (str(disposition).split(";")[0].strip().upper().encode(), None) if disposition else None
    cte = _bytes(msg.get("content-transfer-encoding", "7BIT"))
    return (
        maintype.upper().encode(),
        subtype.upper().encode(),
        _params(msg),
        None,
        None,
        cte,
        len(body),
        body.count(b"\n"),
        None,
        disp,
        None,
        None,
    )


def section(msg: Message, spec: str) -> bytes:
    """The raw (still transfer-encoded) body of an IMAP section such as ``1.2``."""
    node = msg
    for index in spec.split("."):
        children = node.get_payload()
        if node.is_multipart() and isinstance(children, list):
            child = children[int(index) - 1]
            assert isinstance(child, Message)
            node = child
    return _raw_payload(node)


def fetched(name: str, limit: int | None = None) -> Fetched:
    """One corpus file served as header bytes plus its first text part's leading bytes."""
    raw = (corpus_dir() / "mail" / name).read_bytes()
    msg = email.message_from_bytes(raw, policy=compat32)
    part = text_part(structure(msg))
    text = None
    if part is not None:
        body = section(msg, part.section)
        size = limit or (4096 if part.subtype == "html" else 2048)
        text = body[:size]
    return Fetched(name, raw, split_header(raw), part, text)
