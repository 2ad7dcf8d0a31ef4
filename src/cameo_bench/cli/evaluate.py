"""``cameo evaluate``: run a model over the collection into a resumable run folder."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from cameo_bench.cli.app import app, console, err_console
from cameo_bench.errors import CameoError
from cameo_bench.evaluation.config import CONTROL_SAMPLE, RunConfig

__all__ = ["evaluate_command", "parse_options"]


def parse_options(pairs: list[str]) -> dict[str, Any]:
    """``KEY=VALUE`` pairs to backend options; a value that reads as JSON (``8``, ``0.5``,
    ``true``) becomes that, anything else stays a string (``dtype=bfloat16``)."""
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise CameoError(f"option {pair!r} is not KEY=VALUE (e.g. -o dtype=bfloat16)")
        try:
            out[key.strip()] = json.loads(value)
        except json.JSONDecodeError:
            out[key.strip()] = value
    return out


def _temperatures(given: list[float] | None, extra: list[str]) -> list[float]:
    """``--temperature 0.0 0.3 0.7``: click takes the first value, the rest arrive as extras."""
    temps = list(given or RunConfig.temperatures)
    for value in extra:
        try:
            temps.append(float(value))
        except ValueError:
            raise CameoError(f"unexpected argument {value!r}") from None
    if extra and not given:
        raise CameoError(f"unexpected argument {extra[0]!r}")
    return temps


@app.command(
    "evaluate",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": False},
)
def evaluate_command(
    ctx: typer.Context,
    model: Annotated[str | None, typer.Option(
        "--model", "-m", help="Model spec: an alias (qwen2-audio, voxtral-mini, ...: `cameo "
        "models` lists them all), hf:<hub id or folder> (optionally @<revision>), vllm:<model>, "
        "openai:<model>, random.")] = None,
    data: Annotated[str | None, typer.Option(
        "--data", "-d", help="Collection folder (or hf://...).")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Run folder (predictions.jsonl, run.json).")] = None,
    corpus: Annotated[list[str] | None, typer.Option(
        "--corpus", help="Only these corpora (repeatable).")] = None,
    temperature: Annotated[list[float] | None, typer.Option(
        "--temperature", "-t",
        help="Temperatures, e.g. --temperature 0.0 0.3 0.7 (0.0 is greedy; the default).",
    )] = None,
    batch_size: Annotated[int | None, typer.Option(
        "--batch-size", "-b", help="Clips per generate call [default: the backend's preferred "
        "size: 256 for vllm, else 8].")] = RunConfig.batch_size,
    limit: Annotated[int | None, typer.Option(
        "--limit", help="A seeded sample of this many clips.")] = RunConfig.limit,
    prompt: Annotated[str, typer.Option(
        "--prompt", help="Prompt template id.")] = RunConfig.prompt_id,
    seed: Annotated[int, typer.Option(
        "--seed", help="Seed for sampling and --limit.")] = RunConfig.seed,
    max_new_tokens: Annotated[int, typer.Option(
        "--max-new-tokens", help="Cap on generated tokens.")] = RunConfig.max_new_tokens,
    option: Annotated[list[str] | None, typer.Option(
        "--option", "-O", help="Backend or executor option KEY=VALUE (repeatable), e.g. "
        "-O dtype=bfloat16 -O device=cuda -O attn_implementation=sdpa, -O base_url=http://..., "
        "-O ray_address=auto -O gpus_per_worker=1 -O cpus_per_worker=1")] = None,
    executor: Annotated[str, typer.Option(
        "--executor", help="Where the clips are answered: local (this process) or ray (Ray "
        "workers on this machine or a cluster: docs/scale-out.md).")] = RunConfig.executor,
    workers: Annotated[int | None, typer.Option(
        "--workers", help="Workers of the executor [default: ray: one per GPU of the cluster, "
        "else one per CPU].")] = RunConfig.workers,
    shard: Annotated[str | None, typer.Option(
        "--shard", help="Run shard I/N of the clips only.")] = None,
    retry_failed: Annotated[bool, typer.Option(
        "--retry-failed", help="Answer again the clips recorded as failed.")
    ] = RunConfig.retry_failed,
    controls: Annotated[int | None, typer.Option(
        "--controls", metavar="[N]", help=f"Does the model hear the audio? Also answer a "
        f"seeded sample of N clips (default {CONTROL_SAMPLE}) with silence and with another "
        "clip's audio, test that the answers depend on the audio, and record the verdict in "
        "run.json (rows in controls.jsonl).", show_default=False)] = None,
    check_batching: Annotated[bool, typer.Option(
        "--check-batching", help="Answer a sample at batch size 1 and --batch-size (greedy) "
        "and report how many answers differ; writes no predictions.")] = False,
    scores: Annotated[bool, typer.Option(
        "--scores/--no-scores", help="Print score tables at the end.")] = True,
) -> None:
    """Evaluate a model on the collection; rerun the same command to resume.

    Without --model and --data: the CPU baseline (egemaps-logreg) on the built-in SYNTHETIC demo
    collection, generated offline on first use.
    """
    from cameo_bench.evaluation.run_folder import parse_shard
    from cameo_bench.evaluation.runner import evaluate

    temps = _temperatures(temperature, list(ctx.args))
    options = parse_options(option or [])
    demo = model is None and data is None and not check_batching
    if demo:  # out of the box: the CPU baseline on the synthetic demo
        from cameo_bench.cli.demo import demo_run_defaults

        model, data, out = demo_run_defaults(out)
    if out is None and not check_batching:
        raise CameoError("give a run folder (--out)")
    config = RunConfig(
        model, data, corpus=corpus or (), temperatures=temps, batch_size=batch_size,
        limit=limit, prompt_id=prompt, seed=seed, max_new_tokens=max_new_tokens,
        options=options, shard=parse_shard(shard) if shard else None, retry_failed=retry_failed,
        controls=controls,
        executor=executor, workers=workers,
    )
    if check_batching:
        _check_batching(config, out)
        return
    try:
        result = evaluate(config, out, progress=_progress_bar)
    except KeyboardInterrupt:  # the second Ctrl-C
        err_console.print("stopped at once: every batch written before is kept; rerun the same "
                          "command to resume")
        raise typer.Exit(130) from None
    for note in result.notes:
        console.print(f"note: {note}", highlight=False, markup=False)
    if result.complete and scores:
        _print_scores(result.predictions)
    if result.controls is not None:
        _print_controls(result.controls)
    speed = (f", {result.clips_per_second:.1f} clips/s, real-time factor "
             f"{result.real_time_factor:.4f}" if result.clips_per_second else "")
    err_console.print(
        f"{result.answered} answered, {result.cached} already done, {result.failed} failed"
        f"{speed} → {result.predictions}"
    )
    if result.failed:
        err_console.print(f"{result.failed} clip(s) failed (each row holds its error): rerun "
                          "the same command with --retry-failed to answer them again",
                          style="yellow", highlight=False)
    if result.interrupted:
        err_console.print("stopped early (Ctrl-C): every batch answered is kept; rerun the same "
                          "command to resume")
        raise typer.Exit(130)
    if not result.complete:
        err_console.print("shard done: when all shards are, rerun without --shard to merge")
    elif demo:
        err_console.print(f"plots and report.html: cameo score {result.predictions} --out "
                          f"{Path(out) / 'report'}", highlight=False)


@contextmanager
def _progress_bar(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """Progress over answered clips (a bar, or plain lines without a terminal); yields its
    ``advance(n)`` function."""
    from cameo_bench.progress import progress

    with progress(total, f"evaluating {label}", console=err_console) as tracker:
        yield tracker.advance


def _print_scores(predictions: Path) -> None:
    from cameo_bench.predictions import read_predictions
    from cameo_bench.report import print_score_tables
    from cameo_bench.scores import score_predictions

    print_score_tables(score_predictions(read_predictions(predictions)), console)


def _print_controls(verdict: dict[str, Any]) -> None:
    """The controls' figures per temperature; a run that does not hear the audio, loudly."""
    from rich.table import Table

    table = Table(title=f"Controls: {verdict['sample']} clips also answered with silence and "
                        "with another clip's audio")
    for column in ("T", "clips", "accuracy\nown/silence/other", "same answer\nsilence/other",
                   "p", "hears\naudio"):
        table.add_column(column, justify="right", no_wrap=True)
    for r in verdict["runs"]:
        acc, same = r["accuracy"], r["agreement_with_real"]
        table.add_row(
            f"{r['temperature']:g}", str(r["clips"]),
            "/".join("–" if acc[k] is None else f"{acc[k]:.3f}"
                       for k in ("real", "silence", "shuffled")),
            "/".join("–" if same[k] is None else f"{same[k]:.0%}"
                       for k in ("silence", "shuffled")),
            f"{r['test']['p_value']:.2g}", "yes" if r["hears_audio"] else "NO")
    console.print(table)
    if not verdict["hears_audio"]:
        err_console.print(f"WARNING: {verdict['warning']}. Check how the audio reaches the "
                          "model before trusting these numbers (run.json: controls).",
                          style="bold red", markup=False, highlight=False)


def _check_batching(config: RunConfig, out: Path | None) -> None:
    from rich.table import Table

    from cameo_bench.evaluation.batching import check_batching
    from cameo_bench.fileio import atomic_write

    check = check_batching(config)
    size = check.batch_size
    table = Table(title=f"batch size 1 vs {size}: {len(check.differing)} of "
                        f"{len(check.file_ids)} answers differ")
    for column in ("file_id", "batch size 1", f"batch size {size}"):
        table.add_column(column)
    for i in check.differing:
        table.add_row(check.file_ids[i][:16], check.single[i], check.batched[i])
    console.print(table)
    if out is not None:
        report = {"batch_size": size, "clips": len(check.file_ids),
                  "differing": len(check.differing),
                  "answers": [{"file_id": f, "single": a, "batched": b} for f, a, b
                              in zip(check.file_ids, check.single, check.batched, strict=True)]}
        text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
        atomic_write(Path(out) / "batching_check.json",
                     lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
