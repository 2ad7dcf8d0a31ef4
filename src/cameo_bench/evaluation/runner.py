"""``evaluate``: run one model over a collection into a resumable run folder (``cameo evaluate``).

A run folder holds ``predictions.jsonl`` (or per-shard files until merged) and ``run.json``.
Rerunning the same command skips every (clip, temperature) already answered; settings that would
make old answers stale (model revision, prompt text, seed, max new tokens, backend options, the
backend's effective decoding settings) and the collection (its clip-id fingerprint) must match
the folder's, or the run stops and says so. One writer at a time: a second ``evaluate`` into a
folder in use is refused at once, naming the holder (shards of one run may write side by side).
With ``controls`` the finished run also answers the control conditions
(:mod:`~cameo_bench.evaluation.controls`) and records their verdict in run.json.

The clips are answered in work units (:mod:`~cameo_bench.evaluation.units`) by an executor
(:mod:`~cameo_bench.evaluation.executors`: this process, or Ray workers); this process is the
only writer (:mod:`~cameo_bench.evaluation.writer`). Which executor and how many workers is not
part of the answers' settings: a run may resume with others and writes the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cameo_bench.backends import BACKENDS, Backend, GenerationConfig
from cameo_bench.backends.factory import bind_options
from cameo_bench.collection.reader import Clip, Collection, open_collection
from cameo_bench.errors import CameoError
from cameo_bench.evaluation import controls as ctl
from cameo_bench.evaluation import manifest as mf
from cameo_bench.evaluation.config import RunConfig
from cameo_bench.evaluation.executors import make_executor, split_options
from cameo_bench.evaluation.executors.base import BackendInfo, BackendLoader, batch_size_for
from cameo_bench.evaluation.loop import LoopState, answer_clips, stop_on_interrupt
from cameo_bench.evaluation.run_folder import (
    Shard,
    cannot_write,
    load_run,
    lock_run_folder,
    merge_run,
    predictions_path,
)
from cameo_bench.evaluation.specs import parse_model_spec
from cameo_bench.evaluation.units import plan_units, unit_size, unit_works
from cameo_bench.evaluation.writer import UnitWriter
from cameo_bench.prompts import PromptTemplate, get_prompt
from cameo_bench.records import Prediction

__all__ = ["ProgressDisplay", "RunResult", "backend_loader", "evaluate", "load_backend",
           "select_clips"]

#: How a caller shows a run's progress: called with (clips to answer, label), it returns a
#: context manager that yields ``advance(n_clips)``. ``cameo evaluate`` passes a progress bar.
ProgressDisplay = Callable[[int, str], AbstractContextManager[Callable[[int], None]]]


@dataclass(frozen=True)
class RunResult:
    """What :func:`evaluate` did. ``predictions`` is the merged file once the run is complete;
    ``notes`` are the backend's one-line remarks (e.g. the fallbacks a baseline took);
    ``controls`` the controls' verdict (as in run.json) when they ran to the end."""

    run_dir: Path
    predictions: Path
    answered: int
    cached: int
    failed: int
    interrupted: bool
    complete: bool
    clips_per_second: float | None
    real_time_factor: float | None
    notes: tuple[str, ...] = ()
    controls: dict[str, Any] | None = None


def backend_loader(model: str, options: Mapping[str, Any] | None = None) -> BackendLoader:
    """How to create the backend a model spec names, with backend ``options`` checked and
    converted against its factory (see :mod:`cameo_bench.backends.factory`) here, before any
    worker starts."""
    spec = parse_model_spec(model)
    factory = BACKENDS[spec.backend]
    kwargs = dict(options or {})
    if spec.revision is not None:
        kwargs["revision"] = spec.revision
    return BackendLoader(factory, spec.model, bind_options(spec.backend, factory, kwargs))


def load_backend(model: str, options: Mapping[str, Any] | None = None) -> Backend:
    """Create the backend a model spec names, with backend ``options`` (see
    :func:`backend_loader`)."""
    return backend_loader(model, options)()


