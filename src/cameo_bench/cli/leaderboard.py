"""Commands ``cameo leaderboard build|serve|submit``: thin layers over
:mod:`cameo_bench.leaderboard`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from cameo_bench.cli.app import app, collector_paused, console

__all__ = ["leaderboard_app", "build", "serve", "submit"]

leaderboard_app = typer.Typer(
    name="leaderboard", no_args_is_help=True,
    help="The leaderboard: verify submissions into a results store, export a static site, "
    "or serve the Gradio app.")
app.add_typer(leaderboard_app, name="leaderboard")

_Results = Annotated[Path, typer.Argument(
    help="The results store (a folder made by `cameo leaderboard submit --collection`).")]
_NoReported = Annotated[bool, typer.Option(
    "--no-reported", help="Leave out the paper's reported numbers.")]


@leaderboard_app.command()
def build(
    results: _Results,
    out: Annotated[Path, typer.Option("--out", help="Folder to write index.html into.")],
    no_reported: _NoReported = False,
) -> None:
    """Export the leaderboard as a static site (one index.html; no server needed)."""
    from cameo_bench.leaderboard.board import read_board
    from cameo_bench.leaderboard.results_store import ResultsStore
    from cameo_bench.leaderboard.site import write_site

    board = read_board(ResultsStore(results), reported=not no_reported)
    page = write_site(board.to_json(), out)
    console.print(f"wrote {page} ({len(board.rows)} rows)", highlight=False, soft_wrap=True)


@leaderboard_app.command()
def serve(
    results: _Results,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 7860,
    no_reported: _NoReported = False,
) -> None:
    """Run the Gradio leaderboard app (tables, details, submission form) locally."""
    from cameo_bench.leaderboard.app import serve as serve_app

    serve_app(results, host=host, port=port, reported=not no_reported)


@leaderboard_app.command()
def submit(
    predictions: Annotated[Path, typer.Argument(help="predictions.jsonl of one system.")],
    meta: Annotated[Path, typer.Option(
        "--meta", help="META.json: name (required), family, model_id, revision, submitter, "
        "url, description.")],
    results: Annotated[Path, typer.Option("--results", help="The results store folder.")],
    collection: Annotated[Optional[Path], typer.Option(  # noqa: UP045 (typer needs it)
        "--collection", help="Collection folder or metadata.jsonl; creates the store if "
        "it does not exist yet.")] = None,
    resamples: Annotated[int, typer.Option(min=0, help="Bootstrap resamples.")] = 1000,
    seed: Annotated[int, typer.Option(help="Bootstrap seed.")] = 0,
) -> None:
    """Validate a submission, re-score it with the project's scorer and add it to the store."""
    from cameo_bench.leaderboard.results_store import open_store
    from cameo_bench.leaderboard.validate import read_meta
    from cameo_bench.report import print_score_tables

    store = open_store(results, collection)
    with collector_paused():
        entry = store.submit(predictions, read_meta(meta), n_resamples=resamples, seed=seed)
    print_score_tables(store.load(entry["id"]).scores, console)
    console.print(f"verified {entry['name']!r} as {entry['id']} ({entry['runs']} run(s)) "
                  f"in {results}", highlight=False, markup=False, soft_wrap=True)
