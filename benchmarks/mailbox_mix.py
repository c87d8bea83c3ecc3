"""Benchmark mailboxes: a realistic business mix, and the plain-text mix the sync
benchmark first used. Both are generators of raw RFC 5322 messages (CRLF lines), seeded,
so every run and every tool sees the same mail.

The realistic mix follows published figures on business mail:

* **Average size about 75 KB.** Microsoft's Exchange sizing guidance assumes an average
  message of 75 KB (Exchange Team blog, "Ask the Perf Guy: Sizing Exchange 2013
  Deployments", 2013-05-06; also the default of the Exchange Server Role Requirements
  Calculator). The Radicati Group measured 110 messages and 9.6 MB a day for a corporate
  user in 2003 (about 87 KB a message; CNET, "Report: E-mail volume grows rapidly",
  2003). Tony Redmond found the average in his Exchange Online inbox sixty times the
  2-4 KB of 1996, naming more headers, HTML bodies, inline graphics and attachments as
  the causes (office365itpros.com, "Why Messages in Your Exchange Online Inbox Are So
  Large", 2021-05-06).
* **Most messages small, the bytes in a tail of attachments.** Ferris Research: the
  great majority of an employee's messages are around 5 KB, around 10% are 100 KB-1 MB
  (a typical Word or Excel attachment) and around 5% are over 1 MB ("eMail Industry
  Statistics", email-museum.com). Email audits of companies found 30-50% of the bytes
  to be Office documents and PDFs, and an average message of 50-60 KB (Random
  Desiderata, "Analyzing archives", 2007). About a quarter of business messages carry
  attachments (mxhero, citing The Radicati Group: 24%, averaging 500 KB). Here: 20% of
  messages carry one or two attachments, log-normal around 100 KB encoded (sigma 1.4,
  at most 8 MB): about 9% of all messages fall in 100 KB-1 MB and 1% above 1 MB, a
  thinner tail than Ferris's, which keeps the mean near Microsoft's 75 KB.
* **HTML with a text alternative.** Outlook composes HTML by default, and Outlook,
  Gmail and Apple Mail send it as multipart/alternative with a text/plain part; the same
  audits found HTML making a message 3-10 times the size of its text. Here: 85% of
  messages are multipart/alternative (the HTML 3-10x the text, with Outlook-style
  styles), 15% text/plain only (no published share was found: an assumption); a fifth
  of the HTML messages carry an inline signature image (multipart/related).
* **Headers of hosted mail.** Received chains of 3-6 hops, DKIM, ARC and
  Authentication-Results, and the X-MS-Exchange-* block of Microsoft 365 (40% of
  senders) or Google's X-Gm/X-Google lines (35%): 3-6 KB of header, the "more headers"
  Redmond names. Half the messages are replies (In-Reply-To, References, quoted
  history), 12% of senders have non-ASCII names (RFC 2047 encoded words), 30% have a
  Cc line; 8% are newsletters (List-Unsubscribe, List-Id), 2% auto-replies.

These proportions are what the benchmark generates, not measurements of anyone's
mailbox; they are printed with the results.
"""

from __future__ import annotations

import base64
import binascii
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

WORDS = [
    "the",
    "quote",
    "pricing",
    "for",
    "seats",
    "we",
    "would",
    "like",
    "to",
    "proceed",
    "next",
    "week",
    "call",
    "me",
    "about",
    "renewal",
    "contract",
    "team",
    "budget",
    "approval",
    "onboarding",
    "rollout",
    "licence",
    "users",
    "pilot",
    "timeline",
]


def text_mix(n: int, seed: int = 1) -> Iterator[bytes]:
    """The first benchmark mailbox: text/plain only, 40-300 words, a Received chain and a
    DKIM line; senders spread over 300 companies. About 2.5 KB a message."""
    rnd = random.Random(seed)
    start = datetime.now(UTC) - timedelta(days=60)
    for i in range(n):
        at = start + timedelta(seconds=i * 59 * 86400 / n)
        who = f"person{rnd.randrange(2000)}@company{rnd.randrange(300)}.example"
        body = " ".join(rnd.choice(WORDS) for _ in range(rnd.randrange(40, 300)))
        subject = " ".join(rnd.choice(WORDS) for _ in range(6)).capitalize()
        stamp = format_datetime(at)
        yield (
            f"Return-Path: <{who}>\r\n"
            f"Received: from mx{i % 7}.example (mx.example [192.0.2.{i % 250}]) by "
            f"mail.example with ESMTPS id {i:08x}; {stamp}\r\n"
            f"Received: from client (unknown [198.51.100.{i % 200}]) by mx.example "
            f"with ESMTPSA; {stamp}\r\n"
            f"DKIM-Signature: v=1; a=rsa-sha256; d=company.example; s=s1; "
            f"h=from:to:subject:date; bh={'A' * 44}; b={'B' * 300}\r\n"
            f'From: "Person {i}" <{who}>\r\nTo: Rep <rep@example.com>\r\n'
            f"Subject: {subject}\r\nDate: {stamp}\r\n"
            f"Message-ID: <{i}.{rnd.randrange(10**9)}@company.example>\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            f"{body}\r\n"
        ).encode()


