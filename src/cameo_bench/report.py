"""Render score records (rendering only; computing lives in :mod:`cameo_bench.scores`).

The same tables go to the terminal (rich, fitted to its width by :mod:`cameo_bench.tables`),
to ``scores.md``, ``scores.tex`` and ``report.html``: the paper's Tables 4-7, the unparsed rates
and each run's answers per label beside the gold labels' shares. ``scores.json`` and
``scores.csv`` hold every record in tidy long form. A value prints as the paper's ``0.189 ±
0.0057``: value to 3 decimals, ``±`` the interval's half-width to 4; a share as ``12.3%``.
Written bytes depend only on the records (and the reported numbers given).

When a run is of a paper system and on the full collection, the tables also show the paper's
published value in a column headed ``paper (reported)`` beside ours; a run on fewer clips gets
a note saying why they are left out. ``--out`` writes the shown numbers to their own
``reported.json`` / ``reported.csv`` too, never into ``scores.json`` (SPEC §2: reported results
are never mixed with verified ones). A degenerate run (:mod:`cameo_bench.diagnostics`) gets a
warning under the overall table.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, fields
from pathlib import Path

from rich.console import Console
from rich.text import Text

from cameo_bench.collection.coverage import FULL_CLIPS, Coverage
from cameo_bench.diagnostics import answer_shares, degenerate_runs, gold_shares
from cameo_bench.errors import CameoError
from cameo_bench.fileio import atomic_write
from cameo_bench.paper import Reported, comparable_reported
from cameo_bench.presentation import GROUP_VIEWS, HEADLINES, UNPARSED_VIEW, run_labels
from cameo_bench.records import UNPARSED
from cameo_bench.scores import REFERENCE_MODELS, ScoreRecord, record_coverage
from cameo_bench.tables import TextTable, print_table
from cameo_bench.vocab import CORPORA

__all__ = ["REPORTED", "ANSWERS_TITLE", "format_value", "format_share", "ScoreReport",
           "score_report", "score_tables", "all_zero", "print_score_tables", "markdown_table",
           "json_text",
           "write_texts", "write_score_files", "write_reported_files"]

#: The suffix of a column of the paper's numbers.
REPORTED = "paper (reported)"
#: The longest line of a run's name in a narrowed overall table (it breaks after ``/``, ``-``).
RUN_WIDTH = 16
#: The title of the table of answers per label.
ANSWERS_TITLE = "Answers per label (share of clips)"


def format_value(rec: ScoreRecord) -> str:
    """``0.189 ± 0.0057`` (or ``0.189`` without an interval)."""
    return _format(rec.value, rec.half_width)


def _format(value: float, half_width: float | None) -> str:
    return f"{value:.3f}" if half_width is None else f"{value:.3f} ± {half_width:.4f}"


def format_share(share: float) -> str:
    """A share of clips as a percentage with one decimal: ``12.3%``."""
    return f"{100 * share:.1f}%"


@dataclass(frozen=True)
class ScoreReport:
    """What every rendering shows: the ``tables``; ``warnings``, one line per degenerate run
    and per run warning given (e.g. a run whose controls found it deaf to its audio);
    ``notes``, one line per set of runs whose paper numbers are left out, and why;
    ``reported``, the paper numbers shown (runs on the full collection only)."""

    tables: list[TextTable]
    warnings: list[str]
    notes: list[str]
    reported: Reported


def _overall(labels, cell, reported: Reported) -> TextTable:
    def paper(run: tuple, metric: str) -> str:
        v = reported.get(run, {}).get(("overall", "all", metric))
        return "" if v is None else _format(v.value, v.half_width)

    with_paper = {m.name: any(("overall", "all", m.name) in cells for cells in reported.values())
                  for m in HEADLINES}
    header, attached = ["run"], set()
    for m in HEADLINES:
        header.append(m.header)
        if with_paper[m.name]:
            attached.add(len(header))
            header.append(f"{m.header} {REPORTED}")
    header.append("n")
    rows = [[label] + [c for m in HEADLINES for c in
                       [format_value(cell[(*run, "overall", "all", m.name)])]
                       + ([paper(run, m.name)] if with_paper[m.name] else [])]
            + [str(cell[(*run, "overall", "all", "accuracy")].n)]
            for run, label in labels.items()]
    return TextTable("Overall", header, rows, frozenset({0, len(header) - 1}),
                     frozenset(attached), label_width=RUN_WIDTH)


def _per_group(records, labels, cell, reported: Reported, view) -> TextTable:
    title, scopes, metric = view.title, view.scopes, view.metric.name
    n_of: dict[tuple[str, str], int] = {}
    for r in records:
        if r.scope in scopes and r.metric == metric:
            n_of[(r.scope, r.group)] = max(n_of.get((r.scope, r.group), 0), r.n)
    groups = sorted(n_of, key=lambda sg: (scopes.index(sg[0]), sg[1]))
    with_paper = {run for run in labels
                  if any(k[0] in scopes and k[2] == metric for k in reported.get(run, {}))}
    keys = (["scope"] if len(scopes) > 1 else []) + ["group", "n"]
    header, attached = list(keys), set()
    for run, label in labels.items():
        header.append(label)
        if run in with_paper:
            attached.add(len(header))
            header.append(f"{label} {REPORTED}")
    rows = []
    for scope, group in groups:
        key = (scope, group, metric)
        cells = []
        for run in labels:
            rec = cell.get((*run, *key))
            cells.append("" if rec is None else format_value(rec))
            if run in with_paper:
                v = reported[run].get(key)
                cells.append("" if v is None else _format(v.value, v.half_width))
        rows.append(([scope] if len(scopes) > 1 else []) + [group, str(n_of[(scope, group)])]
                    + cells)
    return TextTable(title, header, rows, frozenset(range(len(keys))), frozenset(attached))


def _answers(records, labels) -> TextTable | None:
    """The answers per label of each run beside the gold labels' shares (``None`` for records
    that hold no answer shares: written before they existed)."""
    shares = answer_shares(records)
    if not shares:
        return None
    gold = gold_shares(records)
    unparsed = {r.run: r.value for r in records
                if (r.scope, r.metric) == ("overall", "unparsed_rate")}
    runs = [run for run in labels if run in shares]
    names = sorted(set(gold) | {label for s in shares.values() for label in s})
    rows = [[name, format_share(gold[name]) if name in gold else ""]
            + [format_share(shares[run][name]) if name in shares[run] else "" for run in runs]
            for name in names]
    rows.append([UNPARSED, ""] + [format_share(unparsed.get(run, 0.0)) for run in runs])
    return TextTable(ANSWERS_TITLE, ["label", "gold"] + [labels[run] for run in runs], rows,
                     frozenset({0, 1}))


def _names(names: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _hidden_notes(hidden: dict[tuple, Coverage | None], labels: dict[tuple, str]) -> list[str]:
    """One line per coverage of runs whose paper numbers are left out: which runs and why."""
    by_coverage: dict[str, list[str]] = {}
    for run, cov in hidden.items():
        covers = "an unknown set of clips" if cov is None else cov.describe()
        by_coverage.setdefault(covers, []).append(labels[run])
    full = (f"the full collection ({FULL_CLIPS:,} clips of {len(CORPORA)} corpora): they are "
            "not comparable")
    return [f"The paper's reported numbers for {_names(runs)} are not shown: "
            + (f"this run covers {covers}, the paper's numbers {full}." if len(runs) == 1 else
               f"each of these runs covers {covers}, the paper's numbers {full}.")
            for covers, runs in by_coverage.items()]


def score_report(records: Sequence[ScoreRecord], reported: Reported | None = None,
                 run_warnings: Sequence[str] = ()) -> ScoreReport:
    """The report of ``records``: the overall table, one per :data:`GROUP_VIEWS` view, the
    unparsed rates, the answers per label; the paper's ``reported`` numbers in their own
    columns for runs on the full collection, a note for the others; ``run_warnings`` (one line
    each, from the runs' folders) then a warning per degenerate run."""
    reported, hidden = comparable_reported(reported or {}, record_coverage(records))
    labels = run_labels(r.run for r in records)
    cell = {(*r.run, r.scope, r.group, r.metric): r for r in records}
    tables = [_overall(labels, cell, reported)]
    tables += [_per_group(records, labels, cell, reported, view) for view in GROUP_VIEWS]
    # the references never leave an answer unparsed: their columns would carry nothing
    runs = {run: label for run, label in labels.items() if run[0] not in REFERENCE_MODELS}
    tables.append(_per_group(records, runs, cell, reported, UNPARSED_VIEW))
    answers = _answers(records, labels)
    tables += [answers] if answers else []
    warnings = list(run_warnings) + [f"Degenerate run: {labels[run]} {why}."
                                     for run, why in degenerate_runs(records).items()]
    return ScoreReport(tables, warnings, _hidden_notes(hidden, labels), reported)


def score_tables(records: Sequence[ScoreRecord],
                 reported: Reported | None = None) -> list[TextTable]:
    """The tables of :func:`score_report`."""
    return score_report(records, reported).tables


def all_zero(table: TextTable) -> bool:
    """Whether every value of ``table`` outside its key columns is zero (``0.000 ± 0.0000``)."""
    return all(float(part) == 0 for row in table.rows for i, c in enumerate(row)
               if i not in table.keys and c for part in c.split(" ± "))


def print_score_tables(records: Sequence[ScoreRecord], console: Console | None = None,
                       reported: Reported | None = None, run_warnings: Sequence[str] = ()) -> None:
    """Print the report's tables with rich (to ``console`` or stdout), each fitted to the
    console's width, with the paper's ``reported`` numbers in their own columns where
    comparable and the warnings (``run_warnings`` first) under the overall table; an all-zero
    unparsed table is one line."""
    console = console or Console()
    report = score_report(records, reported, run_warnings)
    for table in report.tables:
        if table.title == UNPARSED_VIEW.title and all_zero(table):
            console.print(Text(f"{table.title}: no unparsed answers"))
        else:
            print_table(console, table)
        if table.title == "Overall":
            for line in report.warnings:
                console.print(Text(line, style="bold yellow"))
            for line in report.notes:
                console.print(Text(line))


def markdown_table(table: TextTable) -> str:
    """``table`` as a Markdown table (a ``|`` inside a cell escaped), without its title."""
    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    return "\n".join([line(table.header), "|" + "|".join("---" for _ in table.header) + "|",
                      *map(line, table.rows)])


def _markdown(report: ScoreReport) -> str:
    intro = ("# Scores\n\nValues are `value ± half-width of the 95% bootstrap interval`; "
             "`chance` and `majority` are references.\n")
    if report.reported:
        intro += (f"Columns headed `{REPORTED}` hold the CAMEO paper's published numbers for "
                  "the same system, temperature and prompt: reported, not recomputed here.\n")
    parts = [intro] + [f"{line}\n" for line in report.warnings + report.notes]
    parts += [f"## {table.title}\n\n{markdown_table(table)}\n" for table in report.tables]
    return "\n".join(parts)


_TEX = str.maketrans({"&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_", "$": r"\$",
                      "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
                      "^": r"\textasciicircum{}", "\\": r"\textbackslash{}", "±": r"$\pm$"})


def _latex(report: ScoreReport) -> str:
    parts = ["% cameo-bench scores: value $\\pm$ half-width of the 95% bootstrap interval; "
             "needs \\usepackage{booktabs}\n"]
    for table in report.tables:
        header = table.header
        lines = [r"\begin{table}[ht]", r"\centering",
                 rf"\caption{{{table.title.translate(_TEX)}}}",
                 rf"\begin{{tabular}}{{l{'r' * (len(header) - 1)}}}", r"\toprule",
                 " & ".join(h.translate(_TEX) for h in header) + r" \\", r"\midrule"]
        lines += [" & ".join(c.translate(_TEX) for c in row) + r" \\" for row in table.rows]
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


def _non_finite(obj: object, where: str = "") -> str | None:
    """The path of the first NaN or infinite float in ``obj``, or ``None``."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return where or "the value"
    items = (obj.items() if isinstance(obj, dict)
             else enumerate(obj) if isinstance(obj, list | tuple) else ())
    for key, value in items:
        found = _non_finite(value, f"{where}[{key!r}]")
        if found:
            return found
    return None


def json_text(obj: object, name: str, *, ensure_ascii: bool = True) -> str:
    """``obj`` as indented JSON (one space) and a final newline; :class:`CameoError` naming
    ``name`` and the place when it holds NaN or infinity (which JSON cannot hold: a reader
    would reject the file)."""
    where = _non_finite(obj)
    if where is not None:
        raise CameoError(f"{name}: not written: it would hold NaN or infinity at {where}, "
                         "which is not valid JSON; check the inputs (e.g. a NaN temperature)")
    return json.dumps(obj, indent=1, ensure_ascii=ensure_ascii, allow_nan=False) + "\n"


def write_texts(out_dir: str | Path, texts: dict[str, str]) -> list[Path]:
    """Write each ``{file name: text}`` into ``out_dir`` atomically (UTF-8, ``\\n``); their
    paths."""
    return [atomic_write(Path(out_dir) / name, lambda tmp, t=text: Path(tmp).write_text(
        t, encoding="utf-8", newline="\n")) for name, text in texts.items()]


def write_score_files(records: Sequence[ScoreRecord], out_dir: str | Path,
                      reported: Reported | None = None,
                      run_warnings: Sequence[str] = ()) -> list[Path]:
    """Write ``scores.json`` (a list of records), ``scores.csv``, ``scores.md`` and ``scores.tex``
    (booktabs tables; with the paper's comparable ``reported`` numbers in their own columns;
    ``scores.md`` with the ``run_warnings``) into ``out_dir`` atomically; returns their paths.
    Same inputs, same bytes. Nothing is written when a record holds NaN or infinity
    (:class:`CameoError`)."""
    report = score_report(records, reported, run_warnings)
    texts = {
        "scores.json": json_text([r.to_dict() for r in records], "scores.json"),
        "scores.csv": _csv(records),
        "scores.md": _markdown(report),
        "scores.tex": _latex(report),
    }
    return write_texts(out_dir, texts)


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
    texts = {"reported.json": json_text(rows, "reported.json", ensure_ascii=False),
             "reported.csv": buf.getvalue()}
    return write_texts(out_dir, texts)
