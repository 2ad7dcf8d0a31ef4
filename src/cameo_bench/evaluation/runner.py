"""``evaluate``: run one model over a collection into a resumable run folder (``cameo evaluate``).

A run folder holds ``predictions.jsonl`` (or per-shard files until merged) and ``run.json``.
Rerunning the same command skips every (clip, temperature) already answered; settings that would
make old answers stale (model revision, prompt text, seed, max new tokens, backend options) must
match the folder's, or the run stops and says so.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console

from cameo_bench.backends import BACKENDS, Backend, GenerationConfig
from cameo_bench.collection.reader import Clip, open_collection
from cameo_bench.errors import CameoError
from cameo_bench.evaluation import manifest as mf
from cameo_bench.evaluation.loop import LoopState, answer_clips, stop_on_interrupt
from cameo_bench.evaluation.run_folder import (
    PREDICTIONS,
    Shard,
    load_run,
    merge_run,
    predictions_path,
)
from cameo_bench.evaluation.specs import parse_model_spec
from cameo_bench.prompts import DEFAULT_PROMPT, PromptTemplate, get_prompt

__all__ = ["MAX_NEW_TOKENS", "RunResult", "evaluate", "load_backend", "select_clips"]

#: Default cap on generated tokens: the answer is one word; 16 leaves room for "The emotion is
#: happiness." without letting a rambling model slow the run.
MAX_NEW_TOKENS = 16


@dataclass(frozen=True)
class RunResult:
    """What :func:`evaluate` did. ``predictions`` is the merged file once the run is complete."""

    run_dir: Path
    predictions: Path
    answered: int
    cached: int
    failed: int
    interrupted: bool
    complete: bool
    clips_per_second: float | None
    real_time_factor: float | None


def load_backend(model: str, options: Mapping[str, Any] | None = None) -> Backend:
    """Create the backend a model spec names, with backend ``options`` (checked by name)."""
    spec = parse_model_spec(model)
    factory = BACKENDS[spec.backend]
    kwargs = dict(options or {})
    if spec.revision is not None:
        kwargs["revision"] = spec.revision
    try:
        inspect.signature(factory).bind(spec.model, **kwargs)
    except TypeError:
        accepted = [p for p in inspect.signature(factory).parameters if p != "model"]
        raise CameoError(
            f"backend {spec.backend!r} does not take options {sorted(kwargs)}; "
            f"it takes: {', '.join(accepted) or 'none'}"
        ) from None
    return factory(spec.model, **kwargs)


def select_clips(
    data: str | Path, *, corpus: Sequence[str] | None, limit: int | None, seed: int,
    shard: Shard | None = None,
):
    """Open the collection at ``data`` and pick the clips of a run: the corpora asked for, a
    seeded sample of ``limit``, then this shard's share. Returns (collection, clips)."""
    collection = open_collection(data)
    clips: list[Clip] = collection.clips(corpus=corpus or None)
    if limit is not None:
        clips = collection.sample(clips, limit, seed)
    if shard is not None:
        clips = [c for c in clips if shard.owns(c.record.file_id)]
    return collection, clips


def _settings(backend: Backend, spec_backend: str, prompt: PromptTemplate, seed: int,
              max_new_tokens: int, options: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "backend": spec_backend, "model": backend.model_id, "revision": backend.revision,
        "prompt_id": prompt.id, "prompt_hash": prompt.hash, "seed": seed,
        "max_new_tokens": max_new_tokens,
        "options": {k: v for k, v in sorted(options.items()) if k not in backend.runtime_options},
    }


def _check_settings(run_dir: Path, settings: dict[str, Any], rows) -> None:
    """Refuse to add to a folder whose answers were made with other settings."""
    for path in sorted(run_dir.glob("run*.json")):
        old = (mf.read_manifest(path) or {}).get("settings", {})
        changed = [k for k in settings if k in old and old[k] != settings[k]]
        if changed:
            k = changed[0]
            raise CameoError(
                f"{run_dir} holds answers made with {k}={old[k]!r}, this run asks for "
                f"{k}={settings[k]!r}: its answers would be stale; use another --out"
            )
    mine = (settings["model"], settings["revision"], settings["prompt_id"], settings["prompt_hash"])
    for p in rows:
        theirs = (p.model, p.model_revision, p.prompt_id, p.prompt_hash)
        if theirs != mine:
            raise CameoError(
                f"{run_dir} holds answers of (model, revision, prompt, prompt hash) = {theirs}, "
                f"this run is {mine}: use another --out"
            )


def _manifest_path(run_dir: Path, shard: Shard | None) -> Path:
    return run_dir / ("run.json" if shard is None else f"run.{shard.tag}.json")


def _shard_sessions(run_dir: Path) -> list[dict[str, Any]]:
    """Sessions of the shard manifests of ``run_dir``, which are then removed (on merge)."""
    sessions = []
    for path in sorted(run_dir.glob("run.shard-*.json")):
        sessions += (mf.read_manifest(path) or {}).get("sessions", [])
        path.unlink()
    return sessions


