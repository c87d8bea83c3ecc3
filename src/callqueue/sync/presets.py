"""Mail providers as they work in 2026: server, port, how to sign in, and what to tell the rep.

Sources: each provider's published IMAP settings and sign-in help pages (linked in
`Preset.help`). Microsoft turned off password ("Basic") sign-in for IMAP in Exchange
Online and Outlook.com, so its presets are OAuth2 only; Google, Apple, Fastmail and
Yahoo take an app password (2-step verification must be on). Google does not let the
device-code sign-in ask for mail access (its "limited-input device" scopes exclude
Gmail), so Google accounts use app passwords here.
"""

from __future__ import annotations

from dataclasses import dataclass

from callqueue.vocab import MailAuth, MailSecurity, SentCopy

MICROSOFT_IMAP_SCOPE = "https://outlook.office.com/IMAP.AccessAsUser.All"
"""The delegated permission an app registration needs for IMAP (Microsoft's
"Authenticate an IMAP connection using OAuth" page)."""
MICROSOFT_SMTP_SCOPE = "https://outlook.office.com/SMTP.Send"
"""The delegated permission for SMTP submission (`callqueue send`), on the same resource,
so one access token serves IMAP and SMTP."""


@dataclass(frozen=True)
class Preset:
    name: str
    label: str
    host: str
    port: int
    security: MailSecurity
    auth: MailAuth
    help: str
    """One or two sentences: what the rep needs before `account add` works."""
    authority: str | None = None
    """OAuth2 authority URL with ``{tenant}`` for the tenant."""
    default_tenant: str | None = None
    scopes: tuple[str, ...] = ()
    smtp_host: str | None = None
    """The provider's SMTP submission server (`callqueue send`)."""
    smtp_port: int = 465
    smtp_security: MailSecurity = MailSecurity.TLS
    sent_copy: SentCopy = SentCopy.APPEND
    """PROVIDER where the provider files submitted mail in Sent itself (Gmail; Exchange
    Online since 2018, "Changes coming to the SMTP Authenticated Submission client
    protocol"): callqueue then does not APPEND a second copy."""


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "gmail",
            "Gmail",
            "imap.gmail.com",
            993,
            MailSecurity.TLS,
            MailAuth.PASSWORD,
            "Gmail needs an app password: turn on 2-Step Verification, then make one at "
            "https://myaccount.google.com/apppasswords and give it instead of your password.",
            smtp_host="smtp.gmail.com",
            sent_copy=SentCopy.PROVIDER,
        ),
        Preset(
            "google-workspace",
            "Google Workspace",
            "imap.gmail.com",
            993,
            MailSecurity.TLS,
            MailAuth.PASSWORD,
            "Google Workspace needs an app password (2-Step Verification on, and app "
            "passwords allowed by your admin): https://myaccount.google.com/apppasswords",
            smtp_host="smtp.gmail.com",
            sent_copy=SentCopy.PROVIDER,
        ),
        Preset(
            "icloud",
            "iCloud Mail",
            "imap.mail.me.com",
            993,
            MailSecurity.TLS,
            MailAuth.PASSWORD,
            "iCloud needs an app-specific password (two-factor authentication on): "
            "https://account.apple.com, Sign-In and Security, App-Specific Passwords.",
            smtp_host="smtp.mail.me.com",
            smtp_port=587,
            smtp_security=MailSecurity.STARTTLS,
        ),
        Preset(
            "fastmail",
            "Fastmail",
            "imap.fastmail.com",
            993,
            MailSecurity.TLS,
            MailAuth.PASSWORD,
            "Fastmail needs an app password with IMAP access: Settings, Privacy & Security, "
            "Manage app passwords (https://www.fastmail.help/hc/en-us/articles/360058752854).",
            smtp_host="smtp.fastmail.com",
        ),
        Preset(
            "yahoo",
            "Yahoo Mail",
            "imap.mail.yahoo.com",
            993,
            MailSecurity.TLS,
            MailAuth.PASSWORD,
            "Yahoo needs an app password (2-step verification on): Account Info, Account "
            "Security, Generate app password (https://login.yahoo.com/account/security).",
            smtp_host="smtp.mail.yahoo.com",
        ),
        Preset(
            "outlook",
            "Outlook.com",
            "outlook.office365.com",
            993,
            MailSecurity.TLS,
            MailAuth.OAUTH2,
            "Microsoft turned off password sign-in for IMAP: sign in with OAuth2 using your "
            "own app registration's client id (README, 'Microsoft 365 and Outlook').",
            authority="https://login.microsoftonline.com/{tenant}",
            default_tenant="consumers",
            scopes=(MICROSOFT_IMAP_SCOPE, MICROSOFT_SMTP_SCOPE),
            smtp_host="smtp-mail.outlook.com",
            smtp_port=587,
            smtp_security=MailSecurity.STARTTLS,
            sent_copy=SentCopy.PROVIDER,
        ),
        Preset(
            "microsoft365",
            "Microsoft 365",
            "outlook.office365.com",
            993,
            MailSecurity.TLS,
            MailAuth.OAUTH2,
            "Microsoft turned off password sign-in for IMAP: sign in with OAuth2 using your "
            "organisation's app registration (--client-id, --tenant; README, "
            "'Microsoft 365 and Outlook').",
            authority="https://login.microsoftonline.com/{tenant}",
            default_tenant="organizations",
            scopes=(MICROSOFT_IMAP_SCOPE, MICROSOFT_SMTP_SCOPE),
            smtp_host="smtp.office365.com",
            smtp_port=587,
            smtp_security=MailSecurity.STARTTLS,
            sent_copy=SentCopy.PROVIDER,
        ),
    )
}
"""Every preset by its name (the ``--preset`` choices)."""
