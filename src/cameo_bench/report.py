"""Render score records (rendering only; computing lives in :mod:`cameo_bench.scores`).

The same tables (the paper's Tables 4-7 and the unparsed rates) go to the terminal (rich), to
``scores.md`` and to ``scores.tex``; ``scores.json`` and ``scores.csv`` hold every record in tidy
long form. A value prints as the paper's ``0.189 ± 0.0057``: value to 3 decimals, ``±`` the
interval's half-width to 4. Written bytes depend only on the records.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path

from rich.console import Console
from rich.table import Table

from cameo_bench.collection.format import atomic_write
from cameo_bench.compare import Comparison
from cameo_bench.scores import REFERENCES, ScoreRecord

__all__ = ["format_value", "score_tables", "print_score_tables", "write_score_files",
           "print_comparison"]

_OVERALL = (("macro_f1", "macro-F1"), ("weighted_f1", "weighted-F1"), ("accuracy", "accuracy"),
            ("unparsed_rate", "unparsed"))
_BY_GROUP = (
    ("Macro-F1 per language", ("language",), "macro_f1"),
    ("Macro-F1 per dataset", ("dataset",), "macro_f1"),
    ("F1 per emotion (full corpus)", ("emotion",), "f1"),
    ("Unparsed rate per group", ("language", "dataset", "emotion"), "unparsed_rate"),
)


def format_value(rec: ScoreRecord) -> str:
    """``0.189 ± 0.0057`` (or ``0.189`` without an interval)."""
    hw = rec.half_width
    return f"{rec.value:.3f}" if hw is None else f"{rec.value:.3f} ± {hw:.4f}"


def _run_labels(records: Sequence[ScoreRecord]) -> dict[tuple, str]:
    runs = sorted({(r.model, r.temperature, r.prompt_id) for r in records
                   if r.model not in REFERENCES})
    many_prompts = len({r[2] for r in runs}) > 1
    labels = {r: f"{r[0]} T={r[1]:g}" + (f" {r[2]}" if many_prompts else "") for r in runs}
    for ref in REFERENCES:
        if any(r.model == ref for r in records):
            labels[(ref, None, None)] = ref
    return labels


def score_tables(records: Sequence[ScoreRecord]) -> list[tuple[str, list[str], list[list[str]]]]:
    """The report as (title, header, rows of cells): overall per run, then per group."""
    labels = _run_labels(records)
    cell = {(r.model, r.temperature, r.prompt_id, r.scope, r.group, r.metric): r for r in records}
    overall = [
        [label] + [format_value(cell[(*run, "overall", "all", m)]) for m, _ in _OVERALL]
        + [str(cell[(*run, "overall", "all", "accuracy")].n)]
        for run, label in labels.items()]
    tables = [("Overall", ["run"] + [t for _, t in _OVERALL] + ["n"], overall)]
    for title, scopes, metric in _BY_GROUP:
        groups = sorted({(r.scope, r.group) for r in records if r.scope in scopes},
                        key=lambda sg: (scopes.index(sg[0]), sg[1]))
        rows = []
        for scope, group in groups:
            cells = [format_value(cell[key]) if (key := (*run, scope, group, metric)) in cell
                     else "" for run in labels]
            n = max(r.n for r in records if (r.scope, r.group) == (scope, group))
            rows.append(([scope] if len(scopes) > 1 else []) + [group, str(n)] + cells)
        header = (["scope"] if len(scopes) > 1 else []) + ["group", "n"] + list(labels.values())
        tables.append((title, header, rows))
    return tables


def print_score_tables(records: Sequence[ScoreRecord], console: Console | None = None) -> None:
    """Print the report's tables with rich (to ``console`` or stdout)."""
    console = console or Console()
    for title, header, rows in score_tables(records):
        table = Table(title=title, title_justify="left")
        for i, name in enumerate(header):
            table.add_column(name, justify="right" if any(c[:1].isdigit() for c in
                             (row[i] for row in rows)) else "left", no_wrap=True)
        for row in rows:
            table.add_row(*row)
        _print_unsqueezed(console, table)