def select_clips(
    data: str | Path, *, corpus: Sequence[str] | None, limit: int | None, seed: int,
) -> tuple[Collection, list[Clip]]:
    """Open the collection at ``data`` and pick the clips of a run (before sharding): the
    corpora asked for, then a seeded sample of ``limit``. Returns (collection, clips)."""
    collection = open_collection(data)
    clips: list[Clip] = collection.clips(corpus=corpus or None)
    if limit is not None:
        clips = collection.sample(clips, limit, seed)
    return collection, clips


def _settings(config: RunConfig, backend: BackendInfo, prompt: PromptTemplate,
              options: Mapping[str, Any]) -> dict[str, Any]:
    """The settings that make answers what they are (a folder's answers must share them), as
    they read back from run.json; ``options`` are the backend's (not the executor's)."""
    return json.loads(json.dumps({
        "backend": parse_model_spec(config.model).backend, "model": backend.model_id,
        "revision": backend.revision, "prompt_id": prompt.id, "prompt_hash": prompt.hash,
        "seed": config.seed, "max_new_tokens": config.max_new_tokens,
        "options": {k: v for k, v in sorted(options.items())
                    if k not in backend.runtime_options},
        "effective_settings": dict(backend.effective_settings),
    }, allow_nan=False))


def _todo(config: RunConfig, clips: Sequence[Clip],
          rows: Sequence[Prediction]) -> dict[GenerationConfig, set[str]]:
    """Per pass (one per temperature), the clips the folder has no answer of yet. A failed row
    counts as answered unless ``retry_failed``; it stays until the merge prefers the new answer
    (see :func:`~cameo_bench.evaluation.run_folder.merge_run`)."""
    done = {(p.file_id, p.temperature) for p in rows if not (config.retry_failed and p.error)}
    ids = {c.record.file_id for c in clips}
    return {config.generation(t): {f for f in ids if (f, t) not in done}
            for t in config.temperatures}


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
    return run_dir / (mf.MANIFEST if shard is None else f"run.{shard.tag}.json")


def _shard_sessions(run_dir: Path) -> list[dict[str, Any]]:
    """Sessions of the shard manifests of ``run_dir``, which are then removed (on merge)."""
    sessions = []
    for path in sorted(run_dir.glob("run.shard-*.json")):
        sessions += (mf.read_manifest(path) or {}).get("sessions", [])
        path.unlink()
    return sessions


def _no_progress(total: int, label: str) -> AbstractContextManager[Callable[[int], None]]:
    return nullcontext(lambda n: None)


def evaluate(config: RunConfig, out: str | Path, *,
             progress: ProgressDisplay | None = None) -> RunResult:
    """Run ``config`` into run folder ``out``; resumable, see the module docstring.

    An unsharded run that finishes leaves the folder's answers as one ``predictions.jsonl`` in
    canonical order; a shard writes ``predictions.shard-I-of-N.jsonl`` and leaves merging to an
    unsharded rerun (which answers nothing new) or :func:`merge_run`. Prints nothing:
    ``progress`` shows progress (not used for a whole-collection backend, which shows its own).
    A folder another process writes raises :class:`~cameo_bench.errors.BusyError`; a folder
    that cannot be written (full disk, read-only, a name too long) a one-line
    :class:`CameoError`, with every row written before kept for the rerun.
    """
    run_dir = Path(out)
    try:
        run_dir.mkdir(parents=True, exist_ok=True)
        with lock_run_folder(run_dir, config.shard):
            return _evaluate(config, run_dir, progress)
    except OSError as exc:
        error = cannot_write(exc, run_dir)
        if error is None:
            raise
        raise error from None


