"""Does the model hear the audio? Control conditions for a run (``cameo evaluate --controls``).

A seeded, corpus-stratified sample of the run's clips is answered twice more, with the clip's
own prompt and decoding but other audio:

- ``silence``: zeros of the clip's length;
- ``shuffled``: the audio of another sampled clip of the same corpus (a seeded random cyclic
  permutation within each corpus, so no clip keeps its own; corpora with one sampled clip
  swap among themselves).

A control request is an honest request: its ``file_id`` is the content hash of the audio it
carries (the silence's hash, the donor's id), so nothing keyed by ``file_id`` (a feature cache,
a per-clip seed) can answer it with the real clip's result. The rest of the record (corpus,
speaker, gold label) stays the clip's. A whole-collection backend (a cross-validated baseline)
answers each condition in one more call over all the run's clips with the sampled clips' audio
substituted: the same folds, so a substituted clip is also a training clip of the other folds
(negligible on a full collection; on a collection no bigger than the sample the shuffled call
is the label-permutation test of a cross-validated classifier).

The rows go to ``controls.jsonl`` (never to the predictions files): a predictions row of the
clip (its file_id, gold, offered labels) plus ``condition`` and ``audio_id``. The verdict
(:func:`verdict`) compares them with the run's real answers; see its docstring for the test.
"""

from __future__ import annotations

import json
import math
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from cameo_bench.audio import pcm_file_id
from cameo_bench.backends.base import Backend, GenerationConfig, Request
from cameo_bench.collection.reader import Clip, Collection
from cameo_bench.errors import CameoError, InputError
from cameo_bench.evaluation.config import CONTROL_SAMPLE, RunConfig
from cameo_bench.evaluation.loop import (
    LoopState,
    generate_halving,
    requests_by_duration,
    to_predictions,
)
from cameo_bench.evaluation.run_folder import load_rows
from cameo_bench.fileio import append_synced
from cameo_bench.predictions import row_error
from cameo_bench.prompts import PromptTemplate
from cameo_bench.records import Prediction

__all__ = [
    "ALPHA", "CONDITIONS", "CONTROLS", "ControlRow", "answer_controls",
    "control_sample", "donors", "read_controls", "sign_test", "verdict",
]

#: The file of the control rows, in the run folder.
CONTROLS = "controls.jsonl"
#: The control conditions, in the order they are answered.
CONDITIONS = ("silence", "shuffled")
#: Significance level of the test: below it, the answers depend on the audio.
ALPHA = 0.01
_METHOD = ("paired permutation test (sign flips) of accuracy with the clip's own audio vs "
           "another clip's, one-sided; exact: p = P(Binomial(discordant, 1/2) >= real_only)")


@dataclass(frozen=True)
class ControlRow:
    """One control answer: the clip's predictions row, answered under ``condition`` with the
    audio whose file_id is ``audio_id``."""

    condition: str
    audio_id: str
    prediction: Prediction

    @property
    def key(self) -> tuple[str, str, float]:
        """(file_id, condition, temperature): one answer per key."""
        return (self.prediction.file_id, self.condition, self.prediction.temperature)

    def line(self) -> str:
        """The JSON line of ``controls.jsonl``."""
        obj = {"condition": self.condition, "audio_id": self.audio_id,
               **self.prediction.to_dict()}
        return json.dumps(obj, ensure_ascii=False, allow_nan=False) + "\n"


def _parse(path: Path, n: int, text: str) -> ControlRow | None:
    if not text.strip():
        return None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"not valid JSON ({exc.msg})", line=n) from None
    if not isinstance(obj, dict) or obj.get("condition") not in CONDITIONS \
            or not isinstance(obj.get("audio_id"), str):
        raise InputError(path, f"not a control row (condition one of {', '.join(CONDITIONS)} "
                               "and audio_id)", line=n)
    condition, audio_id = obj.pop("condition"), obj.pop("audio_id")
    if (error := row_error(obj)) is not None:
        raise InputError(path, error, line=n)
    pred = Prediction.from_dict(obj)
    pred.temperature = float(pred.temperature)
    return ControlRow(condition, audio_id, pred)


def read_controls(path: Path) -> list[ControlRow]:
    """The rows of ``controls.jsonl`` (none when it does not exist); a torn last line left by
    a kill is dropped and the file repaired, a malformed line raises :class:`InputError`."""
    return load_rows(path, parse=_parse) if path.is_file() else []


def _by_corpus(clips: Sequence[Clip]) -> dict[str, list[Clip]]:
    groups: dict[str, list[Clip]] = defaultdict(list)
    for c in sorted(clips, key=lambda c: (c.record.dataset, c.record.file_id)):
        groups[c.record.dataset].append(c)
    return dict(sorted(groups.items()))


