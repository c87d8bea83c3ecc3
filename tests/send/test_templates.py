"""Templates: files in the config directory, rendered with Jinja2; a placeholder without a
value is an error naming it and the line, never a blank in a sent email."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from callqueue.config import Config, SendSettings
from callqueue.send.templates import (
    Link,
    Placeholders,
    TemplateError,
    find_template,
    render,
    template_dir,
    text_to_html,
)

VALUES = Placeholders(
    contact_name="Dana Reyes",
    contact_email="dana@fabrikam.example",
    contact_company="Fabrikam",
    contact_title=None,
    rep_name="Sam Rep",
    rep_email="sam@us.example",
    note="As promised: the two documents.\nCall me with questions.",
    links=(
        Link("Pricing PDF", "https://t.example/c/AAAAAAAAAAAAAAAAAAAAAA"),
        Link("Terms & <Conditions>", "https://t.example/c/BBBBBBBBBBBBBBBBBBBBBB"),
    ),
    signature="Sam Rep\nAcme Sales",
)


def _cfg(tmp_path: Path, **send: str) -> Config:
    return Config(send=SendSettings(templates_dir=str(tmp_path), **send))  # type: ignore[arg-type]


def test_the_shipped_template_has_greeting_note_one_line_per_link_and_signature(
    tmp_path: Path,
) -> None:
    out = render(_cfg(tmp_path), VALUES)
    assert out.subject == "The links you asked for: Pricing PDF and Terms & <Conditions>"
    lines = out.text.splitlines()
    assert lines[0] == "Hi Dana,"
    assert "As promised: the two documents." in lines
    assert "Pricing PDF: https://t.example/c/AAAAAAAAAAAAAAAAAAAAAA" in lines
    assert "Terms & <Conditions>: https://t.example/c/BBBBBBBBBBBBBBBBBBBBBB" in lines
    assert lines[-2:] == ["Sam Rep", "Acme Sales"]
    assert "-- " in lines, "the signature separator (two dashes and a space)"


def test_the_html_alternative_escapes_every_value(tmp_path: Path) -> None:
    out = render(_cfg(tmp_path), VALUES)
    link = '<a href="https://t.example/c/BBBBBBBBBBBBBBBBBBBBBB">'
    assert f"{link}Terms &amp; &lt;Conditions&gt;</a>" in out.html
    assert "<Conditions>" not in out.html
    assert "the two documents.<br>\nCall me" in out.html


def test_a_template_in_the_config_directory_replaces_the_shipped_one(tmp_path: Path) -> None:
    (tmp_path / "info.txt").write_text("Dear {{ contact.name }} of {{ contact.company }}\n")
    out = render(_cfg(tmp_path), VALUES)
    assert out.text == "Dear Dana Reyes of Fabrikam\n"
    assert out.html.count("<p>") == 1, "no .html beside it: the HTML is made from the text"


def test_templates_sit_beside_the_config_file_by_default(tmp_path: Path) -> None:
    cfg = Config(source=tmp_path / "config.toml")
    assert template_dir(cfg) == tmp_path / "templates"


def test_a_placeholder_without_a_value_names_it_and_the_line(tmp_path: Path) -> None:
    (tmp_path / "info.txt").write_text("Hi {{ contact.first_name }},\n\nAs {{ contact.title }}\n")
    with pytest.raises(TemplateError) as caught:
        render(_cfg(tmp_path), VALUES)
    message = str(caught.value)
    assert "info.txt line 3" in message
    assert "{{ contact.title }} has no value for Dana Reyes" in message


def test_an_unknown_placeholder_is_an_error_listing_the_real_ones(tmp_path: Path) -> None:
    (tmp_path / "info.txt").write_text("Hi {{ contact.nickname }}\n")
    with pytest.raises(TemplateError, match=r"contact\.nickname \}\} is not a placeholder"):
        render(_cfg(tmp_path), VALUES)
    (tmp_path / "info.txt").write_text("Hi {{ buyer }}\n")
    with pytest.raises(TemplateError, match=r"\{\{ buyer \}\} is not a placeholder; use one of"):
        render(_cfg(tmp_path), VALUES)


def test_an_optional_value_can_be_tested(tmp_path: Path) -> None:
    (tmp_path / "info.txt").write_text(
        "{% if contact.title is defined %}{{ contact.title }}{% else %}no title{% endif %}\n"
    )
    assert render(_cfg(tmp_path), VALUES).text == "no title"
    titled = replace(VALUES, contact_title="CFO")
    assert render(_cfg(tmp_path), titled).text == "CFO"


def test_a_missing_value_in_the_subject_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match=r"the subject .*contact\.title \}\} has no value"):
        render(_cfg(tmp_path), VALUES, subject="For {{ contact.title }}")


def test_a_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "info.txt").write_text("Hi\n{% for link in links %}\n{{ link.url }}\n")
    with pytest.raises(TemplateError, match=r"info\.txt line \d+: Unexpected end of template"):
        render(_cfg(tmp_path), VALUES)


def test_an_unknown_template_names_where_to_put_it(tmp_path: Path) -> None:
    (tmp_path / "quote.txt").write_text("x\n")
    with pytest.raises(TemplateError) as caught:
        find_template(_cfg(tmp_path), "proposal")
    assert str(tmp_path / "proposal.txt") in str(caught.value)
    assert "templates: info, quote" in str(caught.value)


def test_a_template_name_cannot_leave_the_directory(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="is not a template name"):
        find_template(_cfg(tmp_path), "../config")


def test_html_made_from_text_escapes_and_links() -> None:
    out = text_to_html("Hi <Dana>,\n\nPricing: https://t.example/c/X\nbye\n")
    assert "<p>Hi &lt;Dana&gt;,</p>" in out
    assert '<a href="https://t.example/c/X">https://t.example/c/X</a><br>\nbye' in out
