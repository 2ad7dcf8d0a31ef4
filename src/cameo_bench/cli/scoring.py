"""Commands ``cameo score``, ``cameo compare`` and ``cameo parse``: thin layers over
:mod:`cameo_bench.scores`, :mod:`cameo_bench.compare` and :mod:`cameo_bench.parse`."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated, Optional

import typer

from cameo_bench.cli.app import app, console, err_console
from cameo_bench.errors import CameoError, InputError, MissingDependencyError
from cameo_bench.records import UNPARSED, Prediction

__all__ = ["score", "compare", "parse", "example_predictions_path", "load_predictions"]


def example_predictions_path() -> Path:
    """The small example predictions file shipped in the package."""
    return Path(str(resources.files("cameo_bench").joinpath(
        "resources/example_predictions.jsonl")))


def load_predictions(paths: list[Path]) -> list[Prediction]:
    """Read and check ``paths`` together: each file valid, no row repeated across files, every
    gold and parsed label among its row's offered labels (errors name the file)."""
    from cameo_bench.predictions import read_predictions
    from cameo_bench.scores import check_predictions

    out: list[Prediction] = []
    seen: dict[tuple, Path] = {}
    for path in paths:
        preds = read_predictions(path)
        try:
            check_predictions(preds)
        except CameoError as exc:
            raise InputError(path, str(exc)) from None
        for p in preds:
            if p.key in seen:
                raise InputError(path, f"row {p.key} is also in {seen[p.key]}; give each run once")
            seen[p.key] = path
        out += preds
    return out


@app.command()
def score(
    files: Annotated[Optional[list[Path]], typer.Argument(  # noqa: UP045 (typer needs it)
        help="predictions.jsonl files (one or more runs).", show_default=False)] = None,
    out: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--out", help="Write scores.json, scores.csv, scores.md and report.html here (and the "
        "paper's numbers for a paper system to reported.json/csv).")] = None,
    example: Annotated[bool, typer.Option(
        "--example", help="Score the built-in example predictions file.")] = False,
    resamples: Annotated[int, typer.Option(
        min=0, help="Bootstrap resamples (0: no intervals).")] = 1000,
    seed: Annotated[int, typer.Option(help="Bootstrap seed.")] = 0,
) -> None:
    """Score predictions with 95% bootstrap intervals (the paper's Tables 4-7).

    Overall, per language, per dataset and per emotion, beside chance and majority references.
    Rows without `parsed` are parsed on the fly. A run of a paper system (its Hub id or alias)
    at the paper's temperature and prompt shows the paper's numbers in `paper (reported)`
    columns beside ours.
    """
    from cameo_bench.paper import reported_for_runs
    from cameo_bench.report import print_score_tables, write_reported_files, write_score_files
    from cameo_bench.scores import score_predictions

    paths = list(files or []) + ([example_predictions_path()] if example else [])
    if not paths:
        raise CameoError("no predictions file given; pass PRED.jsonl or --example")
    preds = load_predictions(paths)
    records = score_predictions(preds, n_resamples=resamples, seed=seed)
    reported = reported_for_runs((p.model, p.temperature, p.prompt_id) for p in preds)
    print_score_tables(records, console, reported)
    if out is not None:
        for path in write_score_files(records, out) + write_reported_files(reported, out):
            console.print(f"wrote {path}", highlight=False)
        _write_html(preds, records, out)


def _write_html(preds: list[Prediction], records: list, out: Path) -> None:
    """``report.html`` beside the score files; without matplotlib, say how to get it."""
    from cameo_bench.html_report import write_html_report

    try:
        console.print(f"wrote {write_html_report(preds, records, out)}", highlight=False)
    except MissingDependencyError as exc:
        err_console.print(f"report.html not written: {exc}", highlight=False)


@app.command()
def compare(
    a: Annotated[Path, typer.Argument(help="predictions.jsonl of run A (one run).")],
    b: Annotated[Path, typer.Argument(help="predictions.jsonl of run B (one run, same clips).")],
    resamples: Annotated[int, typer.Option(min=1, help="Bootstrap resamples.")] = 1000,
    seed: Annotated[int, typer.Option(help="Bootstrap seed.")] = 0,
    alpha: Annotated[float, typer.Option(help="Significance level of the verdicts.")] = 0.05,
) -> None:
    """Paired bootstrap test of run A against run B on the same clips, per scope."""
    from cameo_bench.compare import compare_runs
    from cameo_bench.presentation import run_label
    from cameo_bench.report import print_comparison
    from cameo_bench.scores import run_key

    preds_a, preds_b = load_predictions([a]), load_predictions([b])
    comparisons = compare_runs(preds_a, preds_b, n_resamples=resamples, seed=seed)
    name = {side: run_label(*min(run_key(p) for p in preds), with_prompt=True)
            for side, preds in (("a", preds_a), ("b", preds_b))}
    print_comparison(comparisons, name["a"], name["b"], alpha=alpha, console=console)


@app.command()
def parse(
    src: Annotated[Path, typer.Argument(help="predictions.jsonl to parse.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the parsed predictions.")],
) -> None:
    """Re-parse every raw answer (SPEC §2 rule) and write the file with `parsed` set."""
    from cameo_bench.parse import parse_predictions
    from cameo_bench.predictions import read_predictions, write_predictions

    preds = parse_predictions(read_predictions(src), overwrite=True)
    write_predictions(out, preds)
    unparsed = sum(p.parsed == UNPARSED for p in preds)
    console.print(f"parsed {len(preds)} answers ({unparsed} unparsed) -> {out}", highlight=False)
