"""``report.html``: one self-contained page a person reads after ``cameo score --out``.

From the top: warnings (synthetic data, degenerate runs, paper numbers left out and why), the
provenance (versions, date, input files with sha256, per run the model revision, prompt id and
hash, clips and their fingerprint), the tables of the terminal report (the paper's comparable
reported numbers in their own shaded columns; an all-zero table is one line; the answers per
label beside the gold labels' shares; a table wider than the page scrolls in its box, its first
column staying in view), bars of macro-F1 per language and per dataset and of F1
per emotion with 95% CI whiskers and the chance level (inline SVG, legends as HTML lists), and
one confusion matrix per run and corpus (shaded tables). Nothing is loaded from elsewhere; every
text is HTML-escaped. Bytes depend only on the inputs and the provenance given.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from cameo_bench.fileio import atomic_write
from cameo_bench.metrics import Confusion
from cameo_bench.paper import Reported
from cameo_bench.presentation import GROUP_VIEWS, UNPARSED_VIEW, GroupView, run_labels
from cameo_bench.provenance import Provenance, run_facts
from cameo_bench.records import Prediction
from cameo_bench.scores import (
    CHANCE,
    REFERENCE_MODELS,
    RunKey,
    ScoreRecord,
    record_coverage,
    run_confusions,
)

__all__ = ["render_html_report", "write_html_report"]

_STYLE = """body{font-family:system-ui,sans-serif;margin:2em auto;max-width:80em;padding:0 1em;
color:#222}h2{margin-top:1.6em}.scroll{overflow-x:auto;max-width:100%}table{border-collapse:
collapse;margin:.5em 0 1em;font-size:.85em}th,td{border:1px solid #ccc;padding:.25em .5em;
text-align:left;vertical-align:top}th{overflow-wrap:anywhere}.scroll tr>:first-child{
position:sticky;left:0;background:#fff}td.n{text-align:right;font-variant-numeric:tabular-nums;
white-space:nowrap}th.reported,td.reported{background:#f3f3f3;color:#555;font-style:italic}
.warn{background:#fff3cd;border:1px solid #e0c36c;padding:.6em 1em}.note{background:#eef4fb;
border:1px solid #b6cde8;padding:.6em 1em}code.hash{word-break:break-all;font-size:.85em}
figure{margin:1em 0 2em}figcaption{font-weight:600;margin-bottom:.3em}svg.bars{display:block;
max-width:100%;height:auto}svg .grid{stroke:#e2e2e2}svg .axis{stroke:#444}svg .whisker{
stroke:#222;fill:none}svg .chance{stroke-width:2;stroke-dasharray:5 3}svg text{font-size:11px;
fill:#333}ul.legend{list-style:none;padding:0;margin:.3em 0;display:flex;flex-wrap:wrap;
gap:.3em 1.4em;font-size:.85em}.swatch{display:inline-block;width:.9em;height:.9em;
margin-right:.4em;vertical-align:-.1em}.dash{display:inline-block;width:1.6em;border-top:2px
dashed;margin-right:.4em;vertical-align:.3em}.cms{display:flex;flex-wrap:wrap;gap:0 1.5em}
table.cm{font-size:.8em}table.cm td{text-align:right;min-width:2.2em}table.cm caption{
text-align:left;font-weight:600;padding-bottom:.2em}"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _cell(text: str, tag: str, reported: bool) -> str:
    """A table cell: numbers right-aligned, never wrapped; a share (``12.3%``) drawn as a bar
    behind its number; the paper's numbers shaded."""
    classes = (["n"] if tag == "td" and text[:1].isdigit() else []) + (
        ["reported"] if reported else [])
    attr = f' class="{" ".join(classes)}"' if classes else ""
    if classes[:1] == ["n"] and text.endswith("%"):
        attr += (f' style="background:linear-gradient(90deg,#cfe1f3 {text},transparent '
                 f'{text})"')
    return f"<{tag}{attr}>{_e(text)}</{tag}>"


def _table(table) -> str:
    from cameo_bench.report import REPORTED, all_zero

    if table.title == UNPARSED_VIEW.title and all_zero(table):
        return f"<h3>{_e(table.title)}</h3><p>No unparsed answers.</p>"
    reported = [h.endswith(REPORTED) for h in table.header]
    head = "".join(_cell(h, "th", r) for h, r in zip(table.header, reported, strict=True))
    body = "".join("<tr>" + "".join(_cell(c, "td", r) for c, r in
                                    zip(row, reported, strict=True)) + "</tr>"
                   for row in table.rows)
    return (f'<h3>{_e(table.title)}</h3><div class="scroll"><table><tr>{head}</tr>{body}'
            "</table></div>")


def _bars(records: Sequence[ScoreRecord], view: GroupView) -> str:
    from cameo_bench.plots import group_bars_svg, legend_html, series_colors

    picked = [r for r in records if r.scope == view.scope and r.metric == view.metric.name]
    groups = sorted({r.group for r in picked})
    if not groups:
        return ""
    cell = {(*r.run, r.group): r for r in picked}
    labels = run_labels(r.run for r in picked if r.model not in REFERENCE_MODELS)
    series = {}
    for run, label in labels.items():
        values = [cell.get((*run, g)) for g in groups]
        series[label] = [(v.value, v.ci_low, v.ci_high) if v else None for v in values]
    chance = [c.value if (c := cell.get((CHANCE, None, None, g))) else None for g in groups]
    colors = series_colors(list(series))
    svg = group_bars_svg(groups, series, chance, title=view.title,
                         ylabel=view.metric.name.replace("_", "-"), colors=colors)
    legend = legend_html(colors, chance=any(c is not None for c in chance))
    return f"<figure><figcaption>{_e(view.title)}</figcaption>{legend}{svg}</figure>"


def _confusions(confusions: dict[RunKey, dict[tuple[str, str], Confusion]]) -> str:
    from cameo_bench.plots import confusion_html

    labels = run_labels(confusions)
    out = []
    for run, matrices in confusions.items():
        tables = [confusion_html(conf.counts, conf.classes, group)
                  for (scope, group), conf in matrices.items() if scope == "dataset"]
        out.append(f'<h3>{_e(labels[run])}</h3><div class="cms">{"".join(tables)}</div>')
    return "".join(out)


def _provenance(predictions: Sequence[Prediction], records: Sequence[ScoreRecord],
                provenance: Provenance | None) -> str:
    from cameo_bench import __version__
    from cameo_bench.parse import PARSER_VERSION

    facts = [("cameo-bench", __version__ if provenance is None else provenance.version),
             ("answer parser", PARSER_VERSION if provenance is None else provenance.parser)]
    if provenance is not None:
        facts += [("generated", provenance.generated),
                  ("bootstrap", f"{provenance.n_resamples:,} resamples, seed {provenance.seed}")]
    rows = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in facts)
    if provenance is not None:
        rows += "".join(f'<tr><th>input</th><td>{_e(path)}<br><code class="hash">{_e(sha)}'
                        "</code></td></tr>" for path, sha in provenance.inputs)
    coverage = record_coverage(records)
    labels = run_labels(coverage)
    facts_of = run_facts(predictions)
    runs = []
    for run, label in labels.items():
        cov = coverage[run]
        clips = "unknown" if cov is None else cov.describe()
        fingerprint = "" if cov is None else f'<code class="hash">{_e(cov.fingerprint)}</code>'
        if run in facts_of:
            f = facts_of[run]
            revision = ", ".join(r or "not recorded" for r in f.revisions)
            prompt = f"{run[2]} ({', '.join(h or 'hash not recorded' for h in f.prompt_hashes)})"
        else:  # a reference: computed on the clips of all runs
            revision, prompt = "reference", "–"
        runs.append(f"<tr><td>{_e(label)}</td><td>{_e(run[0])}</td><td>{_e(revision)}</td>"
                    f"<td>{_e(prompt)}</td><td>{_e(clips)}</td><td>{fingerprint}</td></tr>")
    return (f'<h2>Provenance</h2><div class="scroll"><table>{rows}</table></div>'
            '<div class="scroll"><table><tr><th>run</th><th>model</th><th>revision</th>'
            "<th>prompt (hash)</th><th>clips</th><th>clips fingerprint</th></tr>"
            f'{"".join(runs)}</table></div>')


def render_html_report(
    predictions: Sequence[Prediction], records: Sequence[ScoreRecord],
    title: str = "CAMEO scores", *, reported: Reported | None = None,
    provenance: Provenance | None = None,
    confusions: dict[RunKey, dict[tuple[str, str], Confusion]] | None = None,
    run_warnings: Sequence[str] = (),
) -> str:
    """The report page for ``predictions`` and their score records (see the module docstring),
    with the paper's ``reported`` numbers beside runs on the full collection and the
    ``provenance`` block (without one: versions and runs only). ``confusions`` (per run, per
    ``("dataset", name)``; as :class:`~cameo_bench.scores.Scores` holds them) saves computing
    them again. A collection whose dataset names say ``synthetic`` gets a warning at the top, and
    so does each of the ``run_warnings`` (e.g. a run whose controls found it deaf)."""
    from cameo_bench.parse import parse_predictions
    from cameo_bench.report import REPORTED, score_report

    report = score_report(records, reported, run_warnings)
    parts = [f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
             f'<meta name="viewport" content="width=device-width,initial-scale=1">'
             f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>",
             f"<h1>{_e(title)}</h1>"]
    synthetic = sorted({p.dataset for p in predictions if "synthetic" in p.dataset.lower()})
    if synthetic:
        parts.append(f'<p class="warn"><b>Synthetic data.</b> {_e(", ".join(synthetic))} '
                     "is speech synthesized for the demo, not emotional speech: these numbers "
                     "only show that the pipeline works.</p>")
    parts += [f'<p class="warn">{_e(line)}</p>' for line in report.warnings]
    parts += [f'<p class="note">{_e(line)}</p>' for line in report.notes]
    parts.append("<p>Values are <code>value ± half-width of the 95% bootstrap interval"
                 "</code>; <code>chance</code> and <code>majority</code> are references.</p>")
    if report.reported:
        parts.append(f"<p>Shaded columns headed <i>{_e(REPORTED)}</i> hold the CAMEO paper's "
                     "published numbers for the same system, temperature and prompt: reported, "
                     "not recomputed here.</p>")
    parts.append(_provenance(predictions, records, provenance))
    parts.append("<h2>Tables</h2>")
    parts += [_table(t) for t in report.tables]
    parts.append("<h2>Plots</h2>")
    parts += [_bars(records, view) for view in GROUP_VIEWS]
    parts.append("<h2>Confusion matrices</h2><p>Rows: gold label; columns: answer; shade: "
                 "share of the gold row.</p>")
    if confusions is None:
        confusions = run_confusions(parse_predictions(list(predictions)), scopes=("dataset",))
    parts.append(_confusions(confusions))
    parts.append("</body></html>\n")
    return "\n".join(p for p in parts if p)


def write_html_report(
    predictions: Sequence[Prediction], records: Sequence[ScoreRecord], out_dir: str | Path,
    title: str = "CAMEO scores", *, reported: Reported | None = None,
    provenance: Provenance | None = None,
    confusions: dict[RunKey, dict[tuple[str, str], Confusion]] | None = None,
    run_warnings: Sequence[str] = (),
) -> Path:
    """Write ``report.html`` (:func:`render_html_report`) into ``out_dir`` atomically and
    return its path."""
    text = render_html_report(predictions, records, title, reported=reported,
                              provenance=provenance, confusions=confusions,
                              run_warnings=run_warnings)
    return atomic_write(Path(out_dir) / "report.html",
                        lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