# ----------------------------------------------------------------------------- realistic

SHARE_ALTERNATIVE = 0.85
SHARE_ATTACHMENT = 0.20
SHARE_INLINE_IMAGE = 0.20  # of the HTML messages
SHARE_REPLY = 0.50
SHARE_NEWSLETTER = 0.08
SHARE_AUTO_REPLY = 0.02
SHARE_ENCODED_NAME = 0.12
SHARE_CC = 0.30
ATTACHMENT_MEDIAN = 100_000  # bytes, base64-encoded
ATTACHMENT_SIGMA = 1.4
ATTACHMENT_MAX = 8_000_000

FIRST = ["Dana", "Lee", "Sam", "Priya", "Jonas", "Maria", "Ahmed", "Chen", "Olivia", "Tom"]
LAST = ["Reyes", "Chen", "Ortiz", "Patel", "Berg", "Rossi", "Haddad", "Wang", "Smith", "Kim"]
ACCENTED = ["José Müller", "Zoë Øvergård", "Łukasz Wójcik", "Renée Lefèvre", "Çağrı Yılmaz"]
OFFSETS = ["+0000", "+0100", "+0200", "-0500", "-0800", "+0530", "+0900", "-0300"]
STYLE = (
    '<style><!--\r\n/* Font Definitions */\r\n@font-face\r\n\t{font-family:"Cambria Math";'
    "\r\n\tpanose-1:2 4 5 3 5 4 6 3 2 4;}\r\n@font-face\r\n\t{font-family:Calibri;\r\n\t"
    "panose-1:2 15 5 2 2 2 4 3 2 4;}\r\n/* Style Definitions */\r\np.MsoNormal, "
    "li.MsoNormal, div.MsoNormal\r\n\t{margin:0cm;\r\n\tfont-size:11.0pt;\r\n\tfont-family:"
    '"Calibri",sans-serif;\r\n\tmso-ligatures:standardcontextual;}\r\na:link, '
    "span.MsoHyperlink\r\n\t{mso-style-priority:99;\r\n\tcolor:#0563C1;\r\n\ttext-decoration:"
    "underline;}\r\nspan.EmailStyle17\r\n\t{mso-style-type:personal-compose;\r\n\tfont-family:"
    '"Calibri",sans-serif;\r\n\tcolor:windowtext;}\r\n.MsoChpDefault\r\n\t{mso-style-type:'
    "export-only;\r\n\tfont-size:10.0pt;}\r\n@page WordSection1\r\n\t{size:612.0pt 792.0pt;"
    "\r\n\tmargin:72.0pt 72.0pt 72.0pt 72.0pt;}\r\ndiv.WordSection1\r\n\t{page:WordSection1;}"
    "\r\n--></style>"
)

MSO = (
    '<!--[if gte mso 9]><xml>\r\n<o:shapedefaults v:ext="edit" spidmax="1026" />\r\n'
    '</xml><![endif]--><!--[if gte mso 9]><xml>\r\n<o:shapelayout v:ext="edit">\r\n'
    '<o:idmap v:ext="edit" data="1" />\r\n</o:shapelayout></xml><![endif]-->'
)
SIGNATURE = (
    '<p class="MsoNormal"><o:p>&nbsp;</o:p></p><table class="MsoNormalTable" border="0" '
    'cellspacing="0" cellpadding="0" style="border-collapse:collapse"><tr><td width="320" '
    'valign="top" style="width:240.0pt;padding:0cm 5.4pt 0cm 5.4pt"><p class="MsoNormal">'
    '<b><span style="font-size:10.0pt;font-family:&quot;Arial&quot;,sans-serif;color:#1F3864">'
    'Account Executive</span></b><span style="font-size:10.0pt;font-family:&quot;Arial&quot;'
    ',sans-serif;color:#1F3864"><br>Direct +1 555 0100 | Mobile +1 555 0199<o:p></o:p></span>'
    '</p></td></tr></table><p class="MsoNormal"><span style="font-size:7.5pt;font-family:'
    '&quot;Arial&quot;,sans-serif;color:gray">This e-mail and any attachments are confidential '
    "and may be privileged. If you are not the intended recipient, please notify the sender "
    "immediately and delete it; do not copy, use or disclose its contents.<o:p></o:p></span></p>"
)
"""Outlook's conditional XML blocks and a corporate signature with its disclaimer: the
boilerplate that makes an HTML body several times its text."""


