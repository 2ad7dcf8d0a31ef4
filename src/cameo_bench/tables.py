"""Tables on the terminal that fit its width and never cut a cell.

A table is given whole (:class:`TextTable`: the same cells the Markdown files hold) and printed
in the first form that fits the console:

1. as it is, one line per row;
2. labels narrowed: a cell's text breaks after ``/``, ``-``, ``_`` or at a space into lines of
   at most the table's ``label_width`` (default :data:`LABEL_WIDTH`) characters, a header into
   lines as wide as its column's values (at least :data:`HEADER_WIDTH`; an attached column's
   header drops the header of the column before it that it repeats);
3. values narrowed too: a value's ``± half-width``, an interval's upper bound and a
   parenthesized detail go on a line under it;
4. narrowed and split into parts, ``Title (1/3)`` ...: the key columns (e.g. run, group, n) are
   repeated in every part and the other columns shared out in order, a column marked
   ``attached`` (a paper's reported value beside ours) always in the part of the column before.

Only a console narrower than one key column plus one value column still wraps (rich folds
those cells, losing no character). Files (``--out``) keep the whole form.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

__all__ = ["LABEL_WIDTH", "HEADER_WIDTH", "TextTable", "narrow_cell", "fit_table",
           "print_table"]

#: The longest line a narrowed label keeps (longer ones break after ``/``, ``-``, ``_``, space):
#: room for a dataset name such as ``Demo Polish (synthetic)`` on one line.
LABEL_WIDTH = 24
#: The narrowest a narrowed header's lines are made (a run's name over its column of values).
HEADER_WIDTH = 10
_NUMBER = re.compile(r"^[-+]?\d|^\[[-+]?\d")
_BREAK = re.compile(r"[^\s/_-]*(?:[/_-]+|\s+|$)")


@dataclass(frozen=True)
class TextTable:
    """A table of strings: ``title``, ``header``, ``rows``; ``keys``: indices of the columns
    repeated in every part of a split table; ``attached``: indices of columns that stay in the
    part of the column before them; ``label_width``: the longest line of a narrowed text cell.
    A column whose cells start with a number is right-aligned."""

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    keys: frozenset[int] = field(default_factory=frozenset)
    attached: frozenset[int] = field(default_factory=frozenset)
    label_width: int = LABEL_WIDTH

    def __iter__(self):
        """Unpacks as ``(title, header, rows)``."""
        return iter((self.title, self.header, self.rows))

    def numeric(self, column: int) -> bool:
        """Whether any cell of ``column`` is a number (then the column is right-aligned)."""
        return any(_NUMBER.match(row[column]) for row in self.rows)

    @property
    def width(self) -> int:
        """Characters per line when printed with rich's default box: each column's widest
        line plus 3 (padding and rule), plus the left edge."""
        columns = zip(self.header, *self.rows, strict=True) if self.rows else (
            (h,) for h in self.header)
        return sum(max(cell_len(line) for cell in col for line in cell.split("\n")) + 3
                   for col in columns) + 1


def _wrap_label(text: str, width: int) -> str:
    """``text`` in lines of at most ``width`` characters, broken after ``/``, ``-``, ``_`` or at
    a space (a longer piece keeps its own line)."""
    lines: list[str] = []
    line = ""
    for piece in _BREAK.findall(text):
        if line and cell_len((line + piece).rstrip()) > width:
            lines.append(line.rstrip())
            line = ""
        line += piece
    lines.append(line.rstrip())
    return "\n".join(lines)


def narrow_cell(cell: str, width: int = LABEL_WIDTH, *, numbers: bool = True) -> str:
    """``cell`` broken into lines: ``0.465 ± 0.1477`` -> ``0.465`` / ``± 0.1477``, ``[-0.01,
    +0.03]`` -> ``[-0.01,`` / `` +0.03]``, ``91 (43/48)`` -> ``91`` / ``(43/48)`` (unless not
    ``numbers``), a label longer than ``width`` at its break points."""
    if _NUMBER.match(cell):
        return (cell.replace(" ± ", "\n± ").replace(", ", ",\n ").replace(" (", "\n(")
                if numbers else cell)
    return "\n".join(_wrap_label(line, width) for line in cell.split("\n"))


def _narrowed(table: TextTable, *, numbers: bool) -> TextTable:
    """``table`` with labels wrapped and, with ``numbers``, values stacked; a header wraps to
    the width of its column's values (at least :data:`HEADER_WIDTH`)."""
    rows = [[narrow_cell(c, table.label_width, numbers=numbers) for c in row]
            for row in table.rows]
    header = []
    for i, name in enumerate(table.header):
        before = table.header[i - 1] if i else ""
        if i in table.attached and before and name.startswith(before + " "):
            name = name[len(before) + 1:]  # beside its column: "paper (reported)" says it
        widest = max((cell_len(line) for row in rows for line in row[i].split("\n")), default=0)
        header.append(narrow_cell(name, max(HEADER_WIDTH, widest)))
    return replace(table, header=header, rows=rows)


def _columns(table: TextTable, picked: Sequence[int]) -> TextTable:
    return TextTable(table.title, [table.header[i] for i in picked],
                     [[row[i] for i in picked] for row in table.rows],
                     label_width=table.label_width)


def _split(table: TextTable, width: int) -> list[TextTable]:
    """Parts of ``table`` that each fit ``width`` (but for a unit too wide alone)."""
    keys = sorted(table.keys)
    units: list[list[int]] = []
    for i in range(len(table.header)):
        if i in table.keys:
            continue
        if i in table.attached and units:
            units[-1].append(i)
        else:
            units.append([i])
    parts: list[list[int]] = []
    for unit in units:
        if parts and _columns(table, sorted(keys + parts[-1] + unit)).width <= width:
            parts[-1] += unit
        else:
            parts.append(list(unit))
    return [replace(_columns(table, sorted(keys + part)),
                    title=f"{table.title} ({n}/{len(parts)})")
            for n, part in enumerate(parts, start=1)]


def fit_table(table: TextTable, width: int) -> list[TextTable]:
    """``table`` in the first form that fits ``width`` columns (see the module docstring)."""
    if table.width <= width:
        return [table]
    for numbers in (False, True):
        narrowed = _narrowed(table, numbers=numbers)
        if narrowed.width <= width:
            return [narrowed]
    return _split(narrowed, width)


def _rich(table: TextTable) -> Table:
    """A rich table of ``table``; every text is plain (no markup), right-aligned if numeric."""
    out = Table(title=Text(table.title), title_justify="left")
    for i, name in enumerate(table.header):
        out.add_column(Text(name), justify="right" if table.numeric(i) else "left",
                       overflow="fold")
    for row in table.rows:
        out.add_row(*(Text(c) for c in row))
    return out


def print_table(console: Console, table: TextTable) -> None:
    """Print ``table`` fitted to ``console.width``."""
    for part in fit_table(table, console.width):
        console.print(_rich(part))
