"""Commands ``cameo score``, ``cameo compare`` and ``cameo parse``: thin layers over
:mod:`cameo_bench.scores`, :mod:`cameo_bench.compare` and :mod:`cameo_bench.parse`."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated, Optional

import typer

from cameo_bench.cli.app import app, collector_paused, console
from cameo_bench.errors import CameoError, InputError
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
        if len(paths) > 1:  # within one file, read_predictions has refused repeated rows
            for p in preds:
                key = p.key
                if key in seen:
                    raise InputError(path, f"row {key} is also in {seen[key]}; give each run "
                                     "once")
                seen[key] = path
        out += preds
    return out


@app.command()
def score(
    files: Annotated[Optional[list[Path]], typer.Argument(  # noqa: UP045 (typer needs it)
        help="predictions.jsonl files or run folders of `cameo evaluate` (one or more runs).",
        show_default=False)] = None,
    out: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--out", help="Write scores.json, scores.csv, scores.md, scores.tex and report.html "
        "here (and the paper's numbers beside a paper system's full-collection run to "
        "reported.json/csv).")] = None,
    example: Annotated[bool, typer.Option(
        "--example", help="Score the built-in example predictions file.")] = False,
    resamples: Annotated[int, typer.Option(
        min=0, help="Bootstrap resamples (0: no intervals).")] = 1000,
    seed: Annotated[int, typer.Option(help="Bootstrap seed.")] = 0,
) -> None:
    """Score predictions with 95% bootstrap intervals (the paper's Tables 4-7).

    Overall, per language, per dataset and per emotion, beside chance and majority references,
    and each run's answers per label beside the gold labels' shares; a run answering one label
    for over 90% of its clips, or with over half its answers unparsed, is flagged degenerate.
    Rows without `parsed` are parsed on the fly. A run of a paper system (its Hub id or alias)
    at the paper's temperature and prompt on the full collection (41,265 clips) shows the
    paper's numbers in `paper (reported)` columns beside ours; on fewer clips a note says why
    they are left out. A run folder whose run.json records `--controls` that found the answers
    independent of the audio is flagged. Tables fit the terminal; the files hold them whole.
    """
    paths = [_predictions_file(p) for p in files or []]
    paths += [example_predictions_path()] if example else []
    if not paths:
        raise CameoError("no predictions file given; pass PRED.jsonl or --example")
    with collector_paused():  # the rows are gone when _score returns
        _score(paths, out, resamples, seed)


def _score(paths: list[Path], out: Path | None, resamples: int, seed: int) -> None:
    """``cameo score``'s work (see :func:`score`)."""
    from cameo_bench.paper import comparable_reported, reported_for_runs
    from cameo_bench.report import print_score_tables, write_reported_files, write_score_files
    from cameo_bench.scores import score_runs

    preds = load_predictions(paths)
    scored = score_runs(preds, n_resamples=resamples, seed=seed, checked=True)
    reported = reported_for_runs(scored.coverage)
    warnings = _run_warnings(paths)
    print_score_tables(scored.records, console, reported, warnings)
    if out is None:
        return
    from cameo_bench.html_report import write_html_report
    from cameo_bench.provenance import Provenance

    shown, _ = comparable_reported(reported, scored.coverage)
    written = (write_score_files(scored.records, out, reported, warnings)
               + write_reported_files(shown, out))
    written.append(write_html_report(
        preds, scored.records, out, reported=reported, confusions=scored.confusions,
        provenance=Provenance.of_files(paths, n_resamples=resamples, seed=seed),
        run_warnings=warnings))
    for path in written:
        console.print(f"wrote {path}", highlight=False, markup=False)


def _run_warnings(paths: list[Path]) -> list[str]:
    """The warnings of the run folders holding ``paths`` (a deaf run's controls verdict)."""
    from cameo_bench.evaluation.manifest import deaf_warning
    from cameo_bench.evaluation.run_folder import PREDICTIONS

    found = (deaf_warning(p.parent) for p in paths if p.name == PREDICTIONS)
    return [w for w in found if w]


def _predictions_file(path: Path) -> Path:
    """``path``, or the ``predictions.jsonl`` of run folder ``path``."""
    from cameo_bench.evaluation.run_folder import PREDICTIONS

    if not path.is_dir():
        return path
    if not (path / PREDICTIONS).is_file():
        raise InputError(path, f"no {PREDICTIONS} in this folder: an unfinished or sharded run "
                         "(rerun the same `cameo evaluate` without --shard to merge it)")
    return path / PREDICTIONS


@app.command()
def compare(
    a: Annotated[Path, typer.Argument(
        help="Run A: a predictions.jsonl or a run folder of `cameo evaluate`.")],
    b: Annotated[Optional[Path], typer.Argument(  # noqa: UP045
        help="Run B: a predictions.jsonl or run folder (default: the same as A).",
        show_default=False)] = None,
    a_temperature: Annotated[Optional[float], typer.Option(  # noqa: UP045
        "--a-temperature", help="Pick A's run at this temperature.")] = None,
    b_temperature: Annotated[Optional[float], typer.Option(  # noqa: UP045
        "--b-temperature", help="Pick B's run at this temperature.")] = None,
    a_model: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--a-model", help="Pick A's run of this model (as written in the file).")] = None,
    b_model: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--b-model", help="Pick B's run of this model.")] = None,
    out: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--out", help="Also write the comparison to this .json, .csv or .md file.")] = None,
    resamples: Annotated[int, typer.Option(min=1, help="Bootstrap resamples.")] = 1000,
    seed: Annotated[int, typer.Option(help="Bootstrap seed.")] = 0,
    alpha: Annotated[float, typer.Option(help="Significance level of the verdicts.")] = 0.05,
) -> None:
    """Paired bootstrap test of run A against run B on the same clips, per scope.

    A and B are predictions files or run folders; when one holds several runs (e.g. `cameo
    evaluate -t 0 0.7`), pick one with --a-temperature / --a-model (B alike). With one
    folder, compare two of its temperatures: `cameo compare runs/qwen --a-temperature 0
    --b-temperature 0.7`. Verdicts read `A better`, `B better` or `not significant`.
    """
    from cameo_bench.compare import compare_runs, select_run
    from cameo_bench.compare_report import ComparedRun, print_comparison, write_comparison
    from cameo_bench.presentation import run_label
    from cameo_bench.scores import run_key

    if out is not None:  # a wrong suffix is said before the work, not after
        from cameo_bench.compare_report import COMPARISON_FORMATS

        if out.suffix.lower() not in COMPARISON_FORMATS:
            raise CameoError(f"{out}: --out must end in {', '.join(COMPARISON_FORMATS)}")
    file_a = _predictions_file(a)
    file_b = file_a if b is None else _predictions_file(b)
    rows_a = load_predictions([file_a])
    rows_b = rows_a if file_b == file_a else load_predictions([file_b])
    sides = {"A": select_run(rows_a, "A", model=a_model, temperature=a_temperature),
             "B": select_run(rows_b, "B", model=b_model, temperature=b_temperature)}
    runs = {side: run_key(rows[0]) for side, rows in sides.items()}
    if runs["A"] == runs["B"] and file_a == file_b:
        raise CameoError(f"A and B are the same run ({run_label(*runs['A'])}); pick two with "
                         "--a-temperature/--b-temperature or --a-model/--b-model")
    comparisons = compare_runs(sides["A"], sides["B"], n_resamples=resamples, seed=seed)
    compared = {side: ComparedRun(run_label(*runs[side], with_prompt=True), *runs[side],
                                  str(path), len(sides[side]))
                for side, path in (("A", file_a), ("B", file_b))}
    print_comparison(comparisons, compared["A"].label, compared["B"].label, alpha=alpha,
                     console=console)
    if out is not None:
        path = write_comparison(out, comparisons, compared["A"], compared["B"], alpha=alpha,
                                n_resamples=resamples, seed=seed)
        console.print(f"wrote {path}", highlight=False, markup=False)


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
