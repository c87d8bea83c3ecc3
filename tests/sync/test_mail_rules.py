"""Each rule of callqueue.sync.mail on minimal invented headers."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta, timezone

import pytest
from imapclient.response_parser import parse_fetch_response

from callqueue.sync.mail import (
    SNIPPET_CHARS,
    ParsedMail,
    TextPart,
    addresses,
    mailboxes,
    make_snippet,
    message_ids,
    normalize_message_id,
    parse_mail,
    text_part,
)

RECEIVED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def mail(
    *lines: str | bytes,
    text: bytes | None = None,
    part: TextPart | None = None,
    preview: str | bytes | None = None,
    internaldate: datetime = RECEIVED,
) -> ParsedMail:
    """Parse a header block made of `lines` (CRLF-joined, blank line added)."""
    raw = b"".join((x.encode("utf-8") if isinstance(x, str) else x) + b"\r\n" for x in lines)
    return parse_mail(raw + b"\r\n", internaldate, text=text, part=part, preview=preview)


PLAIN = TextPart("1", "plain", "utf-8", "7bit", 100)

# ----------------------------------------------------------------- sender


@pytest.mark.parametrize(
    ("from_", "addr", "name"),
    [
        (
            '"ben@globex.example" <dana@fabrikam.example>',
            "dana@fabrikam.example",
            "ben@globex.example",
        ),
        (
            "ben@globex.example <dana@fabrikam.example>",
            "dana@fabrikam.example",
            "ben@globex.example",
        ),
        ("Dana Reyes <Dana.Reyes@Fabrikam.Example>", "dana.reyes@fabrikam.example", "Dana Reyes"),
        ("dana@fabrikam.example", "dana@fabrikam.example", None),
        ("<dana@fabrikam.example>", "dana@fabrikam.example", None),
        ("dana@fabrikam.example (Dana Reyes)", "dana@fabrikam.example", "Dana Reyes"),
        ("Dana (sales) <dana(desk)@fabrikam.example(hq)>", "dana@fabrikam.example", "Dana"),
        ("Reyes, Dana <dana@fabrikam.example>", "dana@fabrikam.example", "Reyes, Dana"),
        ('"Reyes, Dana" <dana@fabrikam.example>', "dana@fabrikam.example", "Reyes, Dana"),
        ("Sales: Dana <dana@fabrikam.example>;", "dana@fabrikam.example", "Dana"),
        (
            "=?utf-8?q?Zo=C3=AB_M=C3=BCller?= <zoe@fabrikam.example>",
            "zoe@fabrikam.example",
            "Zoë Müller",
        ),
        ('"=?utf-8?B?Wm/Dqw==?=" <zoe@fabrikam.example>', "zoe@fabrikam.example", "Zoë"),
        ("Dana <@relay.example:dana@fabrikam.example>", "dana@fabrikam.example", "Dana"),
        ("Dana <mailto:dana@fabrikam.example>", "dana@fabrikam.example", "Dana"),
    ],
)
def test_sender_is_the_address_never_the_display_name(
    from_: str, addr: str, name: str | None
) -> None:
    parsed = mail(f"From: {from_}", "Subject: hi")
    assert parsed.from_addr == addr
    assert parsed.from_name == name


def test_raw_latin1_display_name_uses_the_declared_charset() -> None:
    parsed = mail(
        b"From: J\xfcrgen Wei\xdf <jw@fabrikam.example>",
        b'Content-Type: text/plain; charset="iso-8859-1"',
    )
    assert (parsed.from_addr, parsed.from_name) == ("jw@fabrikam.example", "Jürgen Weiß")


def test_raw_utf8_display_name() -> None:
    assert mail("From: Zoë <zoe@fabrikam.example>").from_name == "Zoë"


@pytest.mark.parametrize("from_", ["<>", "MAILER DAEMON <>", ""])
def test_empty_from_has_no_address(from_: str) -> None:
    parsed = mail(f"From: {from_}")
    assert parsed.from_addr is None
    assert "no sender address" in parsed.problems


def test_missing_from() -> None:
    parsed = mail("Subject: no sender")
    assert parsed.from_addr is None
    assert parsed.from_name is None


def test_display_name_without_address_is_not_an_address() -> None:
    assert mail("From: Dana Reyes").from_addr is None


# ----------------------------------------------------------------- address lists


def test_addresses_helper() -> None:
    assert addresses('"Reyes, Dana" <Dana@Fabrikam.example>, ben@globex.example') == [
        "dana@fabrikam.example",
        "ben@globex.example",
    ]
    assert addresses("a@x.example, A@X.example, b@x.example") == ["a@x.example", "b@x.example"]
    assert addresses("undisclosed-recipients:;") == []
    assert addresses("Team: a@x.example, B <b@x.example>;, c@x.example") == [
        "a@x.example",
        "b@x.example",
        "c@x.example",
    ]
    assert addresses("") == []
    assert addresses(None) == []
    assert addresses("Dana <dana@x.example") == ["dana@x.example"]  # unclosed bracket


def test_mailboxes_keeps_names_and_the_null_address() -> None:
    assert mailboxes('"A, B" <ab@x.example>, <>') == [("A, B", "ab@x.example"), ("", "")]


def test_to_and_cc() -> None:
    parsed = mail(
        "To: Dana <dana@x.example>, ben@y.example", "Cc: Sales: eve@x.example (Eve);", "Subject: s"
    )
    assert parsed.to_addrs == ("dana@x.example", "ben@y.example")
    assert parsed.cc_addrs == ("eve@x.example",)
    assert parsed.bcc_addrs == ()
    sent = mail("To: dana@x.example", "Bcc: Boss <boss@y.example>")
    assert sent.bcc_addrs == ("boss@y.example",)


def test_folded_address_field() -> None:
    parsed = mail("To: Dana <dana@x.example>,", "\tBen", "  <ben@y.example>")
    assert parsed.to_addrs == ("dana@x.example", "ben@y.example")


# ----------------------------------------------------------------- message ids


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("<abc@host.example>", "<abc@host.example>"),
        ("  <abc@host.example>  ", "<abc@host.example>"),
        ("abc@host.example", "<abc@host.example>"),
        ("<abc@Host.Example>", "<abc@Host.Example>"),
        ("<1234   @   local(blah)  .machine .example>", "<1234@local.machine.example>"),
        ("<abc@host.example> (added by relay)", "<abc@host.example>"),
        ("<>", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_message_id(raw: str | None, normal: str | None) -> None:
    assert normalize_message_id(raw) == normal


def test_missing_message_id_is_none() -> None:
    assert mail("From: a@x.example").message_id is None
    assert mail("Message-ID: <>").message_id is None


def test_references_deduplicated_in_order_without_self() -> None:
    parsed = mail(
        "Message-ID: <c@x>",
        "References: <a@x> <b@x>",
        " <a@x>\t<c@x> junk <d@x>",
        "In-Reply-To: <d@x> (Dana's message of Monday)",
    )
    assert parsed.references == ("<a@x>", "<b@x>", "<d@x>")
    assert parsed.in_reply_to == "<d@x>"


def test_odd_references() -> None:
    assert message_ids("<a@x>,<b@x>") == ["<a@x>", "<b@x>"]
    assert message_ids("a@x b@x") == ["<a@x>", "<b@x>"]  # no brackets at all
    assert message_ids("<a@x><a@x>") == ["<a@x>"]
    assert message_ids("<a@x\r\n .y>") == ["<a@x.y>"]
    assert mail("In-Reply-To: your message of Monday").in_reply_to is None


def test_reply_matches_the_message_it_answers() -> None:
    """What the sync engine does: a reply's ids, normalised, find the inbound message."""
    inbound = mail("Message-ID:  <CA+xyz=1@mail.gmail.com >")
    reply = mail("In-Reply-To:\r\n <CA+xyz=1@mail.gmail.com>")
    assert inbound.message_id is not None
    assert reply.in_reply_to == inbound.message_id