def _words(rnd: random.Random, lo: int, hi: int) -> str:
    return " ".join(rnd.choice(WORDS) for _ in range(rnd.randrange(lo, hi)))


def _b64(data: bytes) -> bytes:
    return base64.encodebytes(data).replace(b"\n", b"\r\n")


def _qp(text: str) -> bytes:
    """Quoted-printable with CRLF lines and soft breaks at 76 characters, as mailers send."""
    return binascii.b2a_qp(text.encode())


def _encoded_word(text: str) -> str:
    return "=?utf-8?B?" + base64.b64encode(text.encode()).decode() + "?="


def _trace(rnd: random.Random, host: str, stamp: str, microsoft: bool, google: bool) -> str:
    lines = []
    for hop in range(rnd.randrange(3, 7)):
        lines.append(
            f"Received: from mx{hop}.{host} (mx{hop}.{host} [192.0.2.{rnd.randrange(1, 255)}])"
            f"\r\n\tby mail{hop}.example.com with ESMTPS id {rnd.getrandbits(64):016x}\r\n\t"
            f"(version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256); {stamp}\r\n"
        )
    sig = base64.b64encode(rnd.randbytes(256)).decode()
    folded = "\r\n\t".join(sig[i : i + 76] for i in range(0, len(sig), 76))
    lines.append(
        f"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={host}; s=selector1;\r\n\t"
        f"h=From:Date:Subject:Message-ID:Content-Type:MIME-Version;\r\n\t"
        f"bh={base64.b64encode(rnd.randbytes(32)).decode()};\r\n\tb={folded}\r\n"
    )
    lines.append(
        f"ARC-Seal: i=1; a=rsa-sha256; s=arcselector10001; d=microsoft.com; cv=none;\r\n\t"
        f"b={folded}\r\n"
        f"ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=microsoft.com;\r\n\t"
        f"s=arcselector10001; h=From:Date:Subject:Message-ID:Content-Type:MIME-Version;\r\n\t"
        f"b={folded}\r\n"
        f"Authentication-Results: spf=pass (sender IP is 192.0.2.{rnd.randrange(1, 255)})"
        f"\r\n smtp.mailfrom={host}; dkim=pass (signature was verified)\r\n header.d={host};"
        f"dmarc=pass action=none header.from={host};compauth=pass reason=100\r\n"
    )
    if microsoft:
        for name in (
            "X-MS-Exchange-Organization-ExpirationStartTime",
            "X-MS-Exchange-Organization-Network-Message-Id",
            "X-MS-PublicTrafficType",
            "X-MS-TrafficTypeDiagnostic",
            "X-MS-Office365-Filtering-Correlation-Id",
            "X-MS-Exchange-AntiSpam-MessageData-ChunkCount",
            "X-MS-Exchange-CrossTenant-OriginalArrivalTime",
            "X-MS-Exchange-CrossTenant-FromEntityHeader",
            "X-MS-Exchange-CrossTenant-Id",
            "X-MS-Exchange-Transport-CrossTenantHeadersStamped",
            "X-Microsoft-Antispam",
            "X-Forefront-Antispam-Report",
        ):
            lines.append(f"{name}: {base64.b64encode(rnd.randbytes(48)).decode()}\r\n")
        lines.append(
            "X-Microsoft-Antispam-Message-Info:\r\n\t"
            + "\r\n\t".join(sig[i : i + 76] for i in range(0, len(sig), 76))
            + "\r\n"
        )
    if google:
        lines.append(
            f"X-Google-DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=1e100.net;"
            f"\r\n\ts=20230601; b={folded}\r\n"
            f"X-Gm-Message-State: {base64.b64encode(rnd.randbytes(60)).decode()}\r\n"
            f"X-Google-Smtp-Source: {base64.b64encode(rnd.randbytes(60)).decode()}\r\n"
        )
    return "".join(lines)


