"""Email templates: files in the config directory, rendered with Jinja2.

A template is a pair of files named after it in the templates directory (`template_dir`:
``templates/`` beside the config file in use, by default ``~/.config/callqueue/templates``):
``NAME.txt`` (the plain text, required) and ``NAME.html`` (the HTML alternative; without
it, the HTML is made from the text: paragraphs, line breaks, links). The template
``info`` ships with callqueue and is used while no ``info.txt`` is there.

Why Jinja2 and not `string.Template`: the email has one line per link, an optional note
and an optional signature, so a template needs a loop and conditionals, which
`string.Template` has not (callqueue would build those lines itself, outside the
template, and the rep could not change them). The HTML alternative needs every value
escaped (a link called ``Terms & Prices`` or a note with ``<``); Jinja2 escapes
automatically in ``.html`` templates. Its `StrictUndefined` turns a placeholder with no
value into an error instead of a blank. Jinja2 is maintained by Pallets and imported
only when an email is composed.

Placeholders (`PLACEHOLDERS`): ``contact.name``, ``contact.first_name``,
``contact.email``, ``contact.company``, ``contact.title``, ``rep.name``, ``rep.email``,
``note``, ``links`` (each ``link.name`` and ``link.url``), ``link_names``, ``signature``,
``subject``. A placeholder the template uses that has no value (a contact without a
company) or does not exist is a `TemplateError` naming it and the template's line, so a
blank never reaches a buyer. Test an optional value with ``{% if contact.company is
defined %}``. ``note`` and ``signature`` are always defined (possibly empty).
"""

from __future__ import annotations

import html
import re
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from callqueue.config import Config
from callqueue.errors import UserError

if TYPE_CHECKING:
    from jinja2 import Environment, Template

DEFAULT_TEMPLATE = "info"
"""The template callqueue ships (``send/default_templates/``)."""
TEMPLATE_DIR_NAME = "templates"
_DEFAULTS = Path(__file__).with_name("default_templates")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")

CONTACT_FIELDS = ("name", "first_name", "email", "company", "title")
REP_FIELDS = ("name", "email")
LINK_FIELDS = ("name", "url")
PLACEHOLDERS = (
    *(f"contact.{f}" for f in CONTACT_FIELDS),
    *(f"rep.{f}" for f in REP_FIELDS),
    "note",
    "links",
    *(f"link.{f}" for f in LINK_FIELDS),
    "link_names",
    "signature",
    "subject",
)
"""Every placeholder a template may use (README, "Sending what you promised")."""


class TemplateError(UserError):
    """A template cannot be found, read or rendered; the message names the template, its
    line and the placeholder or mistake."""


class Fields:
    """A named group of placeholders (``contact``, ``rep``, a ``link``): its values by
    name. A known field without a value, or an unknown one, renders as an error naming
    ``label.field``, never as a blank."""

    __slots__ = ("_known", "_label", "_owner", "_values")

    def __init__(
        self, label: str, known: Sequence[str], values: Mapping[str, str | None], owner: str = ""
    ) -> None:
        self._label = label
        self._known = tuple(known)
        self._values = {k: v for k, v in values.items() if v is not None and v.strip() != ""}
        self._owner = owner

    def __getitem__(self, name: str) -> str:
        return self._values[name]

    def __repr__(self) -> str:
        return f"Fields({self._label!r}, {sorted(self._values)!r})"


@dataclass(frozen=True)
class Link:
    """A link as the email shows it: its library name and the contact's tracked URL."""

    name: str
    url: str