# ----------------------------------------------------------------- subjects


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"Subject: plain", "plain"),
        (b"Subject: =?utf-8?q?caf=C3=A9?= au lait", "café au lait"),
        (b"Subject: =?utf-8?q?a?= =?utf-8?q?b?=", "ab"),  # white space between words dropped
        (b"Subject: =?utf-8?q?a?=\r\n =?utf-8?q?b?=", "ab"),
        (b"Subject: x =?utf-8?q?a?= y", "x a y"),
        (b"Subject: =?utf-8?B?w6k=?==?utf-8?B?w6k=?=", "éé"),
        (b"Subject: =?utf-8?B?4oKs?=", "€"),
        (b"Subject: =?utf-8?B?4g==?= =?utf-8?B?gqw=?=", "€"),  # a character split across words
        (b"Subject: =?iso-8859-1?q?Fr=F6sche?=", "Frösche"),
        (b"Subject: =?iso-8859-1?q?Fr\xf6sche?=", "Frösche"),  # raw 8-bit inside a Q word
        (b"Subject: =?windows-1252?q?=93hi=94?=", "\u201chi\u201d"),
        (b"Subject: =?iso-8859-1?q?=93hi=94?=", "\u201chi\u201d"),  # Latin-1 read as Windows-1252
        (b"Subject: =?utf-8*en?q?hi?=", "hi"),  # RFC 2231 language
        (b"Subject: =?UTF-8?B?SGVsbG8=====?=", "Hello"),  # excess padding
        (b"Subject: =?UTF-8?B?SGVsbG8?=", "Hello"),  # missing padding
        (b"Subject: =?NONE?B?VEVTVA=?=", "TEST"),  # unknown charset, bad padding
        (b"Subject: =?x-unknown?q?caf=C3=A9?=", "café"),
        (b"Subject: =?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?=", "テスト"),
        (b"Subject: =?utf-7?Q?Fr+AOY-sche?=", "Fr\u00e6sche"),
        (b"Subject: =?ks_c_5601-1987?B?x9G55g==?=", "한방"),
        (b"Subject: =?gb2312?B?1tDOxA==?=", "中文"),
        (b"Subject:   spaced \t  out  ", "spaced out"),
        (b"Subject: ", ""),
        (b"Subject: caf\xc3\xa9", "café"),  # raw UTF-8
    ],
)
def test_subject_decoding(raw: bytes, text: str) -> None:
    assert mail(raw).subject == text


