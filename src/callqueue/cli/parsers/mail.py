"""Mail: `account add|show|test|login|remove`."""

from __future__ import annotations

from callqueue.cli.parsers.base import Commands
from callqueue.vocab import MailAuth, MailSecurity, SentCopy

PRESET_NAMES = (
    "gmail",
    "google-workspace",
    "icloud",
    "fastmail",
    "yahoo",
    "outlook",
    "microsoft365",
)
"""`callqueue.sync.presets.PRESETS`' names, spelled here so building the parser imports no
sync module (a test checks the two agree)."""


def register(cmd: Commands) -> None:
    account = cmd.add("account", "", "mail accounts: add, show, test, login, remove")
    sub = cmd.subcommands(account)

    p = cmd.add(
        "add",
        "callqueue.cli.mail_cmds:run_account_add",
        "add an IMAP account (signs in first; the password or tokens go to the keyring)",
        into=sub,
    )
    p.add_argument("--preset", choices=PRESET_NAMES, help="a provider's settings")
    p.add_argument("--host", metavar="H", help="IMAP server (without --preset)")
    p.add_argument("--port", type=int, metavar="P", help="default 993 (tls) or 143")
    p.add_argument("--user", required=True, metavar="U", help="sign-in name, usually your address")
    p.add_argument("--security", choices=list(MailSecurity), help="tls (default), starttls, plain")
    p.add_argument("--cafile", metavar="FILE", help="trust these certificates (PEM)")
    p.add_argument("--auth", choices=list(MailAuth), help="password (default) or oauth2")
    p.add_argument(
        "--password-stdin", action="store_true", help="read the (app) password from stdin"
    )
    p.add_argument("--client-id", metavar="ID", help="your OAuth2 app registration's client id")
    p.add_argument("--tenant", metavar="T", help="Microsoft tenant (id or domain)")
    p.add_argument("--authority", metavar="URL", help="another OAuth2 authority URL")
    p.add_argument("--name", metavar="NAME", help="what to call the account (default: --user)")
    p.add_argument("--address", metavar="ADDR", help="your address, when --user is not one")
    p.add_argument("--no-check", action="store_true", help="store it without signing in first")
    p.add_argument("--smtp-host", metavar="H", help="SMTP server for callqueue send (presets: set)")
    p.add_argument("--smtp-port", type=int, metavar="P", help="default 465 (tls) or 587 (starttls)")
    p.add_argument(
        "--smtp-security",
        choices=list(MailSecurity),
        help="tls (default), starttls, plain (loopback only)",
    )
    p.add_argument(
        "--sent-copy",
        choices=list(SentCopy),
        help="who files sent mail in Sent: append (callqueue), provider (Gmail, Microsoft), none",
    )

    p = cmd.add(
        "show",
        "callqueue.cli.mail_cmds:run_account_show",
        "the accounts' settings and sync state (never a secret)",
        into=sub,
    )
    p.add_argument("name", nargs="?", metavar="NAME")
    cmd.json(p)

    p = cmd.add(
        "test",
        "callqueue.cli.mail_cmds:run_account_test",
        "sign in and report what the server offers",
        into=sub,
    )
    p.add_argument("name", nargs="?", metavar="NAME")
    cmd.json(p)

    p = cmd.add(
        "login",
        "callqueue.cli.mail_cmds:run_account_login",
        "sign in again (a new password, or OAuth2 again)",
        into=sub,
    )
    p.add_argument("name", nargs="?", metavar="NAME")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")

    p = cmd.add(
        "remove",
        "callqueue.cli.mail_cmds:run_account_remove",
        "remove an account and its keyring entries (its mail stays in the history)",
        into=sub,
    )
    p.add_argument("name", metavar="NAME")
