"""The Gradio leaderboard (gradio 5 + gradio_leaderboard): the tables of :mod:`board`, a detail
view with plots and confusion matrices, and a submission form that goes through the store's
validation and re-scoring. Runs locally (``cameo leaderboard serve``) and as a Hugging Face Space
(``space/app.py``).

All submitted text reaches the page as plain-text data of ``str`` columns, dropdown choices or
text boxes, never as Markdown or HTML.
"""

from __future__ import annotations

from pathlib import Path

from cameo_bench.errors import CameoError, MissingDependencyError
from cameo_bench.leaderboard.board import Board, read_board
from cameo_bench.leaderboard.results_store import ResultsStore
from cameo_bench.leaderboard.rows import BoardRow
from cameo_bench.leaderboard.validate import DEFAULT_LIMITS, META_FIELDS, Limits
from cameo_bench.presentation import GROUP_VIEWS, HEADLINES, heading

__all__ = ["board_frame", "build_app", "serve"]

_TEXT_COLUMNS = ("Status", "System", "Family", "Model", "T", "Prompt")
_INTRO = (
    "# CAMEO leaderboard\n"
    "Speech emotion recognition across 13 corpora and 8 languages. **verified** rows were "
    "re-scored from their raw predictions by cameo-bench; **reported** rows are the paper's "
    "published numbers; **reference** rows are chance and majority baselines. `±` is the "
    "half-width of the bootstrap 95% interval."
)


def board_frame(board: Board, view: str = "overall"):
    """A pandas DataFrame of the board for ``view`` (``overall`` or a scope of
    :data:`~cameo_bench.presentation.GROUP_VIEWS`): the text columns, then per metric (overall)
    or per group the value and, for overall metrics, its ``±``. Verified rows first, references
    last."""
    import pandas as pd

    records = []
    for row in board.rows:
        rec = {
            "Status": row.status, "System": row.name, "Family": row.family,
            "Model": row.model_id or row.model,
            "T": "" if row.temperature is None else f"{row.temperature:g}",
            "Prompt": row.prompt_id or "",
        }
        if view == "overall":
            for metric in HEADLINES:
                title = heading(metric.header)
                c = row.cell("overall", "all", metric.name)
                rec[title] = None if c is None else c[0]
                rec[f"{title} ±"] = (None if c is None or c[1] is None
                                     else round((c[2] - c[1]) / 2, 4))
        else:
            metric = next(v.metric.name for v in GROUP_VIEWS if v.scope == view)
            for group in board.groups[view]:
                c = row.cell(view, group, metric)
                rec[group] = None if c is None else c[0]
        records.append(rec)
    return pd.DataFrame.from_records(records)


def _leaderboard(frame):
    from gradio_leaderboard import ColumnFilter, Leaderboard, SelectColumns

    return Leaderboard(
        value=frame,
        datatype=["str" if c in _TEXT_COLUMNS else "number" for c in frame.columns],
        search_columns=["System", "Model"],
        select_columns=SelectColumns(default_selection=list(frame.columns),
                                     cant_deselect=["Status", "System"], label="Columns"),
        filter_columns=[ColumnFilter("Status", type="checkboxgroup"),
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
        groups = state["board"].groups
        lang, ds = (group_bars(row, views[scope], groups[scope])
                    for scope in ("language", "dataset"))
        matrix = row.confusion.get("overall")
        conf = confusion_heatmap(matrix, "Confusion matrix (all clips)") if matrix else None
        facts = [[k, str(getattr(row, k))] for k in ("status", "name", "model", "model_id",
                                                      "family", "url", "submitter",
                                                      "description", "submission")
                 if getattr(row, k) not in (None, "")]
        return lang, ds, conf, facts

    with gr.Blocks(title="CAMEO leaderboard", analytics_enabled=False) as demo:
        gr.Markdown(_INTRO)
        tables = []
        with gr.Tabs():
            for view, title in (("overall", "Overall"),
                                *((v.scope, v.tab_title) for v in GROUP_VIEWS)):
                with gr.Tab(title):
                    tables.append((view, _leaderboard(board_frame(state["board"], view))))
            with gr.Tab("Details"):
                pick = gr.Dropdown(choices=list(rows_by_label()), label="System")
                facts = gr.Dataframe(headers=["field", "value"], datatype=["str", "str"],
                                     interactive=False, label="About", row_count=1)
                with gr.Row():
                    lang_plot, ds_plot = gr.Plot(label="Per language"), gr.Plot(label="Per dataset")
                conf_plot = gr.Plot(label="Confusion matrix")
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

        def refresh():
            """Re-read the store (it may have changed since the page was built)."""
            state["board"] = read_board(store, reported=reported)
            return (gr.update(choices=list(rows_by_label())),
                    *(board_frame(state["board"], view) for view, _ in tables))

        def submit(path, *values):
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
            return (message, *refresh())

        board_outputs = [pick, *(table for _, table in tables)]
        demo.load(refresh, None, board_outputs)
        send.click(submit, [upload, *fields.values()], [outcome, *board_outputs])
    demo.queue(default_concurrency_limit=1)
    return demo


def serve(results_dir: str | Path | None, *, host: str = "127.0.0.1", port: int | None = None,
          reported: bool = True, limits: Limits = DEFAULT_LIMITS) -> None:
    """Run the app on ``host:port`` until interrupted (uploads capped at the submission size
    limit)."""
    build_app(results_dir, reported=reported, limits=limits).launch(
        server_name=host, server_port=port, max_file_size=limits.max_bytes)