@dataclass(frozen=True)
class Placeholders:
    """The values one email is rendered with."""

    contact_name: str
    contact_email: str
    contact_company: str | None
    contact_title: str | None
    rep_name: str | None
    rep_email: str
    note: str
    links: tuple[Link, ...]
    signature: str

    @property
    def first_name(self) -> str:
        """The contact's first name: the first word of the name (``Dana Reyes`` -> Dana)."""
        words = self.contact_name.split()
        return words[0] if words else ""

    @property
    def link_names(self) -> str:
        """``Pricing PDF``, ``Pricing PDF and Case study``, ``A, B and C``."""
        names = [link.name for link in self.links]
        if len(names) <= 1:
            return "".join(names)
        return f"{', '.join(names[:-1])} and {names[-1]}"

    def context(self, subject: str | None = None) -> dict[str, Any]:
        """The template's variables (`Fields` groups, plain strings and the link list)."""
        owner = self.contact_name
        values: dict[str, Any] = {
            "contact": Fields(
                "contact",
                CONTACT_FIELDS,
                {
                    "name": self.contact_name,
                    "first_name": self.first_name,
                    "email": self.contact_email,
                    "company": self.contact_company,
                    "title": self.contact_title,
                },
                owner,
            ),
            "rep": Fields(
                "rep", REP_FIELDS, {"name": self.rep_name, "email": self.rep_email}, "you"
            ),
            "note": self.note,
            "links": [
                Fields("link", LINK_FIELDS, {"name": link.name, "url": link.url}, link.name)
                for link in self.links
            ],
            "link_names": self.link_names,
            "signature": self.signature,
        }
        if subject is not None:
            values["subject"] = subject
        return values


@dataclass(frozen=True)
class Rendered:
    """One email's words: its subject line, plain text and HTML alternative."""

    subject: str
    text: str
    html: str


def template_dir(cfg: Config) -> Path:
    """Where the rep's templates are: ``send.templates_dir``, else ``templates/`` beside
    the config file in use, else in the platform config directory."""
    if cfg.send.templates_dir:
        return Path(cfg.send.templates_dir).expanduser()
    if cfg.source is not None:
        return cfg.source.parent / TEMPLATE_DIR_NAME
    from callqueue.paths import config_dir

    return config_dir() / TEMPLATE_DIR_NAME


@dataclass(frozen=True)
class TemplateFiles:
    """Where one template's files are (`html` None: made from the text)."""

    name: str
    text: Path
    html: Path | None

    @property
    def shipped(self) -> bool:
        return self.text.parent == _DEFAULTS


def find_template(cfg: Config, name: str | None = None) -> TemplateFiles:
    """The files of template `name` (default ``send.template``). Raises TemplateError
    naming the directory and the templates found there when there is none."""
    wanted = (name or cfg.send.template).strip()
    if not _NAME.fullmatch(wanted):
        raise TemplateError(
            f"{wanted!r} is not a template name; use letters, digits, '-', '_' or '.'"
        )
    folder = template_dir(cfg)
    text = folder / f"{wanted}.txt"
    if text.is_file():
        html_file = folder / f"{wanted}.html"
        return TemplateFiles(wanted, text, html_file if html_file.is_file() else None)
    if wanted == DEFAULT_TEMPLATE:
        return TemplateFiles(wanted, _DEFAULTS / "info.txt", _DEFAULTS / "info.html")
    found = sorted(p.stem for p in folder.glob("*.txt")) if folder.is_dir() else []
    listed = ", ".join([DEFAULT_TEMPLATE, *[f for f in found if f != DEFAULT_TEMPLATE]])
    raise TemplateError(
        f"no template {wanted!r}: write {text} (and {wanted}.html for the HTML part);"
        f" templates: {listed}"
    )


def render(
    cfg: Config,
    values: Placeholders,
    *,
    template: str | None = None,
    subject: str | None = None,
) -> Rendered:
    """Render template `template` (default ``send.template``) and the subject line
    (`subject`, default ``send.subject``; itself a template over the same placeholders).

    Raises TemplateError: no such template, a file that cannot be read, a syntax error,
    or a placeholder without a value (each naming the file and line).
    """
    files = find_template(cfg, template)
    env = _environment()
    context = values.context()
    subject_text = _render_string(env, subject or cfg.send.subject, context, "the subject")
    subject_line = " ".join(subject_text.split())
    if not subject_line:
        raise TemplateError("the subject is empty; give one with --subject or send.subject")
    context["subject"] = subject_line
    text = _render_file(env, files.text, context)
    html_text = (
        _render_file(env, files.html, context) if files.html is not None else text_to_html(text)
    )
    return Rendered(subject_line, text, html_text)