def test_no_subject_header_is_none() -> None:
    assert mail("From: a@x.example").subject is None


def test_raw_8bit_subject_in_the_declared_body_charset() -> None:
    parsed = mail(b"Subject: Ma\xf1ana", b"Content-Type: text/plain; charset=iso-8859-1")
    assert parsed.subject == "Mañana"


def test_raw_8bit_subject_in_the_text_parts_charset() -> None:
    part = TextPart("1", "plain", "windows-1251", "8bit", 10)
    assert mail(b"Subject: \xcf\xf0\xe8\xe2\xe5\xf2", part=part).subject == "Привет"


def test_raw_koi8r_subject_guessed_from_the_body() -> None:
    part = TextPart("1", "plain", None, "8bit", 10)
    body = "Добрый день, пишу по поводу заказа".encode("koi8-r")
    parsed = mail(b"Subject: \xd4\xc5\xd3\xd4", text=body, part=part)
    assert parsed.subject == "тест"
    assert "charset guessed: koi8_r" in parsed.problems


def test_raw_bytes_among_utf8_are_damage_not_a_charset() -> None:
    parsed = mail(b"From: \xd0\xae\xd0\xbd\xd0\xb8 <a@x.example>", b"Subject: \xb4!")
    assert parsed.subject == "\ufffd!"


def test_huge_encoded_subject_is_kept_whole() -> None:
    word = "=?utf-8?q?K=C3=BCste?="
    parsed = mail("Subject: " + "\r\n ".join([word] * 3000))
    assert parsed.subject == "Küste" * 3000


# ----------------------------------------------------------------- dates