def _evaluate(config: RunConfig, run_dir: Path, progress: ProgressDisplay | None) -> RunResult:
    """:func:`evaluate` in the locked run folder."""
    prompt = get_prompt(config.prompt_id)
    collection, population = select_clips(config.data, corpus=config.corpus,
                                          limit=config.limit, seed=config.seed)
    clips = population if config.shard is None else [
        c for c in population if config.shard.owns(c.record.file_id)]
    data = mf.run_data(config, collection, clips)
    mf.check_collection(run_dir, data)
    if config.controls:  # before any answer: a sample the controls cannot use is refused now
        ctl.donors(ctl.control_sample(clips, config.controls, config.seed), config.seed)
    path = predictions_path(run_dir, config.shard)
    rows = load_run(run_dir, own=path)
    executor_options, options = split_options(config.executor, config.options)
    loader = backend_loader(config.model, options)
    executor = make_executor(config.executor, config.workers, executor_options)
    controls_done = False
    try:
        info = executor.open(loader, prompt, config.batch_size)
        batch_size = batch_size_for(config.batch_size, info)
        settings = _settings(config, info, prompt, options)
        _check_settings(run_dir, settings, rows)
        todo = _todo(config, clips, rows)
        n_todo = sum(len(ids) for ids in todo.values())
        cached = len(clips) * len(config.temperatures) - n_todo

        manifest = mf.RunManifest(_manifest_path(run_dir, config.shard))
        manifest.start(
            settings={**settings, "prompt_text": prompt.text,
                      "family_facts": info.family_facts,
                      "temperatures": sorted(set(manifest.temperatures)
                                             | set(config.temperatures))},
            data=data,
            session={"shard": config.shard.tag if config.shard else None,
                     "batch_size": batch_size, "options": options, "clips_todo": n_todo,
                     "executor": executor.facts(), "controls": config.controls},
        )

        state = LoopState(batch_size=batch_size)
        writer = None
        display = _no_progress if progress is None or info.whole_collection else progress
        try:
            with display(n_todo, info.model_id) as advance, stop_on_interrupt(state):
                state.on_batch = advance
                if info.whole_collection:
                    answer_clips(executor.driver_backend(), collection, todo, clips,
                                 prompt=prompt, path=path, progress=state,
                                 population=population)
                else:
                    writer = UnitWriter(path, clips, config.temperatures, rows)
                    units = plan_units(clips, todo, unit_size(batch_size))
                    for result in executor.answer(unit_works(collection, clips, units), state):
                        writer.append(result)
            if config.controls and not state.stop.is_set():
                with stop_on_interrupt(state):
                    controls_done = ctl.answer_controls(executor.driver_backend(), collection,
                                                        clips, config, prompt, run_dir, state,
                                                        display)
        except KeyboardInterrupt:  # a second Ctrl-C: stopped at once, the rows written stay
            manifest.finish("interrupted", {"clips_answered": state.done,
                                            "clips_failed": state.failed})
            raise
        except OSError as exc:  # e.g. a full disk: say so in run.json if it can still be written
            with suppress(OSError):
                manifest.finish("failed", {"clips_answered": state.done,
                                           "clips_failed": state.failed,
                                           "error": f"{type(exc).__name__}: {exc.strerror}"})
            raise
        notes = executor.notes()
    finally:
        executor.close()

    finished = not (state.stop.is_set() and state.done < n_todo)
    interrupted = not finished or bool(config.controls and not controls_done)
    complete = finished and config.shard is None
    if complete:
        path = writer.finish() if writer is not None else merge_run(run_dir)
    verdict = None
    if complete and controls_done:
        verdict = ctl.verdict(load_run(run_dir), ctl.read_controls(run_dir / ctl.CONTROLS),
                              clips, config)
        manifest.data["controls"] = verdict
    tp = state.throughput
    manifest.finish(
        "interrupted" if interrupted else "complete",
        {"clips_answered": state.done, "clips_failed": state.failed,
         "final_batch_size": state.batch_size,
         "throughput": tp.to_dict()},
        earlier=_shard_sessions(run_dir) if complete else [],
    )
    return RunResult(run_dir, path, state.done, cached, state.failed, interrupted, complete,
                     tp.clips_per_second, tp.real_time_factor, notes, verdict)
