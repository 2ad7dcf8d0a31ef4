"""Score predictions: the paper's Tables 4-7 with bootstrap CIs, plus chance and majority rows.

For each run (model, temperature, prompt) the scopes are: ``overall`` (group ``all``), each
``language`` and each ``dataset``; each gets accuracy, macro-F1, weighted-F1 and the unparsed
rate, with a 95% percentile interval from resampling that scope's clips. ``emotion`` records
(per-class F1 and unparsed rate among clips of that gold emotion) are views of the overall
resamples. A scope's classes are the union of the labels offered to its clips.

References, computed on the clips of all runs together (each ``file_id`` once):

- ``chance``: each clip answered uniformly at random among ITS offered labels. Metrics are those
  of the expected confusion matrix (row = gold, that clip's offered labels get ``1/|labels|``
  each): accuracy is then the exact expected accuracy, F1s are the F1 of expected counts.
  Intervals resample clips, i.e. (gold, offered set) kinds.
- ``majority``: every clip of a scope answered with the scope's most frequent gold class
  (ties: alphabetically first); per-emotion F1 uses the overall majority class.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from itertools import groupby

import numpy as np

from cameo_bench.bootstrap import bootstrap_confusions, draw_kinds, percentile_interval, rng_for
from cameo_bench.errors import CameoError, UnknownLabelError
from cameo_bench.metrics import CLASS_METRICS, METRICS, Confusion, LabelCodes, support
from cameo_bench.parse import parse_predictions
from cameo_bench.records import UNPARSED, Prediction
from cameo_bench.vocab import EMOTIONS

__all__ = [
    "ScoreRecord", "SCOPES", "CHANCE", "MAJORITY", "REFERENCE_MODELS", "RunKey", "run_key",
    "check_predictions", "score_predictions", "scope_indices", "run_confusions",
]

#: Scopes in report order; ``emotion`` is a view of ``overall``.
SCOPES: tuple[str, ...] = ("overall", "language", "dataset", "emotion")
#: The reference rows' names (their ``model`` field; computed here, not published: the paper's
#: reported numbers are :mod:`cameo_bench.paper`).
CHANCE, MAJORITY = "chance", "majority"
REFERENCE_MODELS: tuple[str, ...] = (CHANCE, MAJORITY)

RunKey = tuple[str, float, str]


@dataclass(frozen=True)
class ScoreRecord:
    """One number of a report, tidy: which run, which scope and group, which metric, its value,
    its 95% interval (``None`` without resampling) and the clips it counts."""

    model: str
    temperature: float | None
    prompt_id: str | None
    scope: str
    group: str
    metric: str
    value: float
    ci_low: float | None
    ci_high: float | None
    n: int

    @property
    def half_width(self) -> float | None:
        """Half the interval's width (the paper's ``±``), or ``None`` without an interval."""
        if self.ci_low is None or self.ci_high is None:
            return None
        return (self.ci_high - self.ci_low) / 2

    def to_dict(self) -> dict:
        """Plain dict in field order."""
        return asdict(self)


def run_key(pred: Prediction) -> RunKey:
    """The run a prediction belongs to: (model, temperature, prompt_id)."""
    return (pred.model, pred.temperature, pred.prompt_id)


def check_predictions(preds: Iterable[Prediction]) -> None:
    """Raise :class:`CameoError` at the first row with a label outside the CAMEO vocabulary, or
    whose gold label or parsed answer is not one of its offered labels (``unparsed`` allowed),
    naming the file_id and the fix."""
    for p in preds:
        for label in (p.emotion, *p.labels):
            if label not in EMOTIONS:
                raise UnknownLabelError(label, EMOTIONS, f"clip {p.file_id}")
        if p.emotion not in p.labels:
            raise CameoError(
                f"clip {p.file_id}: gold label {p.emotion!r} is not among the offered labels "
                f"({', '.join(p.labels)}); fix the emotion or labels of this row")
        if p.parsed is not None and p.parsed != UNPARSED and p.parsed not in p.labels:
            raise CameoError(
                f"clip {p.file_id}: parsed answer {p.parsed!r} is not an offered label nor "
                f"{UNPARSED!r}; re-parse the file with `cameo parse`")


def scope_indices(preds: Sequence[Prediction]) -> list[tuple[str, str, np.ndarray]]:
    """(scope, group, row indices) for overall, each language and each dataset, sorted."""
    out = [("overall", "all", np.arange(len(preds)))]
    for scope, attr in (("language", "language"), ("dataset", "dataset")):
        values = np.array([getattr(p, attr) for p in preds], dtype=object)
        for group in sorted(set(values)):
            out.append((scope, group, np.flatnonzero(values == group)))
    return out


def _label_codes(preds: Sequence[Prediction]) -> LabelCodes:
    return LabelCodes.encode([p.emotion for p in preds], [p.labels for p in preds])


def _scope_confusions(
    preds: Sequence[Prediction], scopes: Sequence[str],
) -> dict[tuple[str, str], Confusion]:
    """One run's confusion matrix per (scope, group) of ``scopes``, in :func:`scope_indices`
    order; a scope's classes are the labels offered to its clips."""
    codes = _label_codes(preds)
    answers = codes.answers([p.parsed for p in preds])
    out = {}
    for scope, group, idx in scope_indices(preds):
        if scope in scopes:
            counter = codes.scope(idx)
            out[(scope, group)] = Confusion(counter.classes, counter.counts(answers))
    return out


