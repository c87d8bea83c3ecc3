"""Each private Textual attribute callqueue relies on still exists and behaves as used.

callqueue reaches into Textual where Textual gives no public way (memory held by
removed widgets, render-cache sizes, the footer's rebuilds, fields that apply keys in
order, the first-frame benchmark, the tests' key bursts). Most of those uses are written
defensively (`getattr(..., None)`), so a Textual upgrade that renames one would silently
turn a fix off. These tests make such an upgrade fail loudly instead: fix the use, then
this test. Textual is pinned exactly in pyproject.toml.
"""

from __future__ import annotations

import inspect
from typing import Any

from textual import events
from textual._styles_cache import StylesCache
from textual.app import App
from textual.cache import LRUCache
from textual.keys import _character_to_key
from textual.reactive import Reactive
from textual.widgets import DataTable, Footer, Input, RadioButton, TextArea

from callqueue.tui.widgets.keys_footer import KeysFooter
from callqueue.tui.widgets.queue_table import QueueTable
from tests.tui.conftest import MakeApp, settle

CACHES = ("_cell_render_cache", "_row_render_cache", "_row_renderable_cache", "_line_cache")


def test_the_styles_cache_memo_can_be_emptied() -> None:
    """widgets/removed_widgets.py: `StylesCache.get_inner_outer` is an lru_cache."""
    memo = StylesCache.get_inner_outer
    assert callable(getattr(memo, "cache_clear", None))
    assert callable(getattr(memo, "cache_info", None))


def test_the_footer_internals_the_keys_footer_uses() -> None:
    """widgets/keys_footer.py: `_bindings_ready`, `compact` (a reactive), `bindings_changed`,
    `show_command_palette`, `recompose`; and App.mutate_reactive."""
    assert "_bindings_ready" in inspect.getsource(Footer)
    assert isinstance(Footer.__dict__["compact"], Reactive)
    assert callable(Footer.bindings_changed)
    assert "show_command_palette" in dir(Footer)
    assert callable(Footer.mutate_reactive)
    assert KeysFooter.bindings_changed is not Footer.bindings_changed
    # the private FooterKey, whose `action` says which keys to leave out when narrow
    from textual.widgets._footer import FooterKey

    key = FooterKey("e", "e", "End of day", "eod")
    assert key.action == "eod"


async def test_the_data_table_render_caches_can_be_resized(app_factory: MakeApp) -> None:
    """widgets/queue_table.py sizes four private LRU caches; tests read two flags."""
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(pilot)
        table = app.screen.query_one(QueueTable)
        for name in (
            "_cell_render_cache",
            "_row_render_cache",
            "_row_renderable_cache",
            "_line_cache",
        ):
            cache = getattr(table, name)
            assert isinstance(cache, LRUCache), name
            assert cache.maxsize < 1000, f"{name} was not resized"
        assert isinstance(table._require_update_dimensions, bool)
        assert isinstance(table._updated_cells, set)


def test_widget_bindings_map_used_by_fields() -> None:
    """widgets/fields.py runs a field's own bindings from `Widget._bindings.key_to_bindings`."""
    for widget in (Input(), TextArea()):
        mapping = widget._bindings.key_to_bindings
        assert "backspace" in mapping, type(widget).__name__
        assert all(hasattr(b, "priority") and hasattr(b, "action") for b in mapping["backspace"])


def test_key_events_know_if_they_were_forwarded() -> None:
    """app.py holds keys that arrive from the driver, not those bubbling back up."""
    event = events.Key("a", "a")
    assert event.is_forwarded is False
    event._set_forwarded()
    assert event.is_forwarded is True


def test_input_filters_bindings_by_what_it_consumes() -> None:
    """dialogs/call_log.py: NotesInput decides per key whether digits reach the dialog."""
    assert Input().check_consume_key("a", "a") is True
    assert Input().check_consume_key("enter", None) is False


def test_radio_button_draws_its_dot_from_button_inner() -> None:
    """dialogs/when.py: Choice shows the dot only on the chosen button."""
    assert isinstance(RadioButton.BUTTON_INNER, str)
    assert "BUTTON_INNER" in inspect.getsource(RadioButton.__mro__[1])


def test_what_the_benchmarks_and_tests_use_of_the_app() -> None:
    """benchmarks/bench_tui_first_frame.py hooks `App._display`; tests read
    `App._notifications`, send keys through `App._driver.send_message` and name keys
    with `textual.keys._character_to_key`."""
    assert callable(App._display)
    assert "_notifications" in inspect.getsource(App.__init__)
    assert "_driver" in inspect.getsource(App.__init__)
    assert _character_to_key(",") == "comma"
    from textual.driver import Driver

    assert callable(Driver.send_message)


def test_the_console_size_can_be_pinned() -> None:
    """app.py pins Rich's console size so measuring a cell needs no ioctl."""
    app: App[Any] = App()
    app.console.size = (90, 30)
    assert (app.console.width, app.console.height) == (90, 30)


def test_data_table_caches_are_created_where_we_look() -> None:
    """The cache attribute names as DataTable's constructor sets them."""
    source = inspect.getsource(DataTable.__init__)
    for name in CACHES:
        assert f"self.{name}" in source, name


def test_the_xterm_parser_turns_typed_text_into_keys() -> None:
    """tui/terminal.py parses what was typed before Textual took the terminal with
    `textual._xterm_parser.XTermParser`, as Textual's own driver does."""
    from callqueue.tui.terminal import TypeAhead

    typed = TypeAhead()  # no terminal under pytest: reads nothing
    typed._typed = "c4a b\r"
    assert [(e.key, e.character) for e in typed.key_events() if isinstance(e, events.Key)] == [
        ("c", "c"),
        ("4", "4"),
        ("a", "a"),
        ("space", " "),
        ("b", "b"),
        ("enter", "\r"),
    ]
