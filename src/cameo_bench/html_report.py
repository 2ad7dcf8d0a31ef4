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
from cameo_bench.records import Prediction

__all__ = ["render_html_report", "write_html_report"]

_STYLE = """body{font-family:system-ui,sans-serif;margin:2em auto;max-width:72em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}th,td{border:1px solid #ccc;
padding:.25em .6em;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
.warn{background:#fff3cd;border:1px solid #e0c36c;padding:.6em 1em}figure{display:inline-block;
margin:.5em}figcaption{font-size:.8em;color:#555}"""
_BARS = (("language", "macro_f1", "Macro-F1 per language"),
         ("dataset", "macro_f1", "Macro-F1 per dataset"),
         ("emotion", "f1", "F1 per emotion (full corpus)"))


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


def _run_label(run: tuple, with_prompt: bool = False) -> str:
    model, temperature, prompt = run
    return f"{model} T={temperature:g}" + (f" {prompt}" if with_prompt and prompt else "")


def _bars(records, scope: str, metric: str, title: str) -> str:
    from cameo_bench.plots import group_bars_png
    from cameo_bench.scores import REFERENCES

    picked = [r for r in records if r.scope == scope and r.metric == metric]
    groups = sorted({r.group for r in picked})
    if not groups:
        return ""
    cell = {(r.model, r.temperature, r.prompt_id, r.group): r for r in picked}
    runs = sorted({(r.model, r.temperature, r.prompt_id) for r in picked
                   if r.model not in REFERENCES})
    series = {}
    many_prompts = len({run[2] for run in runs}) > 1
    for run in runs:
        values = [cell.get((*run, g)) for g in groups]
        series[_run_label(run, many_prompts)] = [
            (v.value, v.ci_low, v.ci_high) if v else (0.0, None, None) for v in values]
    chance = [c.value if (c := cell.get(("chance", None, None, g))) else None for g in groups]
    png = group_bars_png(groups, series, chance, title=title,
                         ylabel=metric.replace("_", "-"))
    return _img(png, title)


def _confusions(predictions: Sequence[Prediction]) -> str:
    from cameo_bench.parse import parse_predictions
    from cameo_bench.plots import confusion_png

    parsed = parse_predictions(list(predictions))
    cells: dict[tuple, list[Prediction]] = {}
    for p in parsed:
        cells.setdefault((p.model, p.temperature, p.prompt_id, p.dataset), []).append(p)
    out = []
    many_prompts = len({key[2] for key in cells}) > 1
    for (model, temperature, prompt, dataset), preds in sorted(cells.items()):
        classes = sorted({c for p in preds for c in p.labels})
        title = f"{dataset}: {_run_label((model, temperature, prompt), many_prompts)}"
        png = confusion_png([p.emotion for p in preds], [p.parsed for p in preds], classes,
                            title)
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
    parts += [_bars(records, scope, metric, t) for scope, metric, t in _BARS]
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