def run_confusions(
    preds: Sequence[Prediction], scopes: tuple[str, ...] = ("overall", "dataset"),
) -> dict[RunKey, dict[tuple[str, str], Confusion]]:
    """The confusion matrix of each run (sorted) in each (scope, group) of ``scopes`` (in
    :func:`scope_indices` order); a scope's classes are the labels offered to its clips. Rows
    must be parsed."""
    ordered = sorted(preds, key=lambda p: (run_key(p), p.file_id))
    return {key: _scope_confusions(list(rows), scopes)
            for key, rows in groupby(ordered, key=run_key)}


def _records(
    head: tuple, scope: str, group: str, counts: np.ndarray, boot: np.ndarray | None,
    classes: Sequence[str], n: int,
) -> list[ScoreRecord]:
    """Scope-level records and, for ``overall``, the per-emotion records."""
    def rec(scope_: str, group_: str, metric: str, value, dist, n_) -> ScoreRecord:
        lo, hi = (None, None) if dist is None else map(float, percentile_interval(dist))
        return ScoreRecord(*head, scope_, group_, metric, float(value), lo, hi, int(n_))

    out = [rec(scope, group, m.name, m.function(counts),
               None if boot is None else m.function(boot), n) for m in METRICS.values()]
    if scope == "overall":
        sup = support(counts)
        for m in CLASS_METRICS.values():
            values, dist = m.function(counts), None if boot is None else m.function(boot)
            out += [rec("emotion", emotion, m.name, values[i],
                        None if dist is None else dist[:, i], sup[i])
                    for i, emotion in enumerate(classes)]
        out.sort(key=lambda r: (r.scope != "overall", r.group))  # emotion by emotion
    return out


def _score_run(
    head: RunKey, preds: list[Prediction], n_resamples: int, seed: int
) -> list[ScoreRecord]:
    out: list[ScoreRecord] = []
    for (scope, group), conf in _scope_confusions(preds, SCOPES).items():
        boot = (bootstrap_confusions(conf.counts, n_resamples=n_resamples,
                                     rng=rng_for(seed, scope, group))
                if n_resamples else None)
        out += _records(head, scope, group, conf.counts, boot, conf.classes, conf.n)
    return out


def _score_references(
    clips: list[Prediction], n_resamples: int, seed: int
) -> list[ScoreRecord]:
    codes = _label_codes(clips)
    gold, offered, set_id = codes.gold, codes.offered, codes.label_set
    out: list[ScoreRecord] = []
    for scope, group, idx in scope_indices(clips):
        counter = codes.scope(idx)
        cls, k_s = counter.class_codes, len(counter.classes)
        # chance: kinds of clip are (gold, offered set); each adds 1/|set| to its offered columns
        _, first, kind_counts = np.unique(gold[idx] * (set_id.max() + 1) + set_id[idx],
                                          return_index=True, return_counts=True)
        rows = np.zeros((len(first), k_s, k_s + 1))
        for j, i in enumerate(first):
            clip = idx[i]
            rows[j, counter.rows[i], :-1] = offered[clip][cls] / offered[clip].sum()
        chance = np.tensordot(kind_counts, rows, axes=1)
        boot = None
        if n_resamples:
            draws = draw_kinds(kind_counts, n_resamples, rng_for(seed, CHANCE, scope, group))
            boot = np.tensordot(draws, rows, axes=1)
        out += _records((CHANCE, None, None), scope, group, chance, boot, counter.classes,
                        len(idx))
        # majority: the scope's most frequent gold class (argmax: alphabetically first on ties)
        sup = counter.support()
        counts = np.zeros(counter.shape, dtype=np.int64)
        counts[:, int(np.argmax(sup))] = sup
        boot = (bootstrap_confusions(counts, n_resamples=n_resamples,
                                     rng=rng_for(seed, MAJORITY, scope, group))
                if n_resamples else None)
        out += _records((MAJORITY, None, None), scope, group, counts, boot, counter.classes,
                        len(idx))
    return out


def score_predictions(
    preds: list[Prediction], *, n_resamples: int = 1000, seed: int = 0
) -> list[ScoreRecord]:
    """Score every run in ``preds`` (rows without ``parsed`` are parsed first) and add the chance
    and majority references on the clips of all runs; records come in run order (sorted by
    model, temperature, prompt_id), references last. ``n_resamples=0`` gives no intervals.

    Raises :class:`CameoError` for an empty list or a row whose gold or parsed label is not
    offered.
    """
    if not preds:
        raise CameoError("no predictions to score; give a non-empty predictions file")
    preds = parse_predictions(preds)
    check_predictions(preds)
    ordered = sorted(preds, key=lambda p: (run_key(p), p.file_id))
    out: list[ScoreRecord] = []
    for key, rows in groupby(ordered, key=run_key):
        out += _score_run(key, list(rows), n_resamples, seed)
    clips = list({p.file_id: p for p in reversed(ordered)}.values())
    clips.sort(key=lambda p: p.file_id)
    return out + _score_references(clips, n_resamples, seed)
