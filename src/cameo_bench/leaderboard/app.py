"""The Gradio leaderboard (gradio 5 + gradio_leaderboard): the tables of :mod:`board`, a detail
view with plots and confusion matrices, and a submission form that goes through the store's
validation and re-scoring. Runs locally (``cameo leaderboard serve``) and as a Hugging Face Space
(``space/app.py``).

All submitted text reaches the page as plain-text data of ``str`` columns, dropdown choices or
text boxes, never as Markdown or HTML. Numbers are shown as on the static site
(:func:`~cameo_bench.leaderboard.rows.format_cell`: ``0.316 ± 0.0420`` in one column), rows in
the board's order: by collection, ranked by macro-F1 within it (see :mod:`board`), with a
``Collection`` column and filter, so rows on other clips are never read as ranked together.

Built on gradio 5 and ``gradio_leaderboard`` (pinned ``gradio<6``: ``gradio_leaderboard`` is
unmaintained and breaks under Gradio 6, gradio issue 12449; docs/leaderboard.md lists what a
move to Gradio 6 needs).
"""

from __future__ import annotations

import socket
from pathlib import Path

from cameo_bench.errors import CameoError, MissingDependencyError
from cameo_bench.leaderboard.board import Board, read_board
from cameo_bench.leaderboard.results_store import ResultsStore
from cameo_bench.leaderboard.rows import BoardRow, format_cell
from cameo_bench.leaderboard.validate import DEFAULT_LIMITS, META_FIELDS, Limits
from cameo_bench.presentation import GROUP_VIEWS, HEADLINES, heading
from cameo_bench.scores import CHANCE

__all__ = ["board_frame", "build_app", "serve"]

_NUMBER_COLUMNS = ("Rank",)
#: Columns left out of the default selection, so the numbers fit the page.
_HIDDEN = ("Family", "Model", "Prompt")
#: Widths of the overall table's shown columns (rank, system, status, collection, T, 4 metrics).
_OVERALL_WIDTHS = ["5%", "21%", "8%", "16%", "4%", "11.5%", "11.5%", "11.5%", "11.5%"]
_INTRO = (
    "# CAMEO leaderboard\n"
    "Speech emotion recognition across 13 corpora and 8 languages. **verified** rows were "
    "re-scored from their raw predictions by cameo-bench; **reported** rows are the paper's "
    "published numbers; **reference** rows are chance and majority baselines, placed at their "
    "own macro-F1. `±` is the half-width of the bootstrap 95% interval. Rows are ranked by "
    "macro-F1 only against rows on the same clips (the `Collection` column); a row marked "
    "`subset` was not scored on the full collection."
)


def _collection_text(row: BoardRow) -> str:
    """``full (41,265 clips)`` or ``subset: 26 clips, 2 of 13 corpora``."""
    if row.coverage.full:
        return f"full ({row.coverage.clips:,} clips)"
    return f"subset: {row.coverage.describe()}"


def board_frame(board: Board, view: str = "overall"):
    """A pandas DataFrame of the board for ``view`` (``overall`` or a scope of
    :data:`~cameo_bench.presentation.GROUP_VIEWS`), rows in the board's order: the rank within
    the row's collection (none for references), system, status, the collection the row was
    scored on and temperature, then per metric (overall) or per group one column of
    :func:`~cameo_bench.leaderboard.rows.format_cell` text (value ± half-width), then family,
    model and prompt (shown on request: :data:`_HIDDEN`)."""
    import pandas as pd

    records = []
    for row in board.rows:
        rec = {
            "Rank": board.ranks.get(row.key), "System": row.name, "Status": row.status,
            "Collection": _collection_text(row),
            "T": "" if row.temperature is None else f"{row.temperature:g}",
        }
        if view == "overall":
            for metric in HEADLINES:
                rec[heading(metric.header)] = format_cell(row.cell("overall", "all", metric.name))
        else:
            metric = next(v.metric.name for v in GROUP_VIEWS if v.scope == view)
            for group in board.groups[view]:
                rec[group] = format_cell(row.cell(view, group, metric))
        rec |= {"Family": row.family, "Model": row.model_id or row.model,
                "Prompt": row.prompt_id or ""}
        records.append(rec)
    return pd.DataFrame.from_records(records)


def _leaderboard(frame, view: str):
    from gradio_leaderboard import ColumnFilter, Leaderboard, SelectColumns

    return Leaderboard(
        value=frame,
        datatype=["number" if c in _NUMBER_COLUMNS else "str" for c in frame.columns],
        search_columns=["System", "Model"],
        select_columns=SelectColumns(
            default_selection=[c for c in frame.columns if c not in _HIDDEN],
            cant_deselect=["Rank", "System"], label="Columns"),
        column_widths=_OVERALL_WIDTHS if view == "overall" else None,
        wrap=True,
        filter_columns=[ColumnFilter("Collection", type="checkboxgroup"),
                        ColumnFilter("Status", type="checkboxgroup"),
                        ColumnFilter("Family", type="dropdown")],
        latex_delimiters=[],
    )