def text_to_html(text: str) -> str:
    """An HTML alternative made from plain text: escaped, paragraphs at blank lines, line
    breaks kept, http(s) URLs as links."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    out = []
    for paragraph in paragraphs:
        lines = [_linkify(html.escape(line)) for line in paragraph.splitlines()]
        out.append("<p>" + "<br>\n".join(lines) + "</p>")
    return "<!DOCTYPE html>\n<html>\n<body>\n" + "\n".join(out) + "\n</body>\n</html>\n"


_URL = re.compile(r"https?://[^\s<>\"']+")


def _linkify(escaped: str) -> str:
    return _URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)


# -- Jinja2 ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _environment() -> Environment:
    """One environment a process: it keeps compiled templates (compiling one costs about
    5 ms) and compiles a file again only when its modification time changes."""
    from jinja2 import Environment, FunctionLoader, StrictUndefined, select_autoescape
    from jinja2.utils import missing
    from markupsafe import Markup, escape

    class Missing(StrictUndefined):
        """StrictUndefined whose error names the placeholder as the template wrote it."""

        @property
        def _undefined_message(self) -> str:
            obj, name = self._undefined_obj, self._undefined_name
            if isinstance(obj, Fields):
                # Fields' slots are private: read them as the owner of the class would.
                label, known, owner = obj._label, obj._known, obj._owner
                if name in known:
                    whose = f" for {owner}" if owner else ""
                    return (
                        f"{{{{ {label}.{name} }}}} has no value{whose}; fill it in, or write"
                        f" {{% if {label}.{name} is defined %}} around it"
                    )
                return (
                    f"{{{{ {label}.{name} }}}} is not a placeholder; {label} has {', '.join(known)}"
                )
            if obj is missing:
                listed = ", ".join(PLACEHOLDERS)
                return f"{{{{ {name} }}}} is not a placeholder; use one of {listed}"
            return f"{{{{ ... {name} }}}} has no value ({self._undefined_hint or 'undefined'})"

    def nl2br(value: str) -> Markup:
        """Escaped text with its line breaks as ``<br>``."""
        return Markup("<br>\n").join(escape(line) for line in str(value).splitlines())

    def load(name: str) -> tuple[str, str, Callable[[], bool]]:
        path = Path(name)
        stamp = path.stat().st_mtime_ns
        source = path.read_text(encoding="utf-8")

        def unchanged() -> bool:
            try:
                return path.stat().st_mtime_ns == stamp
            except OSError:
                return False

        return source, name, unchanged

    # Loaded by path, so autoescaping follows the file's extension (.html) and the
    # template's frames in a traceback carry the file's name and line.
    env = Environment(
        loader=FunctionLoader(load),
        auto_reload=True,
        undefined=Missing,
        autoescape=select_autoescape(["html", "htm"], default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["nl2br"] = nl2br
    return env


def _render_file(env: Environment, path: Path, context: dict[str, Any]) -> str:
    from jinja2 import TemplateSyntaxError, UndefinedError

    try:
        compiled = env.get_template(str(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"cannot read template {path} ({exc}); fix or remove it") from None
    except TemplateSyntaxError as exc:
        raise TemplateError(f"template {path} line {exc.lineno}: {exc.message}") from None
    try:
        return str(compiled.render(context))
    except TemplateSyntaxError as exc:
        raise TemplateError(f"template {path} line {exc.lineno}: {exc.message}") from None
    except UndefinedError as exc:  # raised only by Missing: the message names it
        raise TemplateError(f"template {path}{_line(exc, path)}: {exc}") from None
    except Exception as exc:  # the rep's own template: a mistake in it, one line
        raise TemplateError(
            f"template {path}{_line(exc, path)}: {type(exc).__name__}: {exc}"
        ) from None


def _render_string(env: Environment, source: str, context: dict[str, Any], what: str) -> str:
    from jinja2 import TemplateSyntaxError, UndefinedError

    try:
        return str(_compiled_string(env, source).render(context))
    except TemplateSyntaxError as exc:
        raise TemplateError(f"{what} {source!r}: {exc.message}") from None
    except UndefinedError as exc:  # raised only by Missing: the message names it
        raise TemplateError(f"{what} {source!r}: {exc}") from None
    except Exception as exc:  # the rep's own subject template
        raise TemplateError(f"{what} {source!r}: {type(exc).__name__}: {exc}") from None


@lru_cache(maxsize=32)
def _compiled_string(env: Environment, source: str) -> Template:
    return env.from_string(source)


def _line(exc: BaseException, path: Path) -> str:
    """`` line N`` of the template where `exc` was raised ("" when unknown).

    Jinja2 rewrites tracebacks so that a template's frames carry its file name and line.
    """
    lineno = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == str(path):
            lineno = frame.lineno
    return f" line {lineno}" if lineno else ""