def test_date_to_utc() -> None:
    parsed = mail("Date: Mon, 2 Mar 2026 10:15:00 +0100")
    assert parsed.date == datetime(2026, 3, 2, 9, 15, tzinfo=UTC)
    assert parsed.date.tzinfo is UTC
    assert parsed.date_from_header


@pytest.mark.parametrize(
    "value",
    [
        "Mon, 2 Mar 2026 09:15:00 EST",
        "2 Mar 2026 09:15 -0500",
        "Mon, 02 Mar 26 09:15:00 -0500",
        "Mon, 2 Mar 2026 09:15:00 -0500 (EST)",
        "Mon,\r\n 2 Mar 2026\r\n 09:15:00 -0500",
    ],
)
def test_date_forms(value: str) -> None:
    assert mail(f"Date: {value}").date == datetime(2026, 3, 2, 14, 15, tzinfo=UTC)


def test_date_without_zone_is_utc() -> None:
    assert mail("Date: Mon, 2 Mar 2026 09:15:00 -0000").date == datetime(
        2026, 3, 2, 9, 15, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("value", "why"),
    [
        (None, "no Date"),
        ("<HR>", "Date unreadable"),
        ("Wed, 15 Dec 2010 59:10 -0500", "Date unreadable"),  # hour 59
        ("Pn, 29 paX 2007", "Date unreadable"),
        ("Thu, 1 Jan 1970 00:00:00 +0000", "Date 1970-01-01 before 1990"),
        ("Mon, 3 Mar 2036 09:15:00 +0000", "Date 2036-03-03 09:15 after delivery"),
        ("Wed, 4 Mar 2026 09:31:00 +0000", "Date 2026-03-04 09:31 after delivery"),
    ],
)
def test_absurd_or_missing_date_falls_back_to_internaldate(value: str | None, why: str) -> None:
    parsed = mail(*([f"Date: {value}"] if value else []), "Subject: s")
    assert parsed.date == RECEIVED
    assert not parsed.date_from_header
    assert f"{why}, used INTERNALDATE" in parsed.problems


def test_date_a_little_after_delivery_is_believed() -> None:
    """A sender's clock a few hours fast is within FUTURE_SLACK (one day)."""
    parsed = mail("Date: Mon, 2 Mar 2026 20:00:00 +0000")
    assert parsed.date == datetime(2026, 3, 2, 20, 0, tzinfo=UTC)


def test_internaldate_in_another_zone_is_converted() -> None:
    local = datetime(2026, 3, 2, 10, 30, tzinfo=timezone(timedelta(hours=1)))
    parsed = mail("Subject: s", internaldate=local)
    assert parsed.date == RECEIVED
    assert parsed.date.tzinfo is UTC


def test_naive_internaldate_is_a_callers_bug() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        mail("Subject: s", internaldate=datetime(2026, 3, 2, 9, 30))


# ----------------------------------------------------------------- kinds


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        (["Auto-Submitted: auto-replied"], "Auto-Submitted: auto-replied"),
        (["Auto-Submitted: auto-generated (vacation)"], "Auto-Submitted: auto-generated"),
        (["Auto-Submitted: auto-notified; owner-email=a@x"], "Auto-Submitted: auto-notified"),
        (["X-Autoreply: yes"], "X-Autoreply"),
        (["X-Autorespond: Dana is away"], "X-Autorespond"),
        (["Precedence: auto_reply"], "Precedence: auto_reply"),
        (["X-Apple-Action: VACATION"], "X-Apple-Action: vacation"),
        (["Precedence: bulk", "Return-Path: <>"], "Precedence: bulk from a null return path"),
        (
            ["Content-Type: multipart/report; report-type=disposition-notification; boundary=b"],
            "read receipt (disposition-notification)",
        ),
    ],
)
def test_auto_reply_headers(lines: list[str], reason: str) -> None:
    parsed = mail("From: Dana <dana@x.example>", "Subject: Re: quote", *lines)
    assert (parsed.kind, parsed.kind_reason) == ("auto-reply", reason)


