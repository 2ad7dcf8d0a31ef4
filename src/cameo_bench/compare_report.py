"""Render a paired comparison (:mod:`cameo_bench.compare`): the terminal table and verdict lines,
and the ``--out`` file of ``cameo compare`` (JSON, CSV or Markdown, by the file's suffix).

A verdict is ``A better``, ``B better`` or ``not significant``: a difference the test cannot
tell from noise is not called "no difference". Written bytes depend only on the comparisons and
the runs compared.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from rich.console import Console
from rich.text import Text

from cameo_bench.compare import Comparison
from cameo_bench.errors import CameoError
from cameo_bench.tables import TextTable, print_table

__all__ = ["ComparedRun", "COMPARISON_FORMATS", "comparison_table", "print_comparison",
           "write_comparison"]

#: The suffixes ``--out`` accepts.
COMPARISON_FORMATS = (".json", ".csv", ".md")


@dataclass(frozen=True)
class ComparedRun:
    """One side of a comparison: its label, run and where its rows came from."""

    label: str
    model: str
    temperature: float
    prompt_id: str
    source: str
    clips: int


def _headline(c: Comparison) -> bool:
    return c.scope == "overall" or (c.metric == "macro_f1" and c.scope != "emotion")


def comparison_table(comparisons: Sequence[Comparison], alpha: float = 0.05) -> TextTable:
    """Every comparison as a row: scope, group, metric (the key columns), A, B, A - B, its 95%
    interval, p, the verdict at ``alpha``, n."""
    header = ["scope", "group", "metric", "A", "B", "A - B", "95% CI", "p", "verdict", "n"]
    rows = [[c.scope, c.group, c.metric, f"{c.a:.3f}", f"{c.b:.3f}", f"{c.diff:+.4f}",
             f"[{c.ci_low:+.4f}, {c.ci_high:+.4f}]", f"{c.p_value:.4f}", c.verdict_text(alpha),
             str(c.n)] for c in comparisons]
    return TextTable("Paired bootstrap: A - B", header, rows, frozenset({0, 1, 2}))


def print_comparison(
    comparisons: Sequence[Comparison], name_a: str, name_b: str, *, alpha: float = 0.05,
    console: Console | None = None,
) -> None:
    """Print which run is A and B, the table (fitted to the console) and a verdict line per
    headline comparison (overall metrics, macro-F1 per language and dataset)."""
    console = console or Console()
    console.print(Text(f"A = {name_a}\nB = {name_b}"))
    print_table(console, comparison_table(comparisons, alpha))
    for c in comparisons:
        if _headline(c):
            console.print(Text(
                f"{c.scope}/{c.group} {c.metric}: {c.verdict_text(alpha)}: A - B = "
                f"{c.diff:+.4f} [{c.ci_low:+.4f}, {c.ci_high:+.4f}], p = {c.p_value:.4f}"))


def _rows(comparisons: Sequence[Comparison], alpha: float) -> list[dict]:
    return [{**c.to_dict(), "verdict": c.verdict_text(alpha)} for c in comparisons]


def _json(comparisons, a: ComparedRun, b: ComparedRun, settings: dict) -> str:
    from cameo_bench.report import json_text

    return json_text({"a": asdict(a), "b": asdict(b), **settings,
                      "comparisons": _rows(comparisons, settings["alpha"])},
                     "comparison", ensure_ascii=False)


def _csv(comparisons, a: ComparedRun, b: ComparedRun, settings: dict) -> str:
    rows = _rows(comparisons, settings["alpha"])
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=["run_a", "run_b", *rows[0]], lineterminator="\n")
    writer.writeheader()
    writer.writerows({"run_a": a.label, "run_b": b.label, **row} for row in rows)
    return buf.getvalue()


def _markdown(comparisons, a: ComparedRun, b: ComparedRun, settings: dict) -> str:
    from cameo_bench.report import markdown_table

    table = comparison_table(comparisons, settings["alpha"])
    return "\n".join([
        "# Paired comparison\n",
        f"- A = `{a.label}` ({a.source}, {a.clips:,} clips)",
        f"- B = `{b.label}` ({b.source}, {b.clips:,} clips)",
        f"- paired bootstrap, {settings['n_resamples']:,} resamples, seed {settings['seed']}; "
        f"verdicts at alpha = {settings['alpha']:g}\n",
        markdown_table(table)]) + "\n"


_WRITERS = {".json": _json, ".csv": _csv, ".md": _markdown}


def write_comparison(path: str | Path, comparisons: Sequence[Comparison], a: ComparedRun,
                     b: ComparedRun, *, alpha: float, n_resamples: int, seed: int) -> Path:
    """Write ``comparisons`` of ``a`` against ``b`` to ``path`` atomically, as JSON (the runs,
    the settings and every comparison with its verdict), CSV (one row per comparison) or
    Markdown (the table), by its suffix; :class:`CameoError` for another suffix."""
    from cameo_bench.report import write_texts

    path = Path(path)
    writer = _WRITERS.get(path.suffix.lower())
    if writer is None:
        raise CameoError(f"{path}: --out must end in {', '.join(COMPARISON_FORMATS)} "
                         "(the format written)")
    settings = {"alpha": alpha, "n_resamples": n_resamples, "seed": seed}
    return write_texts(path.parent, {path.name: writer(comparisons, a, b, settings)})[0]