def _attachment(rnd: random.Random) -> bytes:
    size = int(rnd.lognormvariate(0, ATTACHMENT_SIGMA) * ATTACHMENT_MEDIAN * 3 / 4)
    size = max(2_000, min(size, ATTACHMENT_MAX * 3 // 4))
    name, ctype = rnd.choice(
        [
            ("Quote.pdf", "application/pdf"),
            ("Proposal.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml"),
            ("Pricing.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml"),
            ("Deck.pptx", "application/vnd.openxmlformats-officedocument.presentationml"),
            ("scan.jpg", "image/jpeg"),
        ]
    )
    head = (
        f'Content-Type: {ctype}; name="{name}"\r\nContent-Description: {name}\r\n'
        f'Content-Disposition: attachment; filename="{name}"; size={size}\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n"
    ).encode()
    # Documents are compressed (docx, xlsx, pdf streams, jpeg): random bytes are close.
    return head + _b64(rnd.randbytes(size))


def realistic_mix(n: int, seed: int = 2) -> Iterator[bytes]:
    """`n` messages of the realistic business mix described in this module's docstring."""
    rnd = random.Random(seed)
    start = datetime.now(UTC) - timedelta(days=60)
    for i in range(n):
        yield _realistic(rnd, i, start + timedelta(seconds=i * 59 * 86400 / n))


def _realistic(rnd: random.Random, i: int, at: datetime) -> bytes:
    company = f"company{rnd.randrange(300)}.example"
    first, last = rnd.choice(FIRST), rnd.choice(LAST)
    who = f"{first.lower()}.{last.lower()}{rnd.randrange(20)}@{company}"
    kind = rnd.random()
    newsletter = kind < SHARE_NEWSLETTER
    auto = SHARE_NEWSLETTER <= kind < SHARE_NEWSLETTER + SHARE_AUTO_REPLY
    reply = not newsletter and not auto and rnd.random() < SHARE_REPLY
    host_kind = rnd.random()
    microsoft, google = host_kind < 0.40, 0.40 <= host_kind < 0.75
    zone = rnd.choice(OFFSETS)
    sign = -1 if zone[0] == "-" else 1
    local = at + sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[3:]))
    stamp = local.strftime("%a, %d %b %Y %H:%M:%S ") + zone
    name = rnd.choice(ACCENTED) if rnd.random() < SHARE_ENCODED_NAME else f"{first} {last}"
    shown = _encoded_word(name) if not name.isascii() else f'"{name}"'
    subject = _words(rnd, 3, 9).capitalize()
    if rnd.random() < 0.10:
        subject = _encoded_word(subject + " – Angebot für Zoë")
    if reply:
        subject = rnd.choice(["RE: ", "Re: ", "AW: "]) + subject
    if auto:
        subject = "Automatic reply: " + subject
    if newsletter:
        subject = "Your " + _words(rnd, 2, 5) + " newsletter"
    if microsoft:
        server = f"AM0PR04MB{rnd.randrange(9999):04d}.eurprd04.prod.outlook.com"
        msgid = f"<{rnd.getrandbits(80):X}@{server}>"
    else:
        msgid = f"<CA+{base64.urlsafe_b64encode(rnd.randbytes(30)).decode()}@mail.gmail.com>"
    head = [f"Return-Path: <{who}>\r\n", _trace(rnd, company, stamp, microsoft, google)]
    head.append(f"From: {shown} <{who}>\r\n")
    recipients = ["Rep <rep@example.com>"] + [
        f"{rnd.choice(FIRST)} {rnd.choice(LAST)} <{rnd.choice(FIRST).lower()}@{company}>"
        for _ in range(rnd.randrange(0, 3))
    ]
    head.append("To: " + ",\r\n\t".join(recipients) + "\r\n")
    if rnd.random() < SHARE_CC:
        cc = [f"{rnd.choice(FIRST).lower()}@{company}" for _ in range(rnd.randrange(1, 5))]
        head.append("Cc: " + ", ".join(cc) + "\r\n")
    head.append(f"Subject: {subject}\r\nDate: {stamp}\r\nMessage-ID: {msgid}\r\n")
    if reply:
        refs = [f"<{rnd.getrandbits(64):x}.{j}@{company}>" for j in range(rnd.randrange(1, 7))]
        head.append(f"In-Reply-To: {refs[-1]}\r\nReferences: " + "\r\n ".join(refs) + "\r\n")
    if microsoft:
        head.append(
            f"Thread-Topic: {subject}\r\nThread-Index: "
            f"{base64.b64encode(rnd.randbytes(22)).decode()}\r\nContent-Language: en-US\r\n"
        )
    if newsletter:
        head.append(
            f"List-Unsubscribe: <https://news.{company}/u/{rnd.getrandbits(64):x}>\r\n"
            f"List-Id: <news.{company}>\r\nPrecedence: bulk\r\n"
        )
    if auto:
        head.append("Auto-Submitted: auto-replied\r\nX-Auto-Response-Suppress: All\r\n")
    text = _words(rnd, 40, 300)
    if reply:  # quoted history, as mail programs leave it
        for _ in range(rnd.randrange(1, 4)):
            text += f"\r\n\r\nOn {stamp}, {first} {last} <{who}> wrote:\r\n> " + "\r\n> ".join(
                _words(rnd, 8, 14) for _ in range(rnd.randrange(3, 15))
            )
    body = _body(rnd, text, newsletter)
    if rnd.random() < SHARE_ATTACHMENT and not newsletter and not auto:
        boundary = f"_mixed_{rnd.getrandbits(64):x}_"
        parts = [body] + [_attachment(rnd) for _ in range(1 if rnd.random() < 0.75 else 2)]
        body = (
            f'Content-Type: multipart/mixed;\r\n\tboundary="{boundary}"\r\n\r\n'.encode()
            + b"".join(f"--{boundary}\r\n".encode() + p + b"\r\n" for p in parts)
            + f"--{boundary}--\r\n".encode()
        )
    return "".join(head).encode() + b"MIME-Version: 1.0\r\n" + body