def evaluate(
    model: str | None = None,
    data: str | Path | None = None,
    *,
    out: str | Path,
    corpus: Sequence[str] | None = None,
    temperatures: Sequence[float] = (0.0,),
    batch_size: int = 8,
    limit: int | None = None,
    prompt_id: str = DEFAULT_PROMPT,
    seed: int = 0,
    max_new_tokens: int = MAX_NEW_TOKENS,
    options: Mapping[str, Any] | None = None,
    shard: Shard | None = None,
    retry_failed: bool = False,
    show_scores: bool = True,
    console: Console | None = None,
) -> RunResult:
    """Evaluate ``model`` (a spec, see :mod:`cameo_bench.evaluation.specs`) on the collection at
    ``data`` into run folder ``out``; resumable, see the module docstring.

    Temperature 0.0 is greedy decoding, > 0 samples with ``seed``. An unsharded run that finishes
    merges the folder's prediction files into one sorted ``predictions.jsonl`` and prints the
    score tables; a shard writes ``predictions.shard-I-of-N.jsonl`` and leaves merging to an
    unsharded rerun (which answers nothing new) or :func:`merge_run`.
    """
    if model is None or data is None:
        raise CameoError("give a model (--model) and a collection (--data)")
    if batch_size < 1:
        raise CameoError(f"batch size must be at least 1, got {batch_size}")
    console = console or Console(stderr=True)
    run_dir = Path(out)
    run_dir.mkdir(parents=True, exist_ok=True)
    temps = sorted({float(t) for t in temperatures})
    if not temps or min(temps) < 0:
        raise CameoError(f"temperatures must be >= 0, got {list(temperatures)}")
    prompt = get_prompt(prompt_id)
    options = dict(options or {})
    collection, clips = select_clips(data, corpus=corpus, limit=limit, seed=seed, shard=shard)

    path = predictions_path(run_dir, shard)
    rows = load_run(run_dir, own=path)
    backend = load_backend(model, options)
    try:
        settings = _settings(backend, parse_model_spec(model).backend, prompt, seed,
                             max_new_tokens, options)
        _check_settings(run_dir, settings, rows)
        # A failed row stays until the merge prefers the new answer (see store.merge_run).
        done = {(p.file_id, p.temperature) for p in rows if not (retry_failed and p.error)}
        todo = {t: {c.record.file_id for c in clips} - {f for f, tt in done if tt == t}
                for t in temps}
        n_todo = sum(len(ids) for ids in todo.values())
        cached = len(clips) * len(temps) - n_todo

        manifest = mf.RunManifest(_manifest_path(run_dir, shard))
        manifest.start(
            settings={**settings, "prompt_text": prompt.text,
                      "temperatures": sorted(set(manifest.temperatures) | set(temps))},
            data={"location": str(data), "corpus": sorted(corpus or []), "limit": limit,
                  "clips": len(clips)},
            session={"shard": shard.tag if shard else None, "batch_size": batch_size,
                     "options": options, "clips_todo": n_todo},
        )

        progress = LoopState(batch_size=batch_size)
        configs = [GenerationConfig(temperature=t, seed=seed, max_new_tokens=max_new_tokens)
                   for t in temps]
        # a whole-collection backend answers in one call and shows its own progress
        with _progress_bar(console, n_todo, backend.model_id,
                           enabled=not backend.whole_collection) as advance, \
                stop_on_interrupt(progress):
            progress.on_batch = advance
            answer_clips(backend, collection, todo, clips, prompt=prompt, configs=configs,
                         path=path, progress=progress)
        for note in backend.notes:
            console.print(f"note: {note}", highlight=False, markup=False)
    finally:
        backend.close()

    interrupted = progress.stop.is_set() and progress.done < n_todo
    complete = not interrupted and shard is None
    if complete:
        path = merge_run(run_dir)
    tp = progress.throughput
    manifest.finish(
        "interrupted" if interrupted else "complete",
        {"clips_answered": progress.done, "clips_failed": progress.failed,
         "final_batch_size": progress.batch_size,
         "throughput": tp.to_dict()},
        earlier=_shard_sessions(run_dir) if complete else [],
    )
    if complete and show_scores:
        _show_scores(run_dir / PREDICTIONS, console)
    return RunResult(run_dir, path, progress.done, cached, progress.failed, interrupted,
                     complete, tp.clips_per_second, tp.real_time_factor)


@contextmanager
def _progress_bar(console: Console, total: int, label: str,
                  enabled: bool = True) -> Iterator[Callable[[int], None]]:
    """A rich progress bar over answered clips; yields its ``advance(n)`` function."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    if not enabled:
        yield lambda n: None
        return

    columns = ("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


def _show_scores(path: Path, console: Console) -> None:
    from cameo_bench.predictions import read_predictions
    from cameo_bench.report import print_score_tables
    from cameo_bench.scores import score_predictions

    print_score_tables(score_predictions(read_predictions(path)), console)
