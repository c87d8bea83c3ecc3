"""Mail accounts as sync sources (`callqueue.sync.sources`)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from callqueue.config import Config
from callqueue.sync.accounts import Account, find_account, list_accounts
from callqueue.sync.mailsync import AccountSummary, sync_account
from callqueue.sync.sources import Progress, SourceSummary, SyncRequest


@dataclass
class MailSource:
    account: Account

    @property
    def name(self) -> str:
        return f"mail:{self.account.name}"

    def run(
        self, conn: sqlite3.Connection, cfg: Config, request: SyncRequest, progress: Progress
    ) -> SourceSummary:
        def folder_progress(folder: str, done: int, total: int) -> None:
            progress(self.name, folder, done, total)

        result = sync_account(
            conn,
            self.account,
            cfg.mail,
            now=request.now,
            since=request.since,
            progress=folder_progress,
            phone_region=cfg.default_phone_region(),
        )
        return summarize(self.name, result)


def summarize(name: str, result: AccountSummary) -> SourceSummary:
    new = sum(f.new for f in result.folders)
    updated = sum(f.updated for f in result.folders) + result.linked
    skipped: dict[str, int] = {}
    already = sum(f.skipped for f in result.folders)
    if already:
        skipped["already stored"] = already
    if result.missing:
        skipped["folders not on the server"] = len(result.missing)
    notes: list[str] = []
    cleared = sum(f.cleared for f in result.folders)
    if cleared:
        notes.append(f"{cleared} inbound cleared as replied")
    leads = sum(f.leads for f in result.folders)
    if leads:
        notes.append(f"{leads} new {'lead' if leads == 1 else 'leads'}")
    if result.linked:
        notes.append(f"{result.linked} earlier messages joined new contacts")
    for f in result.folders:
        if f.renumbered:
            notes.append(f"{f.folder} was renumbered by the server (UIDVALIDITY) and re-read")
    for missing in result.missing:
        notes.append(f"folder {missing!r} (config) is not on the server")
    return SourceSummary(
        name,
        "mail",
        new=new,
        updated=updated,
        skipped=skipped,
        notes=tuple(notes),
        detail={
            "account": result.account,
            "folders": [
                {
                    "folder": f.folder,
                    "role": f.role.value,
                    "new": f.new,
                    "updated": f.updated,
                    "skipped": f.skipped,
                    "cleared": f.cleared,
                    "leads": f.leads,
                    "renumbered": f.renumbered,
                    "unchanged": f.unchanged,
                }
                for f in result.folders
            ],
            "linked": result.linked,
            "missing_folders": list(result.missing),
        },
    )


def sources(conn: sqlite3.Connection, cfg: Config, request: SyncRequest) -> list[MailSource]:
    """One source per mail account (or the one `request.account` names)."""
    if request.account is not None:
        return [MailSource(find_account(conn, request.account))]
    return [MailSource(a) for a in list_accounts(conn)]
