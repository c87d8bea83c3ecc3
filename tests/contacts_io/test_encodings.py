"""Files that are not UTF-8: charset-normalizer's guess, and a warning when it is unsure."""

from __future__ import annotations

from pathlib import Path

import pytest

from callqueue.contacts_io.reader import read_contacts
from callqueue.contacts_io.source import guess_encoding

# Invented people, several rows each: a real export has many, and a detector needs
# more than one name to tell related encodings apart.
CZECH = [
    "Antonín Dvořák",
    "Žofie Šťastná",
    "Jiří Řezníček",
    "Bohumila Čermáková",
    "Přemysl Kůrka",
    "Věra Ďurišová",
]
JAPANESE = ["山田太郎", "佐藤花子", "鈴木一郎", "高橋美咲", "田中健太", "伊藤さくら"]
CHINESE = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄晓明"]
RUSSIAN = ["Иван Петров", "Ольга Смирнова", "Сергей Кузнецов", "Мария Попова"]


def csv_file(tmp_path: Path, names: list[str], encoding: str, company: str = "") -> Path:
    rows = [f"{name},person{i}@x.example,{company}" for i, name in enumerate(names)]
    path = tmp_path / f"{encoding}.csv"
    path.write_bytes(("Name,Email,Company\n" + "\n".join(rows) + "\n").encode(encoding))
    return path


@pytest.mark.parametrize(
    ("names", "encoding", "company", "reported"),
    [
        (CZECH, "cp1250", "Škoda Strojírny", "windows-1250"),
        (JAPANESE, "shift_jis", "株式会社山田商事", "shift_jis"),
        (CHINESE, "gb18030", "北京科技有限公司", "gb18030"),
        (RUSSIAN, "cp1251", "ООО Ромашка", "windows-1251"),
    ],
)
def test_other_encodings_are_detected_not_read_as_windows_1252(
    tmp_path: Path, names: list[str], encoding: str, company: str, reported: str
) -> None:
    result = read_contacts(csv_file(tmp_path, names, encoding, company))
    assert [r.name for r in result.records] == names
    assert result.records[0].company == company
    assert result.encoding == reported


def test_windows_1252_stays_the_choice_for_western_names(tmp_path: Path) -> None:
    names = ["François Lefèvre", "Hélène Côté", "Jürgen Müller", "Zoë Roe", "Renée Faure"]
    result = read_contacts(csv_file(tmp_path, names, "cp1252", "Société Générale"))
    assert [r.name for r in result.records] == names
    assert result.encoding == "windows-1252"


def test_a_guess_with_low_confidence_is_said(tmp_path: Path) -> None:
    # One Czech name: its bytes read as Windows-1252 too ("Dvoøák"), as well as the detector
    # can tell; the reader says so instead of choosing silently.
    result = read_contacts(csv_file(tmp_path, ["Antonín Dvořák"], "cp1250"))
    (notice,) = result.notices
    assert notice.startswith(
        "guessed its text encoding as windows-1252 with low confidence "
        "(windows-1250 would read it differently)"
    )
    assert notice.endswith("save the file as UTF-8 and import again")


def test_a_confident_guess_says_nothing(tmp_path: Path) -> None:
    assert read_contacts(csv_file(tmp_path, CZECH, "cp1250")).notices == []


def test_vcard_in_a_legacy_encoding(tmp_path: Path) -> None:
    cards = "".join(
        f"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:{name}\r\nEND:VCARD\r\n" for name in JAPANESE
    )
    path = tmp_path / "phone.vcf"
    path.write_bytes(cards.encode("shift_jis"))
    result = read_contacts(path)
    assert [r.name for r in result.records] == JAPANESE
    assert result.encoding == "shift_jis"


def test_guess_encoding_prefers_the_common_encoding_among_equal_fits() -> None:
    codec, doubt = guess_encoding("Name\nJürgen Müller\n".encode("cp1252"))
    assert (codec, doubt) == ("cp1252", None)
