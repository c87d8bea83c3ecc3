"""`callqueue contacts import/export` run as the installed command."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from tests.contacts_io.conftest import Run
from tests.contacts_io.helpers import FIXTURES, count, snapshot


def stored(db: Path) -> list[dict[str, object]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return snapshot(conn)
    finally:
        conn.close()


def test_import_prints_summary_and_skipped_lines(cq: Run, tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    result = cq("--db", str(db), "contacts", "import", str(FIXTURES / "salesforce_contacts.csv"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "2 added, 0 updated, 2 skipped",
        "  note: ignored columns (no contact field): 'Contact ID', 'Created Date', "
        "'Mailing City'; read one with --map COLUMN=FIELD",
        "  line 6: skipped: no name and no email address",
        "  line 7: skipped: same contact as line 2 (email dana.reyes@northwind.example)",
    ]
    again = cq("--db", str(db), "contacts", "import", str(FIXTURES / "salesforce_contacts.csv"))
    assert again.stdout.splitlines()[0] == "0 added, 0 updated, 2 skipped (2 unchanged)"
    assert len(stored(db)) == 2


def test_import_warnings_and_lead_source_with_at(cq: Run, tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    result = cq(
        "--db",
        str(db),
        "contacts",
        "import",
        str(FIXTURES / "hubspot_contacts.csv"),
        "--map",
        "Create Date=ignore",
        "--lead-source",
        "Trade fair",
        "--at",
        "2026-03-02T08:15:00Z",
    )
    assert result.returncode == 0, result.stderr
    assert "  line 4: warning: ignored time zone 'Eastern Time'" in result.stdout
    leads = {c["name"]: (c["lead_source"], c["lead_created_at"]) for c in stored(db)}
    assert leads["Ben Okafor"] == ("Offline Sources", "2026-03-02T08:15:00.000000Z")


def test_user_mistakes_exit_2_with_one_line_and_change_nothing(cq: Run, tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    assert (
        cq(
            "--db", str(db), "contacts", "import", str(FIXTURES / "google_contacts_old.csv")
        ).returncode
        == 0
    )
    before = stored(db)
    bad_csv = tmp_path / "notes.doc"
    bad_csv.write_text("just some words without separators\n")
    workbook = tmp_path / "book.csv"
    workbook.write_bytes(b"PK\x03\x04 not really a zip")
    heading_only = tmp_path / "heading.csv"
    heading_only.write_text("First Name,Last Name,Email\n")
    cases = [
        (
            ["contacts", "import", str(heading_only)],
            "has a heading (line 1) but no contact rows; export the contacts again",
        ),
        (["contacts", "import", str(tmp_path / "missing.csv")], "no such file"),
        (["contacts", "import", str(bad_csv)], "neither CSV nor vCard"),
        (["contacts", "import", str(workbook)], "spreadsheet workbook"),
        (
            ["contacts", "import", str(FIXTURES / "hubspot_contacts.csv"), "--map", "Cell=phone"],
            "no column 'Cell'",
        ),
        (
            [
                "contacts",
                "import",
                str(FIXTURES / "hubspot_contacts.csv"),
                "--map",
                "Email=e-mail-address",
            ],
            "unknown field 'e-mail-address'; fields: name,",
        ),
        (["contacts", "export", str(tmp_path / "out.xlsx")], "name the file .csv or .vcf"),
    ]
    for args, message in cases:
        result = cq("--db", str(db), *args)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.count("\n") == 1, result.stderr
        assert message in result.stderr
        assert "Traceback" not in result.stderr
    assert stored(db) == before
    assert not (tmp_path / "out.xlsx").exists()


def test_unreadable_file_exits_2(cq: Run, tmp_path: Path) -> None:
    path = tmp_path / "locked.csv"
    shutil.copy(FIXTURES / "hubspot_contacts.csv", path)
    path.chmod(0)
    try:
        readable = subprocess.run(["cat", str(path)], capture_output=True).returncode == 0
        result = cq("--db", str(tmp_path / "s.sqlite3"), "contacts", "import", str(path))
        if readable:  # running as root: permissions do not stop reads
            assert result.returncode == 0
        else:
            assert result.returncode == 2
            assert "cannot read" in result.stderr
    finally:
        path.chmod(0o600)


def test_import_error_leaves_a_fresh_store_empty_and_export_needs_a_store(
    cq: Run, tmp_path: Path
) -> None:
    db = tmp_path / "s.sqlite3"
    result = cq("--db", str(db), "contacts", "export", str(tmp_path / "out.csv"))
    assert result.returncode == 2
    assert "no store at" in result.stderr
    assert not db.exists()
    result = cq(
        "--db", str(db), "contacts", "import", str(FIXTURES / "v4_contacts.vcf"), "--map", "FN=name"
    )
    assert result.returncode == 2
    assert not db.exists()  # a refused import does not even create the store


def test_export_and_reimport_through_the_cli(cq: Run, tmp_path: Path) -> None:
    source, target = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    for name in ("apple_contacts.vcf", "outlook_contacts.csv"):
        assert cq("--db", str(source), "contacts", "import", str(FIXTURES / name)).returncode == 0
    for suffix in (".csv", ".vcf"):
        out = tmp_path / f"export{suffix}"
        result = cq("--db", str(source), "contacts", "export", str(out))
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == f"exported 4 contacts to {out}"
        target.unlink(missing_ok=True)
        result = cq("--db", str(target), "contacts", "import", str(out))
        assert result.stdout.splitlines() == ["4 added, 0 updated, 0 skipped"]
        assert stored(target) == stored(source)
    conn = sqlite3.connect(target)
    assert count(conn, "important_date") == 6
    conn.close()


def test_phone_region_from_config_is_one_rule_for_add_and_import(cq: Run, tmp_path: Path) -> None:
    db, config = tmp_path / "s.sqlite3", tmp_path / "config.toml"
    config.write_text('phone_region = "us"\n')
    base = ("--db", str(db), "--config", str(config))
    added = cq(
        *base,
        "contacts",
        "add",
        "Dana Reyes",
        "--email",
        "dana@x.example",
        "--phone",
        "+1 (312) 555-0100",
        "--phone",
        "312.555.0100",
    )
    assert added.returncode == 0, added.stderr
    path = tmp_path / "c.csv"
    path.write_text(
        "Name,Email,Phone,Mobile\nDana Reyes,dana@x.example,(312) 555 0100,312-555-0199\n"
    )
    result = cq(*base, "contacts", "import", str(path))
    assert result.stdout.splitlines()[0] == "0 added, 1 updated, 0 skipped", result.stderr
    assert stored(db)[0]["phones"] == [("+1 (312) 555-0100", None), ("312-555-0199", "mobile")]
    config.write_text('phone_region = "USA"\n')
    bad = cq(*base, "contacts", "import", str(path))
    assert bad.returncode == 2
    assert "phone_region: must be a two-letter country code" in bad.stderr


def test_file_notices_are_printed(cq: Run, tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text(
        'Notes:\n"Some email addresses are missing."\n\nFirst Name,Last Name,'
        "Email Address,Connected On\nDana,Reyes,dana@x.example,05 Mar 2024\n"
    )
    result = cq("--db", str(tmp_path / "s.sqlite3"), "contacts", "import", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "1 added, 0 updated, 0 skipped",
        "  note: the heading is on line 4; skipped the 3 lines before it",
        "  note: ignored columns (no contact field): 'Connected On'; read one with "
        "--map COLUMN=FIELD",
    ]