def _body(rnd: random.Random, text: str, newsletter: bool) -> bytes:
    """The message's body entity with its Content-Type: text only, or an alternative of
    text and HTML (with an inline image now and then)."""
    plain = (
        b'Content-Type: text/plain; charset="utf-8"\r\n'
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n" + _qp(text) + b"\r\n"
    )
    if not newsletter and rnd.random() >= SHARE_ALTERNATIVE:
        return plain
    paragraphs = "".join(
        f'<p class="MsoNormal"><span style="font-size:11.0pt">{line}</span></p>\r\n'
        for line in text.split("\r\n")
        if line
    )
    padding = rnd.randrange(0, 4) if not newsletter else rnd.randrange(20, 60)
    html = (
        '<html xmlns:v="urn:schemas-microsoft-com:vml"><head><meta http-equiv="Content-Type"'
        ' content="text/html; charset=utf-8">' + STYLE + MSO + '</head><body lang="EN-US">'
        '<div class="WordSection1">\r\n'
        + paragraphs
        + SIGNATURE
        # Tables, tracking pixels and layout that newsletters and signatures add.
        + "".join(
            f'<table><tr><td style="padding:0cm 5.4pt"><p class="MsoNormal">{_words(rnd, 5, 30)}'
            "</p></td></tr></table>\r\n"
            for _ in range(padding)
        )
        + "</div></body></html>\r\n"
    )
    html_part = (
        b'Content-Type: text/html; charset="utf-8"\r\n'
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n" + _qp(html)
    )
    if not newsletter and rnd.random() < SHARE_INLINE_IMAGE:
        image = _b64(rnd.randbytes(rnd.randrange(4_000, 16_000)))
        related = f"_rel_{rnd.getrandbits(64):x}_"
        html_part = (
            f'Content-Type: multipart/related;\r\n\tboundary="{related}";'
            ' type="text/html"\r\n\r\n'.encode()
            + f"--{related}\r\n".encode()
            + html_part
            + f'\r\n--{related}\r\nContent-Type: image/png; name="image001.png"\r\n'
            "Content-ID: <image001.png@01DA0000.00000000>\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n".encode()
            + image
            + f"--{related}--\r\n".encode()
        )
    boundary = f"_alt_{rnd.getrandbits(64):x}_"
    return (
        f'Content-Type: multipart/alternative;\r\n\tboundary="{boundary}"\r\n\r\n'.encode()
        + f"--{boundary}\r\n".encode()
        + plain
        + f"\r\n--{boundary}\r\n".encode()
        + html_part
        + f"\r\n--{boundary}--\r\n".encode()
    )


def describe(sample: list[bytes]) -> str:
    """Size figures of a sample of a mix, for the benchmark's report."""
    sizes = sorted(len(m) for m in sample)
    n = len(sizes)
    mean = sum(sizes) / n
    over_100k = sum(1 for s in sizes if 100_000 <= s < 1_000_000) / n
    over_1m = sum(1 for s in sizes if s >= 1_000_000) / n
    alternative = sum(1 for m in sample if b"multipart/alternative" in m) / n
    mixed = sum(1 for m in sample if b"multipart/mixed" in m) / n
    return (
        f"mean {mean / 1000:.1f} KB, median {sizes[n // 2] / 1000:.1f} KB, "
        f"100 KB-1 MB {over_100k:.0%}, over 1 MB {over_1m:.1%}, "
        f"HTML alternative {alternative:.0%}, attachments {mixed:.0%}"
    )