def test_auto_submitted_no_is_personal() -> None:
    assert mail("From: dana@x.example", "Auto-Submitted: no").kind == "personal"
    assert mail("From: dana@x.example", "X-Autoreply: no").kind == "personal"


@pytest.mark.parametrize(
    "subject",
    [
        "Automatic reply: Quote for 40 seats",  # English, Outlook
        "Auto reply: Nyaan",
        "Autoreply: x",
        "Auto-Reply: x",
        "Out of Office: back Monday",
        "Out of Office AutoReply: x",
        "AUTO: Smith, John is out of the office. (returning 05/01)",
        "Re: pricing (Automatic Response)",  # AOL
        "Abwesenheitsnotiz: Angebot",
        "Automatische Antwort: Angebot",  # German
        "Réponse automatique : devis",
        "Absence du bureau",  # French
        "Respuesta automática: presupuesto",
        "Fuera de la oficina",  # Spanish
        "Risposta automatica: preventivo",
        "Fuori sede",  # Italian
        "Automatisch antwoord: offerte",
        "Niet aanwezig",  # Dutch
        "Resposta automática: orçamento",
        "Ausente do escritório",  # Portuguese
        "[Automatyczna odpowiedź] test",  # Polish
        "Automatiskt svar: offert",  # Swedish
        "自動応答: お見積もり",  # Japanese
    ],
)
def test_out_of_office_subjects(subject: str) -> None:
    parsed = mail("From: dana@x.example", f"Subject: {subject}")
    assert (parsed.kind, parsed.kind_reason) == ("auto-reply", "out-of-office subject"), subject


@pytest.mark.parametrize(
    "subject",
    [
        "Re: our out of office policy for the holidays",
        "Automation proposal for your plant",
        "Re: Auto parts order",
        "Away day agenda",
    ],
)
def test_human_subjects_mentioning_absence_are_personal(subject: str) -> None:
    assert mail("From: dana@x.example", f"Subject: {subject}").kind == "personal"


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        (["From: MAILER-DAEMON@mx.x.example"], "from mailer-daemon@mx.x.example"),
        (["From: Mail Delivery System <Mailer-Daemon@x.example>"], "from mailer-daemon@x.example"),
        (["From: postmaster@x.example"], "from postmaster@x.example"),
        (["From: <>"], "null sender (From: <>)"),
        (
            ["Content-Type: multipart/report; report-type=delivery-status; boundary=b"],
            "multipart/report (delivery-status)",
        ),
        (["Content-Type: multipart/report; boundary=b"], "multipart/report (no report-type)"),
        (["Content-Type: message/delivery-status"], "message/delivery-status"),
        (["X-Failed-Recipients: dana@x.example"], "X-Failed-Recipients"),
    ],
)
def test_bounces(lines: list[str], reason: str) -> None:
    parsed = mail(*lines, "Subject: Undeliverable")
    assert (parsed.kind, parsed.kind_reason) == ("bounce", reason)


def test_bounce_wins_over_auto_submitted() -> None:
    parsed = mail("From: postmaster@x.example", "Auto-Submitted: auto-replied")
    assert parsed.kind == "bounce"


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        (["List-Id: Sales <sales.lists.x.example>"], "List-Id"),
        (["List-Unsubscribe: <mailto:leave@x.example>"], "List-Unsubscribe"),
        (["List-Unsubscribe: "], "List-Unsubscribe"),  # present but empty still says bulk
        (["Precedence: bulk"], "Precedence: bulk"),
        (["Precedence: list"], "Precedence: list"),
        (["Precedence: Junk"], "Precedence: junk"),
        (["Precedence: bulk", "Return-Path: <>", "List-Id: <n.x.example>"], "Precedence: bulk"),
    ],
)
def test_bulk(lines: list[str], reason: str) -> None:
    parsed = mail("From: news@x.example", "Subject: Our spring offers", *lines)
    assert (parsed.kind, parsed.kind_reason) == ("bulk", reason)


def test_auto_reply_wins_over_bulk() -> None:
    parsed = mail("From: dana@x.example", "Auto-Submitted: auto-replied", "Precedence: bulk")
    assert parsed.kind == "auto-reply"