def build_app(results_dir: str | Path | None, *, reported: bool = True,
              limits: Limits = DEFAULT_LIMITS, n_resamples: int = 1000):
    """The Gradio Blocks app over the store at ``results_dir`` (``None``: reported rows only).
    Submissions are validated and re-scored into that store."""
    try:
        import gradio as gr
    except ImportError:
        raise MissingDependencyError("gradio", "leaderboard", "the leaderboard app") from None

    from cameo_bench.leaderboard.plots import confusion_heatmap, group_bars

    store = ResultsStore(results_dir) if results_dir is not None else None
    state = {"board": read_board(store, reported=reported)}
    views = {v.scope: v for v in GROUP_VIEWS}

    def rows_by_label() -> dict[str, BoardRow]:
        return {r.label: r for r in state["board"].rows if r.status != "reference"}

    def detail(label: str | None):
        row = rows_by_label().get(label or "")
        if row is None:
            return None, None, None, []
        board = state["board"]
        chance = next((r for r in board.rows if r.name == CHANCE and r.status == "reference"
                       and r.collection == row.collection), None)
        lang, ds = (group_bars(row, views[scope], board.groups[scope], chance)
                    for scope in ("language", "dataset"))
        matrix = row.confusion.get("overall")
        conf = confusion_heatmap(matrix, "Confusion matrix (all clips)") if matrix else None
        facts = [[k, str(getattr(row, k))] for k in ("status", "name", "model", "model_id",
                                                      "family", "url", "submitter",
                                                      "description", "submission")
                 if getattr(row, k) not in (None, "")]
        facts += [["collection", _collection_text(row)],
                  ["clips fingerprint", row.coverage.fingerprint or "as published (Table 1)"]]
        return lang, ds, conf, facts

    def preselected() -> str | None:
        """The best-ranked verified row, else the first row (the board's order)."""
        rows = list(rows_by_label().values())
        best = next((r for r in rows if r.status == "verified"), rows[0] if rows else None)
        return None if best is None else best.label

    labels, first = list(rows_by_label()), preselected()
    with gr.Blocks(title="CAMEO leaderboard", analytics_enabled=False) as demo:
        gr.Markdown(_INTRO)
        tables = []
        with gr.Tabs():
            for view, title in (("overall", "Overall"),
                                *((v.scope, v.tab_title) for v in GROUP_VIEWS)):
                with gr.Tab(title):
                    tables.append((view, _leaderboard(board_frame(state["board"], view), view)))
            with gr.Tab("Details"):
                lang0, ds0, conf0, facts0 = detail(first)  # shown before any event runs
                pick = gr.Dropdown(choices=labels, value=first, label="System")
                facts = gr.Dataframe(value=facts0 or None, headers=["field", "value"],
                                     datatype=["str", "str"], interactive=False, label="About",
                                     row_count=1)
                with gr.Row():
                    lang_plot = gr.Plot(value=lang0, label="Per language")
                    ds_plot = gr.Plot(value=ds0, label="Per dataset")
                conf_plot = gr.Plot(value=conf0, label="Confusion matrix")
                pick.change(detail, pick, [lang_plot, ds_plot, conf_plot, facts])
            with gr.Tab("Submit", visible=store is not None):
                gr.Markdown("Upload a `predictions.jsonl` covering every clip of the collection "
                            "for each (temperature, prompt). It is validated and re-scored: "
                            "the `parsed` field of the file is ignored.")
                upload = gr.File(label="predictions.jsonl", file_types=[".jsonl"], type="filepath")
                fields = {k: gr.Textbox(label=k, max_lines=1 if k != "description" else 4,
                                        max_length=n) for k, n in META_FIELDS.items()}
                send = gr.Button("Submit")
                outcome = gr.Textbox(label="Result", interactive=False)

        def refresh(current: str | None = None):
            """Re-read the store (it may have changed since the page was built); keep the
            picked system if it is still there, else pick the first."""
            state["board"] = read_board(store, reported=reported)
            choices = list(rows_by_label())
            value = current if current in choices else preselected()
            return (gr.update(choices=choices, value=value),
                    *(board_frame(state["board"], view) for view, _ in tables))

        def submit(path, current, *values):
            message = "rejected: choose a predictions file"
            if store is not None and path:
                meta = {k: v for k, v in zip(META_FIELDS, values, strict=True) if v}
                try:
                    entry = store.submit(path, meta, limits=limits, n_resamples=n_resamples)
                except CameoError as exc:
                    message = f"rejected: {exc}"
                else:
                    message = (f"verified: {entry['name']} ({entry['id'][:12]}), "
                               f"{entry['runs']} run(s)")
            return (message, *refresh(current))

        board_outputs = [pick, *(table for _, table in tables)]
        demo.load(refresh, pick, board_outputs).then(
            detail, pick, [lang_plot, ds_plot, conf_plot, facts])
        send.click(submit, [upload, pick, *fields.values()], [outcome, *board_outputs])
    demo.queue(default_concurrency_limit=1)
    return demo


def _check_port(host: str, port: int) -> None:
    """Raise a one-line :class:`CameoError` naming ``--port`` when ``host:port`` is taken."""
    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError:
            raise CameoError(f"port {port} on {host} is in use (another server?); choose "
                             "another with --port") from None


def serve(results_dir: str | Path | None, *, host: str = "127.0.0.1", port: int = 7860,
          reported: bool = True, limits: Limits = DEFAULT_LIMITS) -> None:
    """Run the app on ``host:port`` until interrupted (uploads capped at the submission size
    limit); a port in use is a one-line :class:`CameoError`, checked before the app is built."""
    _check_port(host, port)
    demo = build_app(results_dir, reported=reported, limits=limits)
    try:
        demo.launch(server_name=host, server_port=port, max_file_size=limits.max_bytes)
    except OSError as exc:  # taken between the check and the launch
        if "port" not in str(exc).lower():
            raise
        raise CameoError(f"port {port} on {host} is in use (another server?); choose "
                         "another with --port") from None
