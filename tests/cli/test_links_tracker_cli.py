"""links add/list/mint and tracker token/connect/serve, run as the rep runs them, against
a real tracker (SQLite store): output, the HTML snippet and its decoy, one-line errors
that change nothing, the token kept only in the keyring and the URL in the config."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from callqueue.config import load_config
from callqueue.keychain import get_secret
from callqueue.tracker.client import token_key
from tests.cli.conftest import Run
from tests.conftest import CALLQUEUE
from tests.servers.tracker import RunningTracker, start_tracker


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


@pytest.fixture
def service(tmp_path: Path) -> Iterator[RunningTracker]:
    running = start_tracker(str(tmp_path / "tracker.sqlite3"))
    yield running
    running.stop()


@pytest.fixture
def home(tmp_path: Path, cq: Run) -> dict[str, Path]:
    db = tmp_path / "rep.sqlite3"
    config = tmp_path / "config.toml"
    config.write_text('# my settings\ntimezone = "UTC"  # keep this comment\n')
    assert cq("--db", str(db), "contacts", "add", "Dana Reyes", "--email", "dana@acme.example"
              ).returncode == 0  # fmt: skip
    return {"db": db, "config": config}


def test_connect_keeps_the_url_in_the_config_and_the_token_in_the_keyring(
    cq: Run, service: RunningTracker, home: dict[str, Path], file_keyring: Path
) -> None:
    before = home["config"].read_text()
    wrong = cq("--config", str(home["config"]), "tracker", "connect", service.url,
               "--token-stdin", input_text="not-the-token\n")  # fmt: skip
    assert wrong.returncode == 2
    assert "refused the API token" in one_line(wrong.stderr)
    assert home["config"].read_text() == before, "a refused token changes nothing"
    done = cq("--config", str(home["config"]), "tracker", "connect", service.url + "/",
              "--token-stdin", input_text=service.api_token + "\n")  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = home["config"].read_text()
    assert "# keep this comment" in text
    assert service.api_token not in text
    assert load_config(home["config"], required=True).tracker.url == service.url
    assert get_secret(token_key(service.url)) == service.api_token


def test_connect_refuses_a_bad_url_and_a_missing_token(cq: Run, home: dict[str, Path]) -> None:
    bad = cq("--config", str(home["config"]), "tracker", "connect", "ftp://t.example",
             "--token-stdin", input_text="x\n")  # fmt: skip
    assert bad.returncode == 2
    assert "not a tracker address" in one_line(bad.stderr)
    empty = cq("--config", str(home["config"]), "tracker", "connect", "https://t.example",
               "--token-stdin", input_text="\n")  # fmt: skip
    assert empty.returncode == 2
    assert "no API token given" in one_line(empty.stderr)


def test_token_prints_one_new_token_that_the_api_accepts(cq: Run, service: RunningTracker) -> None:
    made = cq("tracker", "token", "--store", service.store, "--label", "dana's laptop")
    assert made.returncode == 0
    token = made.stdout.strip()
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
    with httpx.Client(base_url=service.url, headers={"authorization": f"Bearer {token}"}) as h:
        assert h.get("/api/events", params={"limit": 0}).status_code == 200
    raw = Path(service.store).read_bytes()
    assert token.encode() not in raw, "only the hash is stored"


@pytest.fixture
def connected(
    cq: Run, service: RunningTracker, home: dict[str, Path], file_keyring: Path
) -> dict[str, Path]:
    assert cq("--config", str(home["config"]), "tracker", "connect", service.url,
              "--token-stdin", input_text=service.api_token + "\n").returncode == 0  # fmt: skip
    return home


def run_in(home: dict[str, Path], cq: Run, *args: str) -> subprocess.CompletedProcess[str]:
    return cq("--db", str(home["db"]), "--config", str(home["config"]), *args)


def test_links_add_list_and_mint_a_url_that_redirects(
    cq: Run, service: RunningTracker, connected: dict[str, Path]
) -> None:
    added = run_in(connected, cq, "links", "add", " https://exämple.com/präsentation.pdf ",
                   "--name", "Pricing PDF")  # fmt: skip
    assert added.returncode == 0
    assert "https://xn--exmple-cua.com/pr%C3%A4sentation.pdf" in added.stdout
    minted = run_in(connected, cq, "links", "mint", "pricing", "--contact", "dana",
                    "--at", "20 min ago")  # fmt: skip
    assert minted.returncode == 0, minted.stderr
    assert minted.stderr == ""
    url = minted.stdout.strip()
    assert re.fullmatch(re.escape(service.url) + r"/c/[A-Za-z0-9_-]{22}", url)
    with httpx.Client(headers={"user-agent": "Mozilla/5.0 (X11; Linux) Firefox/121.0"}) as http:
        response = http.get(url)
    assert response.status_code == 302
    assert response.headers["location"] == "https://xn--exmple-cua.com/pr%C3%A4sentation.pdf"
    listed = json.loads(run_in(connected, cq, "links", "list", "--json").stdout)
    assert [(x["name"], x["minted"]) for x in listed] == [("Pricing PDF", 1)]
    synced = run_in(connected, cq, "sync")
    assert synced.returncode == 0
    assert "clicks: 1 new (1 human, 0 scanner)" in synced.stdout
    shown = run_in(connected, cq, "contact", "show", "dana", "--json")
    timeline = json.loads(shown.stdout)["timeline"]
    assert [(t["kind"], t["detail"]) for t in timeline] == [("click", "human")]


def test_the_html_snippet_and_its_decoy(
    cq: Run, service: RunningTracker, connected: dict[str, Path]
) -> None:
    run_in(connected, cq, "links", "add", "https://example.com/case", "--name", "Case study")
    plain = run_in(connected, cq, "links", "mint", "case", "--contact", "dana", "--html")
    assert plain.stdout.count("<a ") == 1
    assert re.fullmatch(r'<a href="http://[^"]+/c/[\w-]{22}">Case study</a>\n', plain.stdout)
    with connected["config"].open("a") as out:
        out.write("decoy = true\n")  # into the [tracker] table connect wrote last
    assert load_config(connected["config"], required=True).tracker.decoy
    snippet = run_in(connected, cq, "links", "mint", "case", "--contact", "dana", "--html")
    assert snippet.returncode == 0, snippet.stderr
    html = snippet.stdout
    assert html.count("<a ") == 2
    decoy = html.split("\n", 1)[1]
    assert 'aria-hidden="true"' in decoy
    assert 'tabindex="-1"' in decoy
    assert "left:-9999px" in decoy
    for trick in ("display:none", "color", "font-size:0", "visibility:hidden"):
        assert trick not in decoy
    urls = re.findall(r'href="([^"]+)"', html)
    with httpx.Client() as http:
        assert [http.get(u).status_code for u in urls] == [302, 302], "both are registered"
    decoys = sqlite_rows(connected["db"], "SELECT decoy FROM link_token ORDER BY id")
    assert decoys == [(0,), (0,), (1,)]


def sqlite_rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_mint_errors_change_nothing(cq: Run, home: dict[str, Path], tmp_path: Path) -> None:
    run_in(home, cq, "links", "add", "https://example.com/a", "--name", "Alpha")
    run_in(home, cq, "links", "add", "https://example.com/b", "--name", "Alpine")
    no_tracker = run_in(home, cq, "links", "mint", "alpha", "--contact", "dana")
    assert no_tracker.returncode == 2
    assert "no tracker is configured" in one_line(no_tracker.stderr)
    with home["config"].open("a") as out:
        out.write('[tracker]\nurl = "http://127.0.0.1:9"\n')
    for args, problem in (
        (("links", "mint", "alp", "--contact", "dana"), "could be any of"),
        (("links", "mint", "nothing", "--contact", "dana"), "no link named"),
        (("links", "mint", "alpha", "--contact", "nobody"), "no contact"),
        (("links", "add", "javascript:alert(1)", "--name", "x"), "not a web address"),
        (("links", "add", "https://a.example/", "--name", "ALPHA"), "already exists"),
        (("links", "add", "https://user:pw@a.example/", "--name", "creds"), "user name"),
    ):
        result = run_in(home, cq, *args)
        assert result.returncode == 2, args
        assert problem in one_line(result.stderr), args
    assert sqlite_rows(home["db"], "SELECT count(*) FROM link_token") == [(0,)]
    assert sqlite_rows(home["db"], "SELECT count(*) FROM tracked_link") == [(2,)]
    # An unreachable tracker: minted and kept, with a warning to sync before sending.
    offline = run_in(home, cq, "links", "mint", "alpha", "--contact", "dana")
    assert offline.returncode == 0
    assert "not yet registered" in one_line(offline.stderr)
    assert sqlite_rows(home["db"], "SELECT registered_at FROM link_token") == [(None,)]


def test_serve_reports_a_taken_port_and_a_bad_store_in_one_line(cq: Run, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [CALLQUEUE, "tracker", "serve", "--port", str(port), "--store",
             str(tmp_path / "t.sqlite3")],
            capture_output=True, text=True, timeout=60, env=os.environ.copy(),
        )  # fmt: skip
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in one_line(result.stderr)
    bad = cq("tracker", "serve", "--port", "0", "--store", "mysql://x@y/z")
    assert bad.returncode == 2
    assert "unsupported tracker store" in one_line(bad.stderr)


def test_sync_without_a_source_says_how_to_set_one_up(cq: Run, home: dict[str, Path]) -> None:
    result = run_in(home, cq, "sync")
    assert result.returncode == 2
    assert "callqueue tracker connect URL" in one_line(result.stderr)
