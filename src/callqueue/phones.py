"""The one rule for "are these two phone numbers the same number?".

`contacts add`, the importer and anything else that compares phones use
`phone_key`; the number itself is stored and shown as the rep (or the file)
typed it. The key is the number in E.164 (``+13125550100``) as Google's
libphonenumber (the `phonenumbers` package) reads it, with the extension
appended (``+13125550100;ext=12``): ``+1 (312) 555-0100`` and ``312.555.0100``
are one number when the default region is US. Numbers typed without a ``+``
country code are read in the default region (`Config.default_phone_region`:
the config's ``phone_region``, else the region of the system locale). With no
region, such a number is compared by its digits alone.

`phonenumbers` is imported on first use, so commands that never compare
phones do not pay for it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from callqueue.errors import ConfigError

_NOT_DIGIT = re.compile(r"[^0-9]+")
#: Digits and the punctuation people put between them: no letters (vanity numbers,
#: "ext."), no extension marks (x, #, ;, ",").
_PLAIN = re.compile(r"[\s\d+().\-/]*")

#: Words in a phone's label that say it is not a number to call (vCard TEL types,
#: Apple's ``_$!<WorkFAX>!$_``, Google's "Work Fax", Outlook's "Pager").
_NOT_CALLABLE = re.compile(r"fax|pager|beeper|modem|\bbbs\b", re.IGNORECASE)


def check_region(region: str | None) -> str | None:
    """`region` in upper case if libphonenumber knows it; ConfigError naming the key if not."""
    if region is None:
        return None
    import phonenumbers

    code = region.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise ConfigError(
            f"phone_region: unknown region {region!r}; use a two-letter "
            'country code such as "US", "GB" or "DE"'
        )
    return code


@lru_cache(maxsize=65536)
def phone_key(number: str, region: str | None = None) -> str:
    """What makes two spellings of one phone number equal: E.164 plus any extension.

    `region` (ISO 3166 alpha-2, e.g. ``"US"``) is where a number without ``+``
    is dialled from; None compares such numbers by their digits. A text that
    libphonenumber cannot read as a number (``"ask reception"``) is its own key,
    compared by its digits, else by its case-folded words.
    """
    import phonenumbers

    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        digits = _NOT_DIGIT.sub("", number)
        if not digits:
            return " ".join(number.casefold().split())
        return ("+" if number.lstrip().startswith("+") else "") + digits
    key = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return f"{key};ext={parsed.extension}" if parsed.extension else key


def same_number(a: str, b: str, region: str | None = None) -> bool:
    """`phone_key(a, region) == phone_key(b, region)`, without asking libphonenumber when
    the numbers cannot be equal.

    Two plain numbers (digits and punctuation only) whose last four digits differ
    are different numbers in any region: those digits end the national number,
    which every spelling of a number contains. That settles most pairs of a
    bulk import without parsing either.
    """
    if a == b:
        return True
    if _PLAIN.fullmatch(a) and _PLAIN.fullmatch(b):
        tail_a, tail_b = _NOT_DIGIT.sub("", a)[-4:], _NOT_DIGIT.sub("", b)[-4:]
        if len(tail_a) == len(tail_b) == 4 and tail_a != tail_b:
            return False
    return phone_key(a, region) == phone_key(b, region)


def distinct_numbers(
    numbers: list[tuple[str, str | None]], region: str | None = None
) -> list[tuple[str, str | None]]:
    """(number, label) pairs without the later spellings of an earlier number."""
    kept: list[tuple[str, str | None]] = []
    for number, label in numbers:
        if not any(same_number(number, other, region) for other, _ in kept):
            kept.append((number, label))
    return kept


def is_callable_label(label: str | None) -> bool:
    """False for a fax, pager or modem line: a number on the contact, but not one to dial."""
    return label is None or _NOT_CALLABLE.search(label) is None
