"""``report.html``: one self-contained page a person reads after ``cameo score --out``.

Tables (the same cells as the terminal report), bars of macro-F1 per language and per dataset
and of F1 per emotion with 95% CI whiskers and the chance level, and one confusion matrix per
run and corpus. Plots are embedded as base64 PNG; every text is HTML-escaped. Bytes depend only
on the predictions and the score records.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from pathlib import Path

from cameo_bench.fileio import atomic_write
from cameo_bench.presentation import GROUP_VIEWS, GroupView, run_labels
from cameo_bench.records import Prediction
from cameo_bench.scores import CHANCE, REFERENCE_MODELS, run_confusions

__all__ = ["render_html_report", "write_html_report"]

_STYLE = """body{font-family:system-ui,sans-serif;margin:2em auto;max-width:72em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}th,td{border:1px solid #ccc;
padding:.25em .6em;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
.warn{background:#fff3cd;border:1px solid #e0c36c;padding:.6em 1em}figure{display:inline-block;
margin:.5em}figcaption{font-size:.8em;color:#555}"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _img(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{_e(alt)}">'
            f"<figcaption>{_e(alt)}</figcaption></figure>")


def _table(title: str, header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f'<td class="n">{_e(c)}</td>' if c[:1].isdigit() else f"<td>{_e(c)}</td>"
                         for c in row) + "</tr>" for row in rows)
    return f"<h3>{_e(title)}</h3><table><tr>{head}</tr>{body}</table>"


def _bars(records, view: GroupView) -> str:
    from cameo_bench.plots import group_bars_png

    picked = [r for r in records if r.scope == view.scope and r.metric == view.metric.name]
    groups = sorted({r.group for r in picked})
    if not groups:
        return ""
    cell = {(r.model, r.temperature, r.prompt_id, r.group): r for r in picked}
    labels = run_labels((r.model, r.temperature, r.prompt_id) for r in picked
                        if r.model not in REFERENCE_MODELS)
    series = {}
    for run, label in labels.items():
        values = [cell.get((*run, g)) for g in groups]
        series[label] = [(v.value, v.ci_low, v.ci_high) if v else (0.0, None, None)
                         for v in values]
    chance = [c.value if (c := cell.get((CHANCE, None, None, g))) else None for g in groups]
    png = group_bars_png(groups, series, chance, title=view.title,
                         ylabel=view.metric.name.replace("_", "-"))
    return _img(png, view.title)


def _confusions(predictions: Sequence[Prediction]) -> str:
    from cameo_bench.parse import parse_predictions
    from cameo_bench.plots import confusion_png

    runs = run_confusions(parse_predictions(list(predictions)), scopes=("dataset",))
    labels = run_labels(runs)
    out = []
    for run, confusions in runs.items():
        for (_, dataset), conf in confusions.items():
            title = f"{dataset}: {labels[run]}"
            png = confusion_png(conf.counts, conf.classes, title)
            out.append(_img(png, f"Confusion matrix, {title}"))
    return "".join(out)


def render_html_report(predictions: Sequence[Prediction], records: Sequence,
                       title: str = "CAMEO scores") -> str:
    """The report page for ``predictions`` and their score records (see the module docstring).
    A collection whose dataset names say ``synthetic`` gets a warning at the top."""
    from cameo_bench.report import score_tables

    parts = [f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
             f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>",
             f"<h1>{_e(title)}</h1>"]
    synthetic = sorted({p.dataset for p in predictions if "synthetic" in p.dataset.lower()})
    if synthetic:
        parts.append(f'<p class="warn"><b>Synthetic data.</b> {_e(", ".join(synthetic))} '
                     "is speech synthesized for the demo, not emotional speech: these numbers "
                     "only show that the pipeline works.</p>")
    parts.append("<p>Values are <code>value ± half-width of the 95% bootstrap interval"
                 "</code>; <code>chance</code> and <code>majority</code> are references.</p>")
    parts.append("<h2>Tables</h2>")
    parts += [_table(t, h, rows) for t, h, rows in score_tables(records)]
    parts.append("<h2>Plots</h2>")
    parts += [_bars(records, view) for view in GROUP_VIEWS]
    parts.append("<h2>Confusion matrices</h2>")
    parts.append(_confusions(predictions))
    parts.append("</body></html>\n")
    return "\n".join(p for p in parts if p)


def write_html_report(predictions: Sequence[Prediction], records: Sequence,
                      out_dir: str | Path, title: str = "CAMEO scores") -> Path:
    """Write ``report.html`` into ``out_dir`` atomically and return its path."""
    text = render_html_report(predictions, records, title)
    return atomic_write(Path(out_dir) / "report.html",
                        lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
