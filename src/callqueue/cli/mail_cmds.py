"""Mail commands: `account add|show|test|login|remove` and `sync`.

A user's mistake (a wrong password, an unreachable server, a missing client id) is one
line and exit 2, with nothing stored: `account add` signs in before it stores anything.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING, Any

from callqueue.cli.context import Context
from callqueue.errors import UserError

if TYPE_CHECKING:
    from callqueue.sync.accounts import Account, NewAccount
    from callqueue.sync.imap import ImapSession

CAPABILITIES = ("IDLE", "CONDSTORE", "QRESYNC", "PREVIEW", "SPECIAL-USE", "X-GM-EXT-1")
"""What `account test` reports, each yes or no: what sync uses where a server offers it."""


def _password(args: argparse.Namespace, ctx: Context, name: str, hint: str | None) -> str:
    if args.password_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise UserError("no password on standard input; pipe it in with --password-stdin")
        return line
    if not sys.stdin.isatty():
        raise UserError("no terminal to ask for the password; pass it with --password-stdin")
    if hint:
        print(hint, file=ctx.err)
    secret = getpass.getpass(f"Password for {name}: ")
    if not secret:
        raise UserError("no password given; nothing was stored")
    return secret


def _show_device_code(ctx: Context) -> Any:
    def show(message: str) -> None:
        print(message, file=ctx.err, flush=True)

    return show


def _check(account: Account | NewAccount, ctx: Context, password: str | None) -> list[str]:
    """Sign in and list the capabilities; raises the sign-in's one-line error."""
    from callqueue.sync.accounts import sign_in

    session = sign_in(account, ctx.config().mail, password=password)
    try:
        return _capabilities(session)
    finally:
        session.close()


def _capabilities(session: ImapSession) -> list[str]:
    return [c for c in CAPABILITIES if session.has(c)]


