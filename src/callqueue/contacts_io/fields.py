"""The canonical contact fields and the CSV column headings that mean them.

Headings are matched by `heading_key`: letters and digits only, in lower case,
so case, spacing and punctuation do not matter. "E-mail 2 Address",
"e_mail 2 address", "EMAIL 2 ADDRESS" and "Email2Address" are one heading, and so
are Salesforce's API names ("FirstName", "MobilePhone", "LeadSource") and the
labels people read ("First Name", "Mobile Phone", "Lead Source").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Fields a ``--map COLUMN=FIELD`` may name; ``email``, ``phone`` and ``date``
#: also take a label after a colon (``phone:mobile``, ``date:Renewal``).
FIELDS: dict[str, str] = {
    "name": "full name (else first + middle + last name are joined)",
    "first_name": "given name",
    "middle_name": "middle or additional name",
    "last_name": "family name",
    "name_suffix": "Jr., PhD, ...",
    "company": "company or account name",
    "title": "job title",
    "email": "an email address (several per cell: separated by ; , or :::)",
    "email_label": "the label of the email column it follows (work, home, ...)",
    "phone": "a phone number",
    "phone_label": "the label of the phone column it follows",
    "birthday": "birthday (YYYY-MM-DD, MM/DD/YYYY, DD.MM.YYYY, --MM-DD, ...)",
    "birthday_year": "year of the birthday, when year, month and day are separate columns",
    "birthday_month": "month of the birthday (1-12 or a month name)",
    "birthday_day": "day of the birthday (1-31)",
    "anniversary": "anniversary (same formats)",
    "anniversary_year": "year of the anniversary, when it is in separate columns",
    "anniversary_month": "month of the anniversary",
    "anniversary_day": "day of the anniversary",
    "date": "another important date, labelled with the column heading",
    "date_kind": "birthday, anniversary or custom, for the date column it follows",
    "date_label": "the label of the date column it follows",
    "timezone": "IANA time zone, e.g. America/Chicago",
    "notes": "free notes (several notes columns are joined)",
    "do_not_call": "yes/true/1/x marks the contact do-not-call",
    "lead_source": "where the lead came from; marks the contact a new lead",
    "lead_created_at": "when the lead arrived; marks the contact a new lead",
    "ignore": "drop this column",
}

_LABELLED = frozenset({"email", "phone", "date"})


@dataclass(frozen=True, slots=True)
class Role:
    """What one column holds. Value and label columns of one slot share `slot`."""

    field: str
    slot: str = ""
    label: str | None = None


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NOT_WORD = re.compile(r"[\W_]+")


def heading_words(text: str) -> str:
    """A heading as lower-case words: "MobilePhone" and "Mobile-Phone" -> "mobile phone"."""
    return _NOT_WORD.sub(" ", _CAMEL.sub(" ", text.strip())).strip().lower()


def heading_key(text: str) -> str:
    """What two spellings of one heading share: its letters and digits, in lower case."""
    return _NOT_WORD.sub("", text).lower()


_EXACT: dict[str, Role] = {}


def _add(field: str, *headings: str, label: str | None = None) -> None:
    for heading in headings:
        _EXACT[heading_key(heading)] = Role(field, label=label)


_add("name", "Name", "Full Name", "Display Name", "Contact Name", "FN")
_add("first_name", "First Name", "Given Name", "First", "Forename")
_add("middle_name", "Middle Name", "Additional Name")
_add("last_name", "Last Name", "Family Name", "Surname", "Last")
_add("name_suffix", "Suffix", "Name Suffix")
_add(
    "company",
    "Company",
    "Company Name",
    "Account Name",
    "Account",
    "Organization",
    "Organisation",
    "Organization Name",
    "Organisation Name",
    "Org",
    "Employer",
)
_add("title", "Title", "Job Title", "Position", "Organization Title")
_add(
    "email",
    "Email",
    "Email Address",
    "Emails",
    "Email Addresses",
    "Primary Email",
    "Additional Email Addresses",
    "Secondary Email",
    "Alternate Email",
)
_add("email", "Work Email", "Business Email", "Work Email Address", label="work")
_add("email", "Home Email", "Personal Email", "Home Email Address", label="home")
_add("email", "Other Email", "Other Email Address", label="other")
_add("phone", "Phone", "Phone Number", "Telephone", "Tel")
_add(
    "phone",
    "Business Phone",
    "Business Phone 2",
    "Work Phone",
    "Office Phone",
    "Direct Phone",
    "Direct Line",
    "Direct Dial",
    label="work",
)
_add("phone", "Home Phone", "Home Phone 2", label="home")
_add(
    "phone",
    "Mobile",
    "Mobile Phone",
    "Mobile Phone Number",
    "Mobile Number",
    "Cell",
    "Cell Phone",
    "Cellphone",
    "Mobile Tel",
    label="mobile",
)
_add("phone", "Other Phone", label="other")
_add("phone", "Primary Phone", "Company Main Phone", "Main Phone", label="main")
_add("phone", "Assistant's Phone", "Assistant Phone", "Asst Phone", label="assistant")
_add("phone", "Car Phone", label="car")
_add("birthday", "Birthday", "Birthdate", "Date of Birth", "DOB", "BDAY")
_add("anniversary", "Anniversary", "Wedding Anniversary")
# Thunderbird's "Birth Year", "Birth Month", "Birth Day" (its "Birth Day" has the key of
# "Birthday": see `split_date_roles`).
for _kind, _prefixes in (
    ("birthday", ("Birth", "Birthday")),
    ("anniversary", ("Anniversary", "Wedding Anniversary")),
):
    for _prefix in _prefixes:
        _add(f"{_kind}_year", f"{_prefix} Year")
        _add(f"{_kind}_month", f"{_prefix} Month")
        if _prefix != "Birth":
            _add(f"{_kind}_day", f"{_prefix} Day")
_add("timezone", "Time Zone", "Timezone", "TZ", "Time Zone Name", "IANA Time Zone")
_add("notes", "Notes", "Note", "Description", "Comments", "Comment")
_add("do_not_call", "Do Not Call", "DNC", "Do Not Call Flag")
_add("lead_source", "Lead Source", "Original Source", "Source", "Lead Origin")
# Only headings that say "lead": a CRM export's generic "Created Date" is when the
# record was made, often years ago, and would flood the queue with "new leads".
# For a leads export, map it: --map "Created Date=lead_created_at".
_add(
    "lead_created_at",
    "Lead Created",
    "Lead Created At",
    "Lead Created Date",
    "Lead Date",
    "Became a Lead Date",
    "Lead Create Date",
)

# Numbered columns: Google ("E-mail 1 - Value", "Phone 2 - Type", "Organization 1 - Name",
# "Event 1 - Value"), Outlook ("E-mail 2 Address"), and callqueue's own export
# ("Email 2", "Email 2 Label", "Date 1 Kind").
_NUMBERED: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^email(\d+)(?:value|address)?$"), "email"),
    (re.compile(r"^email(\d+)(?:type|label)$"), "email_label"),
    (re.compile(r"^phone(\d+)(?:value|number)?$"), "phone"),
    (re.compile(r"^phone(\d+)(?:type|label)$"), "phone_label"),
    (re.compile(r"^organi[sz]ation(\d+)name$"), "company"),
    (re.compile(r"^organi[sz]ation(\d+)(?:title|jobtitle)$"), "title"),
    (re.compile(r"^(?:event|date)(\d+)(?:value)?$"), "date"),
    (re.compile(r"^(?:event|date)(\d+)(?:type|label)$"), "date_label"),
    (re.compile(r"^date(\d+)kind$"), "date_kind"),
)


def classify(heading: str) -> Role | None:
    """The role of a column by its heading, or None for a column callqueue does not keep."""
    key = heading_key(heading)
    role = _EXACT.get(key)
    if role is not None:
        return role
    for pattern, field in _NUMBERED:
        if m := pattern.match(key):
            return Role(field, slot=f"{field.split('_')[0]}{m[1]}")
    return None


def split_date_roles(headings: list[str], roles: list[Role | None]) -> list[Role | None]:
    """Thunderbird's "Birth Day" has the key of "Birthday": in a file that also has a
    "Birth Month" column it is the day of that split birthday."""
    if not any(r is not None and r.field == "birthday_month" for r in roles):
        return roles
    return [
        Role("birthday_day")
        if r is not None and r.field == "birthday" and heading_words(h) == "birth day"
        else r
        for h, r in zip(headings, roles, strict=True)
    ]


def parse_map_field(field_text: str, column: str) -> Role | None:
    """The role a ``--map`` FIELD names, or None when FIELD is not a known field."""
    name, _, label = field_text.strip().partition(":")
    name = name.strip().lower().replace("-", "_").replace(" ", "_")
    if name not in FIELDS or (label and name not in _LABELLED):
        return None
    if name == "date":
        return Role("date", label=label.strip() or column.strip())
    return Role(name, label=label.strip().lower() or None)


def valid_fields_text() -> str:
    return ", ".join(f"{name}:LABEL" if name in _LABELLED else name for name in FIELDS)
