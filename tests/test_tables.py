"""Terminal tables fit the console width and never lose a character of a cell."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from cameo_bench.tables import TextTable, fit_table, narrow_cell, print_table

LONG = "Qwen/Qwen2-Audio-7B-Instruct T=0"


def _table(runs: int) -> TextTable:
    header = ["group", "n"]
    attached = set()
    for i in range(runs):
        header.append(f"{LONG[:-1]}{i}")
        if i == 0:
            attached.add(len(header))
            header.append(f"{LONG[:-1]}{i} paper (reported)")
    rows = [[g, str(100 * (k + 1))] + [f"0.{k}{j}5 ± 0.01{j}7" for j in range(len(header) - 2)]
            for k, g in enumerate(["English", "Emozionalmente", "nEMO"])]
    return TextTable("Macro-F1 per dataset", header, rows, frozenset({0, 1}),
                     frozenset(attached))


def _printed(table: TextTable, width: int) -> list[str]:
    out = io.StringIO()
    print_table(Console(file=out, width=width), table)
    return out.getvalue().splitlines()


def _letters(text: str) -> str:
    """The characters of ``text`` that are neither spaces nor box drawing."""
    return re.sub(r"[\s\u2500-\u257f]", "", text)


@pytest.mark.parametrize("width", [40, 60, 80, 120, 200])
def test_every_line_fits_and_no_character_is_lost(width):
    table = _table(runs=5)
    lines = _printed(table, width)
    assert max(len(line) for line in lines) <= width
    text = "\n".join(lines)
    assert "…" not in text
    parts = fit_table(table, width)
    # every cell is in some part, broken into lines at most, and every line of it is printed
    # (at 40 columns one part is still too wide: rich folds its cells, so that part is checked
    # for its characters only)
    # an attached column's header says "paper (reported)" beside its run, not the run again
    header = [h.removeprefix(table.header[i - 1] + " ") if i in table.attached
              and parts != [table] else h for i, h in enumerate(table.header)]
    for original in [*header, *(c for row in table.rows for c in row)]:
        found = [c for part in parts for c in (*part.header, *(x for r in part.rows for x in r))
                 if _letters(c) == _letters(original)]
        assert found, original
        if width >= 60:
            assert all(line.strip() in text for line in found[0].split("\n")), original
    assert _letters(text).count("0.") >= sum(c.count("0.") for row in table.rows for c in row)


def test_a_table_that_fits_is_printed_as_it_is():
    table = _table(runs=1)
    assert fit_table(table, table.width) == [table]
    lines = _printed(table, table.width)
    assert max(len(line) for line in lines) == table.width  # the width is rich's own
    assert any(LONG[:-1] + "0" in line for line in lines)


def test_parts_repeat_the_keys_and_keep_a_reported_column_beside_its_run():
    table = _table(runs=6)
    parts = fit_table(table, 80)
    assert len(parts) > 1
    assert [p.title for p in parts] == [f"Macro-F1 per dataset ({i}/{len(parts)})"
                                        for i in range(1, len(parts) + 1)]
    shown = []
    for part in parts:
        assert part.width <= 80
        assert [h.replace("\n", " ") for h in part.header[:2]] == ["group", "n"]
        assert [row[:2] for row in part.rows] == [row[:2] for row in table.rows]
        shown += part.header[2:]
    assert len(shown) == len(table.header) - 2
    first = parts[0].header
    assert first[3] == "paper\n(reported)"  # attached: the run's name said once, beside it
    assert first[2].replace("\n", " ").replace("- ", "-").replace("/ ", "/") == LONG[:-1] + "0"


def test_narrowing_puts_the_interval_under_the_value():
    assert narrow_cell("0.465 ± 0.1477") == "0.465\n± 0.1477"
    assert narrow_cell("[+0.0123, -0.0456]") == "[+0.0123,\n -0.0456]"
    assert narrow_cell("431 (299/132)") == "431\n(299/132)"
    assert narrow_cell("my-org/a-rather-long-model-name-v1 T=0", 16) == (
        "my-org/a-rather-\nlong-model-name-\nv1 T=0")
    assert narrow_cell("Demo Polish (synthetic)") == "Demo Polish (synthetic)"  # 24 fit
    assert narrow_cell("short") == "short"


def test_cells_are_plain_text_not_markup():
    table = TextTable("t", ["run [bold]x[/bold]", "v"], [["[red]m[/red]", "0.1"]])
    text = "\n".join(_printed(table, 80))
    assert "[red]m[/red]" in text and "[bold]x[/bold]" in text
