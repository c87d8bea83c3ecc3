"""A one-line table cell: plain text in one style, rendered as a single segment."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style


class Cell:
    """What the queue table holds in each cell instead of a rich `Text`.

    A `Text` cell is wrapped, justified and split into spans each time it is rendered:
    about half the cost of the queue's first frame on a full screen of rows, and again
    for every changed row. A cell here never wraps (the columns fit their content and
    long values are cut with an ellipsis beforehand), so it is one segment, cropped to
    the column if the column is ever narrower. It draws exactly what the `Text` drew.
    """

    __slots__ = ("_style", "style", "text")

    def __init__(self, text: str, style: str = "") -> None:
        self.text = text
        self.style = style
        self._style = Style.parse(style) if style else None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        text = self.text
        if cell_len(text) > options.max_width:
            text = set_cell_size(text, options.max_width)
        yield Segment(text, self._style)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        width = cell_len(self.text)
        return Measurement(width, width)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Cell):
            return NotImplemented
        return self.text == other.text and self.style == other.style

    def __hash__(self) -> int:
        return hash((self.text, self.style))

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Cell({self.text!r}, {self.style!r})"


def fit(text: str, width: int) -> str:
    """`text` cut to `width` cells, with an ellipsis when cut."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(width - 1, 0)) + "…"


def room_for_last(width: int, columns: list[list[str]], *, least: int = 20) -> int:
    """Cells left for a table's last column on a `width`-cell screen, after the other
    `columns` (header and cell texts) with their padding and the scrollbar: long
    messages end with an ellipsis on screen instead of running off the edge."""
    used = sum(max((cell_len(text) for text in column), default=0) + 2 for column in columns)
    return max(width - used - 2 - 2, least)