def control_sample(clips: Sequence[Clip], n: int, seed: int) -> list[Clip]:
    """``n`` of ``clips`` (all if fewer), allocated to corpora in proportion to their clips
    (largest remainders, ties by corpus name) and drawn within each with ``seed``; ordered by
    (corpus, file_id). The same clips and seed give the same sample in any order."""
    groups = _by_corpus(clips)
    total = sum(len(g) for g in groups.values())
    if n >= total:
        return [c for g in groups.values() for c in g]
    exact = {name: n * len(g) / total for name, g in groups.items()}
    quota = {name: math.floor(q) for name, q in exact.items()}
    by_remainder = sorted(groups, key=lambda name: (-(exact[name] - quota[name]), name))
    for name in by_remainder[: n - sum(quota.values())]:
        quota[name] += 1
    out = []
    for name, group in groups.items():
        picked = random.Random(f"{seed}:controls:{name}").sample(range(len(group)), quota[name])
        out += [group[i] for i in sorted(picked)]
    return out


def _cycle(members: list[Clip], rng: random.Random) -> dict[str, Clip]:
    """A uniformly random cyclic permutation (Sattolo): no member is its own donor."""
    order = list(members)
    for i in range(len(order) - 1, 0, -1):
        j = rng.randrange(i)
        order[i], order[j] = order[j], order[i]
    return {order[i].record.file_id: order[(i + 1) % len(order)] for i in range(len(order))}


def donors(sample: Sequence[Clip], seed: int) -> dict[str, Clip]:
    """file_id → the clip whose audio it gets in the ``shuffled`` condition: a seeded random
    cyclic permutation within each corpus; corpora with a single sampled clip form one group
    (joined to the largest corpus when they are only one). Needs two clips or more."""
    if len(sample) < 2:
        raise CameoError("the controls need at least 2 clips (a clip cannot get its own audio)")
    groups = _by_corpus(sample)
    singles = [g[0] for g in groups.values() if len(g) == 1]
    cycles = {name: g for name, g in groups.items() if len(g) > 1}
    if len(singles) == 1:
        largest = max(cycles, key=lambda name: (len(cycles[name]), name))
        cycles[largest] = cycles[largest] + singles
    elif singles:
        cycles["(single clips)"] = singles
    out: dict[str, Clip] = {}
    for name, members in sorted(cycles.items()):
        out.update(_cycle(members, random.Random(f"{seed}:donors:{name}")))
    return out


def _substitutes(sample: Sequence[Request], donor: dict[str, Clip], condition: str
                 ) -> dict[str, Request]:
    """file_id → the control request of that sampled clip under ``condition``."""
    audio = {r.record.file_id: r.audio for r in sample}
    out = {}
    for r in sample:
        if condition == "silence":
            x = np.zeros_like(r.audio)
            audio_id = pcm_file_id(np.zeros(len(x), "<i2"))
        else:
            audio_id = donor[r.record.file_id].record.file_id
            x = audio[audio_id]
        out[r.record.file_id] = Request(replace(r.record, file_id=audio_id), x, r.prompt,
                                        r.labels)
    return out


def _rows(real: Sequence[Request], answers: Sequence[str], controls: dict[str, Request],
          condition: str, backend: Backend, config: GenerationConfig,
          prompt: PromptTemplate) -> list[ControlRow]:
    preds = to_predictions(real, answers, backend, config, prompt)
    return [ControlRow(condition, controls[p.file_id].record.file_id, p) for p in preds]


def _append(path: Path, rows: Sequence[ControlRow]) -> None:
    append_synced(path, "".join(row.line() for row in rows))


def answer_controls(backend: Backend, collection: Collection, clips: Sequence[Clip],
                    config: RunConfig, prompt: PromptTemplate, run_dir: Path,
                    state: LoopState, display: Callable) -> bool:
    """Answer the control sample of ``config.controls`` of the run's ``clips`` at every
    temperature under each condition, appending rows (flush + fsync per batch) to
    ``controls.jsonl`` in ``run_dir``; rows already there are kept (failed ones answered
    again with ``config.retry_failed``). ``display(total, label)`` shows progress as in the
    runner. Stops after the current batch when ``state.stop`` is set; returns whether every
    control row is there."""
    path = run_dir / CONTROLS
    have = {r.key for r in read_controls(path)
            if not (config.retry_failed and r.prediction.error)}
    sample = control_sample(clips, config.controls or CONTROL_SAMPLE, config.seed)
    donor = donors(sample, config.seed)
    todo = {(config.generation(t), condition):
            {c.record.file_id for c in sample if (c.record.file_id, condition, t) not in have}
            for t in config.temperatures for condition in CONDITIONS}
    n_todo = sum(len(ids) for ids in todo.values())
    if not n_todo:
        return True
    [requests] = requests_by_duration(collection, sample, prompt, len(sample))
    subs = {condition: _substitutes(requests, donor, condition) for condition in CONDITIONS}
    whole = next(requests_by_duration(collection, clips, prompt, len(clips))) \
        if backend.whole_collection else []
    with display(n_todo, f"controls {backend.model_id}") as advance:
        for (generation, condition), ids in todo.items():
            pending = [r for r in requests if r.record.file_id in ids]
            if whole and pending:  # one call over all clips, the sample's audio substituted
                answers = generate_halving(
                    backend, [subs[condition].get(r.record.file_id, r) for r in whole],
                    generation, state)
                answer_of = dict(zip([r.record.file_id for r in whole], answers, strict=True))
                _append(path, _rows(pending, [answer_of[r.record.file_id] for r in pending],
                                    subs[condition], condition, backend, generation, prompt))
                advance(len(pending))
                pending = []
            while pending:
                batch, pending = pending[:state.batch_size], pending[state.batch_size:]
                answers = generate_halving(
                    backend, [subs[condition][r.record.file_id] for r in batch], generation,
                    state)
                _append(path, _rows(batch, answers, subs[condition], condition, backend,
                                    generation, prompt))
                advance(len(batch))
                if state.stop.is_set():
                    return False
            if state.stop.is_set():
                return False
    return True


