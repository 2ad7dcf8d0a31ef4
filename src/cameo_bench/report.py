"""Render score records (rendering only; computing lives in :mod:`cameo_bench.scores`).

The same tables (the paper's Tables 4-7 and the unparsed rates) go to the terminal (rich), to
``scores.md`` and to ``scores.tex``; ``scores.json`` and ``scores.csv`` hold every record in tidy
long form. A value prints as the paper's ``0.189 ± 0.0057``: value to 3 decimals, ``±`` the
interval's half-width to 4. Written bytes depend only on the records.

When a run is of a paper system, the terminal tables also show the paper's published value in a
column headed ``paper (reported)`` beside ours; ``--out`` writes those numbers to their own
``reported.json`` / ``reported.csv``, never into the score files (SPEC §2: reported results are
never mixed with verified ones).
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

from cameo_bench.compare import Comparison
from cameo_bench.fileio import atomic_write
from cameo_bench.paper import Reported
from cameo_bench.presentation import GROUP_VIEWS, HEADLINES, UNPARSED_VIEW, run_labels
from cameo_bench.scores import ScoreRecord

__all__ = ["format_value", "score_tables", "print_score_tables", "write_score_files",
           "write_reported_files", "print_comparison"]



def format_value(rec: ScoreRecord) -> str:
    """``0.189 ± 0.0057`` (or ``0.189`` without an interval)."""
    return _format(rec.value, rec.half_width)


def _format(value: float, half_width: float | None) -> str:
    return f"{value:.3f}" if half_width is None else f"{value:.3f} ± {half_width:.4f}"


_REPORTED = "paper (reported)"


def score_tables(
    records: Sequence[ScoreRecord], reported: Reported | None = None,
) -> list[tuple[str, list[str], list[list[str]]]]:
    """The report as (title, header, rows of cells): overall per run, then per group. With
    ``reported`` (paper numbers per run), each of our value columns that has paper numbers is
    followed by a column headed ``paper (reported)``; without, only our values."""
    reported = reported or {}
    labels = run_labels((r.model, r.temperature, r.prompt_id) for r in records)
    cell = {(r.model, r.temperature, r.prompt_id, r.scope, r.group, r.metric): r for r in records}

    def ours(run: tuple, key: tuple[str, str, str]) -> str:
        return format_value(cell[(*run, *key)]) if (*run, *key) in cell else ""

    def paper(run: tuple, key: tuple[str, str, str]) -> str:
        v = reported.get(run, {}).get(key)
        return "" if v is None else _format(v.value, v.half_width)

    def has_paper(metric: str, scopes: tuple[str, ...]) -> bool:
        return any(k[0] in scopes and k[2] == metric for cells in reported.values() for k in cells)

    overall_metrics = [(m.name, m.header, has_paper(m.name, ("overall",))) for m in HEADLINES]
    overall = [
        [label] + [c for m, _, with_paper in overall_metrics for c in
                   [format_value(cell[(*run, "overall", "all", m)])]
                   + ([paper(run, ("overall", "all", m))] if with_paper else [])]
        + [str(cell[(*run, "overall", "all", "accuracy")].n)]
        for run, label in labels.items()]
    header = ["run"] + [h for _, t, with_paper in overall_metrics
                        for h in [t] + ([f"{t} {_REPORTED}"] if with_paper else [])] + ["n"]
    tables = [("Overall", header, overall)]
    for view in (*GROUP_VIEWS, UNPARSED_VIEW):
        title, scopes, metric = view.title, view.scopes, view.metric.name
        groups = sorted({(r.scope, r.group) for r in records if r.scope in scopes},
                        key=lambda sg: (scopes.index(sg[0]), sg[1]))
        with_paper = [run for run in labels
                      if any(k[0] in scopes and k[2] == metric for k in reported.get(run, {}))]
        rows = []
        for scope, group in groups:
            key = (scope, group, metric)
            cells = [c for run in labels for c in [ours(run, key)]
                     + ([paper(run, key)] if run in with_paper else [])]
            n = max(r.n for r in records if (r.scope, r.group) == (scope, group))
            rows.append(([scope] if len(scopes) > 1 else []) + [group, str(n)] + cells)
        header = (["scope"] if len(scopes) > 1 else []) + ["group", "n"] + [
            h for run, label in labels.items()
            for h in [label] + ([f"{label} {_REPORTED}"] if run in with_paper else [])]
        tables.append((title, header, rows))
    return tables


def print_score_tables(records: Sequence[ScoreRecord], console: Console | None = None,
                       reported: Reported | None = None) -> None:
    """Print the report's tables with rich (to ``console`` or stdout), with the paper's
    ``reported`` numbers in their own columns when given."""
    console = console or Console()
    for title, header, rows in score_tables(records, reported):
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


def _write_texts(out_dir: str | Path, texts: dict[str, str]) -> list[Path]:
    return [atomic_write(Path(out_dir) / name, lambda tmp, t=text: Path(tmp).write_text(
        t, encoding="utf-8", newline="\n")) for name, text in texts.items()]


def write_score_files(records: Sequence[ScoreRecord], out_dir: str | Path) -> list[Path]:
    """Write ``scores.json`` (a list of records), ``scores.csv``, ``scores.md`` and ``scores.tex``
    (booktabs tables) into ``out_dir`` atomically; returns their paths. Same records, same
    bytes."""
    texts = {
        "scores.json": json.dumps([r.to_dict() for r in records], indent=1) + "\n",
        "scores.csv": _csv(records),
        "scores.md": _markdown(records),
        "scores.tex": _latex(records),
    }
    return _write_texts(out_dir, texts)


def _reported_rows(reported: Reported) -> list[dict]:
    return [{"status": "reported", "run_model": run[0], "run_temperature": run[1],
             "run_prompt_id": run[2], **v.to_dict()}
            for run in sorted(reported, key=str)
            for _, v in sorted(reported[run].items())]


def write_reported_files(reported: Reported, out_dir: str | Path) -> list[Path]:
    """Write the paper's numbers matched to our runs to ``reported.json`` and ``reported.csv``
    in ``out_dir`` atomically (every row ``status: reported``, beside which run of ours it
    belongs); nothing when no run matches a paper system. Returns the paths written."""
    rows = _reported_rows(reported)
    if not rows:
        return []
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    texts = {"reported.json": json.dumps(rows, indent=1, ensure_ascii=False) + "\n",
             "reported.csv": buf.getvalue()}
    return _write_texts(out_dir, texts)


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