def test_plain_mail_is_personal() -> None:
    parsed = mail(
        "From: Dana <dana@x.example>",
        "Subject: Quote for 40 seats",
        "X-Auto-Response-Suppress: All",
        "Precedence: first-class",
    )
    assert (parsed.kind, parsed.kind_reason) == ("personal", "no automation or list headers")


# ----------------------------------------------------------------- header repairs


def test_obsolete_space_before_colon() -> None:
    parsed = mail("From  : Dana <dana@x.example>", "Subject\t: hi")
    assert (parsed.from_addr, parsed.subject) == ("dana@x.example", "hi")
    assert "header block repaired" in parsed.problems


def test_wrapped_line_without_indent_does_not_end_the_headers() -> None:
    parsed = mail("X-Diag: abc", "def ghi", "From: dana@x.example", "Subject: hi")
    assert (parsed.from_addr, parsed.subject) == ("dana@x.example", "hi")


def test_mbox_from_line_and_bare_lf_and_cr() -> None:
    for sep in (b"\n", b"\r"):
        raw = sep.join(
            [
                b"From dana@x.example Mon Mar  2 09:00:00 2026",
                b"From: dana@x.example",
                b"Subject: hi",
                b"",
                b"",
            ]
        )
        parsed = parse_mail(raw, RECEIVED)
        assert (parsed.from_addr, parsed.subject) == ("dana@x.example", "hi")


def test_duplicate_fields_first_wins() -> None:
    parsed = mail(
        "Date: Mon, 2 Mar 2026 08:00:00 +0000",
        "Date: Sun, 1 Mar 2026 08:00:00 +0000",
        "Subject: first",
        "Subject: second",
    )
    assert parsed.date.day == 2
    assert parsed.subject == "first"


def test_empty_input_does_not_raise() -> None:
    parsed = parse_mail(b"", RECEIVED)
    assert parsed.from_addr is None
    assert parsed.kind == "personal"
    assert parsed.date == RECEIVED


# ----------------------------------------------------------------- snippets


def test_snippet_from_quoted_printable_cut_mid_escape() -> None:
    text = b"Hallo Dana, anbei das Angebot f=C3=BCr 40 Pl=C3=A4tze. Gr=C3=BC=C3"
    parsed = mail(
        "Subject: s", text=text, part=TextPart("1", "plain", "utf-8", "quoted-printable", 999)
    )
    assert parsed.snippet == "Hallo Dana, anbei das Angebot für 40 Plätze. Grü"


def test_snippet_from_base64_cut_mid_character() -> None:
    encoded = base64.b64encode("Grüße aus Köln ".encode() * 20)[:50]
    parsed = mail("Subject: s", text=encoded, part=TextPart("1", "plain", "utf-8", "base64", 999))
    assert parsed.snippet.startswith("Grüße aus Köln Grüße")
    assert "\ufffd" not in parsed.snippet


def test_snippet_skips_quotes_and_stops_at_the_reply_header() -> None:
    text = (
        b"Yes, 40 seats.\r\n\r\nThanks,\r\nDana\r\n\r\n"
        b"On Mon, 2 Mar 2026 at 09:00, Rep <rep@y.example> wrote:\r\n> Do you want 40?\r\n"
    )
    assert mail(text=text, part=PLAIN).snippet == "Yes, 40 seats. Thanks, Dana"
    outlook = b"Sounds good\r\n\r\n-----Original Message-----\r\nFrom: Rep\r\n"
    assert mail(text=outlook, part=PLAIN).snippet == "Sounds good"
    german = b"Passt.\r\nAm 02.03.2026 um 09:00 schrieb Rep <rep@y.example>:\r\n> ...\r\n"
    assert mail(text=german, part=PLAIN).snippet == "Passt."


def test_snippet_is_one_line_cut_at_a_word() -> None:
    snippet = make_snippet("word " * 100)
    assert len(snippet) <= SNIPPET_CHARS + 1
    assert snippet.endswith("word…")
    assert make_snippet("a\r\n\tb\x00c") == "a bc"