def sign_test(real_only: int, discordant: int) -> float:
    """One-sided exact p-value of the paired sign-flip test: P(Binomial(discordant, 1/2) >=
    real_only); 1.0 when no pair is discordant."""
    tail = sum(math.comb(discordant, i) for i in range(real_only, discordant + 1))
    return tail / 2 ** discordant


def _answers(rows: Sequence[Prediction]) -> dict[str, int]:
    return dict(sorted(Counter(str(p.parsed) for p in rows).items()))


def _share(hits: int, n: int) -> float | None:
    return round(hits / n, 6) if n else None


def _one_temperature(t: float, real: dict[str, Prediction],
                     control: dict[tuple[str, str], Prediction], ids: Sequence[str]
                     ) -> dict[str, Any]:
    usable = [f for f in ids if real.get(f) is not None and real[f].error is None
              and all(control.get((f, c)) is not None and control[(f, c)].error is None
                      for c in CONDITIONS)]
    rows = {"real": [real[f] for f in usable],
            **{c: [control[(f, c)] for f in usable] for c in CONDITIONS}}
    correct = {k: [p.parsed == p.emotion for p in v] for k, v in rows.items()}
    pairs = Counter(zip(correct["real"], correct["shuffled"], strict=True))
    real_only, discordant = pairs[True, False], pairs[True, False] + pairs[False, True]
    p = sign_test(real_only, discordant)
    n = len(usable)
    return {
        "temperature": t, "clips": n, "left_out": len(ids) - n,
        "accuracy": {k: _share(sum(v), n) for k, v in correct.items()},
        "agreement_with_real": {c: _share(sum(a.parsed == b.parsed for a, b in
                                              zip(rows["real"], rows[c], strict=True)), n)
                                for c in CONDITIONS},
        "answers": {k: _answers(v) for k, v in rows.items()},
        "test": {"real_only_correct": real_only, "discordant": discordant, "p_value": p},
        "hears_audio": n > 0 and p < ALPHA,
    }


def _warning(runs: Sequence[dict[str, Any]]) -> str | None:
    deaf = [r for r in runs if not r["hears_audio"]]
    if not deaf:
        return None
    r = deaf[0]
    acc, agree = r["accuracy"], r["agreement_with_real"]
    if not r["clips"]:
        return f"T={r['temperature']}: no clip answered in all three conditions"
    return (f"the answers do not depend on the audio (T={r['temperature']}): accuracy "
            f"{acc['real']:.3f} with each clip's own audio vs {acc['shuffled']:.3f} with "
            f"another clip's (p = {r['test']['p_value']:.3g}, {r['clips']} clips); "
            f"{agree['silence']:.0%} of the answers stay the same with silence")


def verdict(real: Sequence[Prediction], rows: Sequence[ControlRow], clips: Sequence[Clip],
            config: RunConfig) -> dict[str, Any]:
    """The controls' figures and verdict for run.json, per temperature of ``config``.

    For the sampled clips answered in all three conditions: accuracy (parsed answer = gold)
    and answer counts under each, the share of answers unchanged by silence and by shuffled
    audio, and the test. H0: the answers do not depend on the audio, so for each clip the
    real and the shuffled answer are exchangeable; the statistic is the accuracy difference,
    and its permutation distribution (swapping the two answers of any clip) is that of
    Binomial(d, 1/2) for the d clips where exactly one of the two answers is correct, so the
    p-value is exact (:func:`sign_test`). ``hears_audio`` is p < :data:`ALPHA` at every
    temperature; when false, ``warning`` says why in one line.
    """
    sample = control_sample(clips, config.controls or CONTROL_SAMPLE, config.seed)
    ids = [c.record.file_id for c in sample]
    runs = []
    for t in config.temperatures:
        real_t: dict[str, Prediction] = {}
        for p in real:
            if p.temperature == t and (p.file_id not in real_t or real_t[p.file_id].error):
                real_t[p.file_id] = p
        control: dict[tuple[str, str], Prediction] = {}
        for r in rows:
            key = (r.prediction.file_id, r.condition)
            if r.prediction.temperature == t and (key not in control or control[key].error):
                control[key] = r.prediction
        runs.append(_one_temperature(t, real_t, control, ids))
    return {"file": CONTROLS, "sample": len(sample), "seed": config.seed,
            "conditions": list(CONDITIONS), "method": _METHOD, "alpha": ALPHA,
            "hears_audio": all(r["hears_audio"] for r in runs),
            "warning": _warning(runs), "runs": runs}