def _print_unsqueezed(console: Console, table: Table) -> None:
    """Print ``table`` at its natural width: never cells cut to ellipses (a narrow terminal
    wraps the lines instead)."""
    natural = console.measure(table, options=console.options.update_width(10_000)).maximum
    width = console.width
    console.width = max(width, natural)
    try:
        console.print(table, crop=False)
    finally:
        console.width = width


def _markdown(records: Sequence[ScoreRecord]) -> str:
    parts = ["# Scores\n\nValues are `value ± half-width of the 95% bootstrap interval`; "
             "`chance` and `majority` are references.\n"]
    for title, header, rows in score_tables(records):
        lines = [f"## {title}\n", "| " + " | ".join(header) + " |",
                 "|" + "|".join("---" for _ in header) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


_TEX = str.maketrans({"&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_", "$": r"\$",
                      "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
                      "^": r"\textasciicircum{}", "\\": r"\textbackslash{}", "±": r"$\pm$"})


def _latex(records: Sequence[ScoreRecord]) -> str:
    parts = ["% cameo-bench scores: value $\\pm$ half-width of the 95% bootstrap interval; "
             "needs \\usepackage{booktabs}\n"]
    for title, header, rows in score_tables(records):
        lines = [r"\begin{table}[ht]", r"\centering", rf"\caption{{{title.translate(_TEX)}}}",
                 rf"\begin{{tabular}}{{l{'r' * (len(header) - 1)}}}", r"\toprule",
                 " & ".join(h.translate(_TEX) for h in header) + r" \\", r"\midrule"]
        lines += [" & ".join(c.translate(_TEX) for c in row) + r" \\" for row in rows]
        lines += [r"\bottomrule", r"\end{tabular}", r"\end{table}"]
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


def _csv(records: Sequence[ScoreRecord]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([f.name for f in fields(ScoreRecord)])
    for r in records:
        writer.writerow(["" if v is None else v for v in r.to_dict().values()])
    return buf.getvalue()


def write_score_files(records: Sequence[ScoreRecord], out_dir: str | Path) -> list[Path]:
    """Write ``scores.json`` (a list of records), ``scores.csv``, ``scores.md`` and ``scores.tex``
    (booktabs tables) into ``out_dir`` atomically; returns their paths. Same records, same
    bytes."""
    out_dir = Path(out_dir)
    texts = {
        "scores.json": json.dumps([r.to_dict() for r in records], indent=1) + "\n",
        "scores.csv": _csv(records),
        "scores.md": _markdown(records),
        "scores.tex": _latex(records),
    }
    return [atomic_write(out_dir / name, lambda tmp, t=text: Path(tmp).write_text(
        t, encoding="utf-8", newline="\n")) for name, text in texts.items()]


def print_comparison(
    comparisons: Sequence[Comparison], name_a: str, name_b: str, *, alpha: float = 0.05,
    console: Console | None = None,
) -> None:
    """Print a verdict line per scope-level comparison and a table of all of them."""
    console = console or Console()
    console.print(f"A = {name_a}\nB = {name_b}")
    table = Table(title="Paired bootstrap: A - B", title_justify="left")
    for name in ("scope", "group", "metric", "A", "B", "A - B", "95% CI", "p", "verdict", "n"):
        table.add_column(name, justify="left" if name in ("scope", "group", "metric") else "right")
    for c in comparisons:
        who = c.verdict(alpha)
        verdict = "no difference" if who == "tie" else f"{who} better"
        table.add_row(c.scope, c.group, c.metric, f"{c.a:.3f}", f"{c.b:.3f}", f"{c.diff:+.4f}",
                      f"[{c.ci_low:+.4f}, {c.ci_high:+.4f}]", f"{c.p_value:.4f}", verdict,
                      str(c.n))
    _print_unsqueezed(console, table)
    for c in comparisons:
        if c.scope == "overall" or (c.metric == "macro_f1" and c.scope != "emotion"):
            who = c.verdict(alpha)
            text = "no significant difference" if who == "tie" else f"{who} better"
            console.print(f"{c.scope}/{c.group} {c.metric}: {text}: A - B = {c.diff:+.4f} "
                          f"[{c.ci_low:+.4f}, {c.ci_high:+.4f}], p = {c.p_value:.4f}",
                          highlight=False, soft_wrap=True)