def test_snippet_from_html() -> None:
    text = (
        b"<html><head><style>p{color:red}</style><title>T</title></head>"
        b"<body><p>Hi&nbsp;Dana,</p><p>the quote &amp; terms</p><script>x()</script>"
    )
    parsed = mail(text=text, part=TextPart("1", "html", "utf-8", "7bit", 999))
    assert parsed.snippet == "Hi Dana, the quote & terms"  # no-break space too


def test_snippet_in_a_declared_legacy_charset() -> None:
    part = TextPart("1", "plain", "iso-8859-1", "8bit", 9)
    assert mail(text=b"Gr\xfc\xdfe", part=part).snippet == "Grüße"


def test_preview_wins_over_text() -> None:
    parsed = mail(text=b"body", part=PLAIN, preview=b"Server   preview\r\ntext \xe2\x82\xac")
    assert parsed.snippet == "Server preview text €"
    assert mail(preview="").snippet == ""


# ----------------------------------------------------------------- BODYSTRUCTURE


def structure(text: bytes) -> tuple[object, ...]:
    """A BODYSTRUCTURE as imapclient parses it from a server's FETCH answer."""
    parsed = parse_fetch_response([b"1 (UID 1 BODYSTRUCTURE " + text + b")"])
    value = parsed[1][b"BODYSTRUCTURE"]
    assert isinstance(value, tuple)
    return value


def test_text_part_single() -> None:
    part = text_part(
        structure(
            b'("TEXT" "PLAIN" ("CHARSET" "iso-8859-1" "FORMAT" "flowed") NIL NIL "8BIT" 120 3'
            b" NIL NIL NIL NIL)"
        )
    )
    assert part == TextPart("1", "plain", "iso-8859-1", "8bit", 120)
    assert part.fetch_item() == "BODY.PEEK[1]<0.2048>"
    assert part.response_key == b"BODY[1]<0>"


def test_text_part_prefers_plain_in_alternative_inside_mixed() -> None:
    part = text_part(
        structure(
            b'((("TEXT" "HTML" ("CHARSET" "UTF-8") NIL NIL "BASE64" 300 5 NIL NIL NIL NIL)'
            b'("TEXT" "PLAIN" ("CHARSET" "UTF-8") NIL NIL "QUOTED-PRINTABLE" 120 4 NIL NIL NIL NIL)'
            b' "ALTERNATIVE" ("BOUNDARY" "b2") NIL NIL NIL)'
            b'("APPLICATION" "PDF" ("NAME" "q.pdf") NIL NIL "BASE64" 1000 NIL'
            b' ("ATTACHMENT" ("FILENAME" "q.pdf")) NIL NIL) "MIXED" ("BOUNDARY" "b1") NIL NIL NIL)'
        )
    )
    assert part == TextPart("1.2", "plain", "UTF-8", "quoted-printable", 120)


def test_text_part_html_only_and_none() -> None:
    html_only = text_part(
        structure(
            b'(("TEXT" "HTML" NIL NIL NIL "7BIT" 30 1 NIL NIL NIL NIL) "ALTERNATIVE"'
            b' ("BOUNDARY" "b") NIL NIL NIL)'
        )
    )
    assert html_only == TextPart("1", "html", None, "7bit", 30)
    assert html_only.fetch_item() == "BODY.PEEK[1]<0.8192>"
    assert text_part(structure(b'("IMAGE" "PNG" NIL NIL NIL "BASE64" 10 NIL NIL NIL NIL)')) is None
    assert text_part(()) is None


def test_text_part_skips_text_attachments() -> None:
    part = text_part(
        structure(
            b'(("TEXT" "PLAIN" ("NAME" "log.txt") NIL NIL "7BIT" 30 1 NIL'
            b' ("ATTACHMENT" ("FILENAME" "log.txt")) NIL NIL)'
            b'("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 10 1 NIL NIL NIL NIL)'
            b' "MIXED" ("BOUNDARY" "b") NIL NIL NIL)'
        )
    )
    assert part is not None
    assert part.section == "2"