def run_account_add(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue import keychain
    from callqueue.store.timefmt import utcnow
    from callqueue.sync import oauth
    from callqueue.sync.accounts import (
        keep_password,
        password_key,
        plan_account,
        save_account,
    )
    from callqueue.sync.presets import PRESETS
    from callqueue.vocab import MailAuth

    new = plan_account(
        user=args.user,
        preset=args.preset,
        host=args.host,
        port=args.port,
        security=args.security,
        cafile=args.cafile,
        auth=args.auth,
        client_id=args.client_id,
        tenant=args.tenant,
        authority=args.authority,
        name=args.name,
        address=args.address,
        smtp_host=args.smtp_host,
        smtp_port=args.smtp_port,
        smtp_security=args.smtp_security,
        sent_copy=args.sent_copy,
    )
    conn = ctx.store(create=True)
    if conn.execute("SELECT 1 FROM mail_account WHERE name = ?", (new.name,)).fetchone():
        raise UserError(f"an account named {new.name!r} exists; remove it first or pass --name")
    keychain.get_secret(password_key(new.name))  # no usable keyring: say so before anything
    hint = PRESETS[new.preset].help if new.preset else None
    password: str | None = None
    found: list[str] = []
    if new.auth == MailAuth.PASSWORD:
        password = _password(args, ctx, new.username, hint)
        if not args.no_check:
            found = _check(new, ctx, password)
        keep_password(new.name, password)
    else:
        if hint:
            print(hint, file=ctx.err)
        oauth.device_login(new.oauth_settings(), _show_device_code(ctx))
        if not args.no_check:
            try:
                found = _check(new, ctx, None)
            except UserError:
                oauth.forget(new.name)
                raise
    now = utcnow()
    try:
        account = save_account(conn, new, now=now, settings=ctx.config().mail)
    except BaseException:
        keychain.delete_secret(password_key(new.name))
        oauth.forget(new.name)
        raise
    kept = "password" if new.auth == MailAuth.PASSWORD else "OAuth2 sign-in"
    checked = "" if args.no_check else f"; signed in ({', '.join(found) or 'basic IMAP'})"
    ctx.print(
        f"Added account {account.name} ({account.host}:{account.port}, {account.security}); "
        f"{kept} in the keyring{checked}. Next: callqueue sync"
    )
    return 0


def _account(ctx: Context, name: str | None) -> Account:
    from callqueue.sync.accounts import find_account

    return find_account(ctx.store(), name)


def _folders(ctx: Context, account: Account) -> list[dict[str, Any]]:
    from callqueue.cli.jsonout import iso
    from callqueue.store.timefmt import from_db

    rows = (
        ctx.store()
        .execute(
            "SELECT s.folder, s.role, s.uidvalidity, s.last_uid, s.uidnext, s.highestmodseq,"
            " s.updated_at, (SELECT count(*) FROM message_copy c WHERE c.state_id = s.id) AS n"
            " FROM sync_state s WHERE s.account_id = ? ORDER BY s.id",
            (account.id,),
        )
        .fetchall()
    )
    return [
        {
            "folder": r["folder"],
            "role": r["role"],
            "messages": r["n"],
            "uidvalidity": r["uidvalidity"],
            "last_uid": r["last_uid"],
            "highestmodseq": r["highestmodseq"],
            "complete": r["uidnext"] is not None,
            "synced_at": iso(from_db(r["updated_at"])),
        }
        for r in rows
    ]


def _describe(ctx: Context, account: Account) -> dict[str, Any]:
    from callqueue.cli.jsonout import iso
    from callqueue.sync.accounts import has_secret

    return {
        "name": account.name,
        "address": account.address,
        "preset": account.preset,
        "host": account.host,
        "port": account.port,
        "security": account.security.value,
        "cafile": account.cafile,
        "user": account.username,
        "auth": account.auth.value,
        "client_id": account.oauth_client_id,
        "tenant": account.oauth_tenant,
        "authority": account.oauth_authority,
        "secret_in_keyring": has_secret(account),
        "history_before": iso(account.history_before),
        "smtp": None
        if account.smtp_host is None
        else {
            "host": account.smtp_host,
            "port": account.smtp_port,
            "security": account.smtp_security.value if account.smtp_security else None,
        },
        "sent_copy": account.sent_copy.value,
        "folders": _folders(ctx, account),
    }


def run_account_show(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.cli.jsonout import dumps
    from callqueue.sync.accounts import list_accounts

    accounts = [_account(ctx, args.name)] if args.name else list_accounts(ctx.store())
    shown = [_describe(ctx, a) for a in accounts]
    if args.json:
        ctx.print(dumps({"accounts": shown}, pretty=ctx.out.isatty()))
        return 0
    if not shown:
        ctx.print("No mail account yet. Add one: callqueue account add --preset gmail --user U")
        return 0
    for a in shown:
        secret = "in the keyring" if a["secret_in_keyring"] else "MISSING (account login)"
        what = "password" if a["auth"] == "password" else "OAuth2 sign-in"
        ctx.print(f"{a['name']} <{a['address']}>")
        ctx.print(f"  server   {a['host']}:{a['port']} ({a['security']})")
        ctx.print(f"  sign-in  {a['user']}, {what} {secret}")
        smtp = a["smtp"]
        sending = (
            f"{smtp['host']}:{smtp['port']} ({smtp['security']}), Sent copy by {a['sent_copy']}"
            if smtp
            else "none (callqueue send needs --smtp-host)"
        )
        ctx.print(f"  sending  {sending}")
        if a["client_id"]:
            ctx.print(f"  oauth2   client {a['client_id']} at {a['authority']}")
        for f in a["folders"]:
            state = "synced" if f["complete"] else "first sync not finished"
            ctx.print(
                f"  {f['role']:<6} {f['folder']}: {f['messages']} messages, {state} "
                f"{f['synced_at']}"
            )
    return 0


def run_account_test(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.cli.jsonout import dumps
    from callqueue.sync.accounts import sign_in
    from callqueue.sync.mailsync import plan_folders

    account = _account(ctx, args.name)
    session = sign_in(account, ctx.config().mail)
    try:
        caps = {c: session.has(c) for c in CAPABILITIES}
        plan = plan_folders(session.folders(), ctx.config().mail)
    finally:
        session.close()
    folders = [{"folder": name, "role": role.value} for name, role in plan.folders]
    if args.json:
        ctx.print(
            dumps(
                {
                    "account": account.name,
                    "signed_in": True,
                    "capabilities": caps,
                    "folders": folders,
                    "missing_folders": list(plan.missing),
                },
                pretty=ctx.out.isatty(),
            )
        )
        return 0
    ctx.print(f"Signed in to {account.host}:{account.port} as {account.username}.")
    ctx.print("  " + "  ".join(f"{c} {'yes' if ok else 'no'}" for c, ok in caps.items()))
    ctx.print("  syncs " + ", ".join(f"{f['folder']} ({f['role']})" for f in folders))
    for missing in plan.missing:
        ctx.print(f"  folder {missing!r} from config is not on the server")
    return 0


def run_account_login(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.sync import oauth
    from callqueue.sync.accounts import keep_password
    from callqueue.sync.presets import PRESETS
    from callqueue.vocab import MailAuth

    account = _account(ctx, args.name)
    hint = PRESETS[account.preset].help if account.preset in PRESETS else None
    if account.auth == MailAuth.PASSWORD:
        password = _password(args, ctx, account.username, hint)
        _check(account, ctx, password)
        keep_password(account.name, password)
        ctx.print(f"Signed in to {account.name}; the new password is in the keyring.")
        return 0
    oauth.device_login(account.oauth_settings(), _show_device_code(ctx))
    _check(account, ctx, None)
    ctx.print(f"Signed in to {account.name}; the OAuth2 sign-in is in the keyring.")
    return 0


def run_account_remove(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.sync.accounts import remove_account

    account = _account(ctx, args.name)
    kept = remove_account(ctx.store(), account)
    ctx.print(
        f"Removed account {account.name} and its keyring entries; "
        f"its {kept} messages stay in the contacts' history."
    )
    return 0


# -- sync ------------------------------------------------------------------------------
