"""links add, list, mint. Minting registers the link with the tracker at once when it can
(so a buyer who clicks before the next sync is not met with a 404) and says so when not."""

from __future__ import annotations

import argparse

from callqueue.cli.context import Context
from callqueue.errors import UserError


def run_links_add(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.actions.links import add_link

    link = add_link(ctx.store(create=True), args.name, args.url, ctx.now(None))
    ctx.print(f"Added link {link.name!r}: {link.destination}")
    return 0


def run_links_list(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.actions.links import list_links

    links = list_links(ctx.store())
    if args.json:
        from callqueue.cli.jsonout import dumps
        from callqueue.store.timefmt import to_db

        ctx.print(
            dumps(
                [
                    {
                        "id": link.id,
                        "name": link.name,
                        "destination": link.destination,
                        "created_at": to_db(link.created_at),
                        "minted": link.minted,
                        "human_clicks": link.human_clicks,
                        "scanner_clicks": link.scanner_clicks,
                    }
                    for link in links
                ],
                pretty=ctx.out.isatty(),
            )
        )
        return 0
    if not links:
        ctx.print("No links yet: callqueue links add URL --name 'Pricing PDF'")
        return 0
    width = max(len(link.name) for link in links)
    for link in links:
        ctx.print(
            f"{link.name:<{width}}  {link.destination}  ({link.minted} minted,"
            f" {link.human_clicks} human clicks, {link.scanner_clicks} scanner)"
        )
    return 0


def run_links_mint(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.actions import resolve_contact
    from callqueue.actions.links import find_link, link_html, mint_link
    from callqueue.linkrules import tracked_url

    cfg = ctx.config()
    base = cfg.tracker.url
    if not base:
        raise UserError(
            "no tracker is configured, so a tracked URL has nowhere to point; run"
            " callqueue tracker connect URL first"
        )
    now = ctx.now(None)
    sent_at = ctx.now(args.at) if args.at else None
    conn = ctx.store()
    contact_id = resolve_contact(conn, args.contact)
    find_link(conn, args.name)
    minted = mint_link(
        conn,
        args.name,
        contact_id,
        now=now,
        sent_at=sent_at,
        decoy=bool(args.html and cfg.tracker.decoy),
    )
    registered, problem = _register(ctx)
    url = tracked_url(base, minted.token)
    snippet = link_html(base, minted) if args.html else None
    if args.json:
        from callqueue.cli.jsonout import dumps

        ctx.print(
            dumps(
                {
                    "token": minted.token,
                    "url": url,
                    "link": minted.link_name,
                    "destination": minted.destination,
                    "contact": {"id": minted.contact_id, "name": minted.contact_name},
                    "decoy_url": tracked_url(base, minted.decoy_token)
                    if minted.decoy_token
                    else None,
                    "html": snippet,
                    "registered": registered,
                },
                pretty=ctx.out.isatty(),
            )
        )
    else:
        ctx.print(snippet if snippet is not None else url)
    if problem:
        print(
            f"callqueue: warning: the link is minted but not yet registered with the tracker"
            f" ({problem}); run callqueue sync before sending it",
            file=ctx.err,
        )
    return 0


def _register(ctx: Context) -> tuple[bool, str]:
    """Push pending links now; (registered, why not)."""
    from callqueue.sync.tracking import sync_tracking

    try:
        done = sync_tracking(ctx.store(), ctx.config(), pull=False)
    except UserError as exc:
        return False, str(exc)
    if done.conflicts:
        return False, "the tracker holds that token with another address"
    return True, ""
