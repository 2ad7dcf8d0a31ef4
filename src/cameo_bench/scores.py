"""Score predictions: the paper's Tables 4-7 with bootstrap CIs, plus chance and majority rows.

For each run (model, temperature, prompt) the scopes are: ``overall`` (group ``all``), each
``language`` and each ``dataset``; each gets accuracy, macro-F1, weighted-F1 and the unparsed
rate, with a 95% percentile interval from resampling that scope's clips. ``emotion`` records
(per-class F1 and unparsed rate among clips of that gold emotion, and ``answer_share``: the
share of all the run's clips answered with that label, its predicted-label distribution) are
views of the overall resamples. A scope's classes are the union of the labels offered to its
clips. Every record carries the clips of its run and their fingerprint
(:mod:`cameo_bench.collection.coverage`), so numbers on different clips are never taken for
comparable ones.

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
from operator import attrgetter

import numpy as np

from cameo_bench.bootstrap import bootstrap_confusions, draw_kinds, percentile_interval, rng_for
from cameo_bench.collection.coverage import Coverage, coverage_of
from cameo_bench.errors import CameoError, UnknownLabelError
from cameo_bench.metrics import CLASS_METRICS, METRICS, Confusion, LabelCodes, support
from cameo_bench.parse import parse_predictions
from cameo_bench.records import UNPARSED, Prediction
from cameo_bench.vocab import EMOTIONS

__all__ = [
    "ScoreRecord", "SCOPES", "CHANCE", "MAJORITY", "REFERENCE_MODELS", "ANSWER_SHARE", "RunKey",
    "Scores", "run_key", "check_predictions", "score_runs", "score_predictions",
    "scope_indices", "run_confusions", "record_coverage",
]

#: Scopes in report order; ``emotion`` is a view of ``overall``.
SCOPES: tuple[str, ...] = ("overall", "language", "dataset", "emotion")
#: The reference rows' names (their ``model`` field; computed here, not published: the paper's
#: reported numbers are :mod:`cameo_bench.paper`).
CHANCE, MAJORITY = "chance", "majority"
REFERENCE_MODELS: tuple[str, ...] = (CHANCE, MAJORITY)
#: The metric of a run's predicted-label distribution (scope ``emotion``, one record per label:
#: the share of the run's clips answered with it; ``n`` = how many). Runs only, no references.
ANSWER_SHARE = "answer_share"

RunKey = tuple[str, float, str]


@dataclass(frozen=True)
class ScoreRecord:
    """One number of a report, tidy: which run, which scope and group, which metric, its value,
    its 95% interval (``None`` without resampling), the clips it counts (``n``), and the clips
    of its whole run with their fingerprint (``clips``, ``fingerprint``; ``None`` only in
    records written before they existed)."""

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
    clips: int | None = None
    fingerprint: str | None = None

    @property
    def run(self) -> tuple[str, float | None, str | None]:
        """(model, temperature, prompt_id)."""
        return (self.model, self.temperature, self.prompt_id)

    @property
    def half_width(self) -> float | None:
        """Half the interval's width (the paper's ``±``), or ``None`` without an interval."""
        if self.ci_low is None or self.ci_high is None:
            return None
        return (self.ci_high - self.ci_low) / 2

    def to_dict(self) -> dict:
        """Plain dict in field order."""
        return asdict(self)


@dataclass(frozen=True)
class Scores:
    """What scoring computed: the ``records`` (runs in order, references last), each run's
    :class:`~cameo_bench.collection.coverage.Coverage` (references: that of all clips) and each
    run's confusion matrix per ``("overall", "all")`` and ``("dataset", name)``."""

    records: list[ScoreRecord]
    coverage: dict[tuple, Coverage]
    confusions: dict[RunKey, dict[tuple[str, str], Confusion]]


def run_key(pred: Prediction) -> RunKey:
    """The run a prediction belongs to: (model, temperature, prompt_id)."""
    return (pred.model, pred.temperature, pred.prompt_id)


_EMOTION, _OFFERED, _PARSED = attrgetter("emotion"), attrgetter("labels"), attrgetter("parsed")
_RUN = attrgetter("model", "temperature", "prompt_id")


def _label_problem(file_id: str, emotion: str, labels: tuple[str, ...],
                   parsed: str | None) -> CameoError | None:
    """What is wrong with a row's labels (see :func:`check_predictions`), or ``None``."""
    for label in (emotion, *labels):
        if label not in EMOTIONS:
            return UnknownLabelError(label, EMOTIONS, f"clip {file_id}")
    if emotion not in labels:
        return CameoError(
            f"clip {file_id}: gold label {emotion!r} is not among the offered labels "
            f"({', '.join(labels)}); fix the emotion or labels of this row")
    if parsed is not None and parsed != UNPARSED and parsed not in labels:
        return CameoError(
            f"clip {file_id}: parsed answer {parsed!r} is not an offered label nor "
            f"{UNPARSED!r}; re-parse the file with `cameo parse`")
    return None


def check_predictions(preds: Iterable[Prediction]) -> None:
    """Raise :class:`CameoError` at the first row with a label outside the CAMEO vocabulary, or
    whose gold label or parsed answer is not one of its offered labels (``unparsed`` allowed),
    naming the file_id and the fix."""
    preds = list(preds)
    # (gold, offered, answer) kinds are few: check each once, then find the first bad row
    kinds = set(zip(map(_EMOTION, preds), map(tuple, map(_OFFERED, preds)), map(_PARSED, preds),
                    strict=True))
    bad = {kind for kind in kinds if _label_problem("", *kind) is not None}
    if bad:
        p = next(p for p in preds if (p.emotion, tuple(p.labels), p.parsed) in bad)
        raise _label_problem(p.file_id, p.emotion, tuple(p.labels), p.parsed)


def _groups(values: list[str]) -> dict[str, np.ndarray]:
    """Row indices (ascending) of each distinct value, values sorted."""
    names = sorted(set(values))
    code = {name: i for i, name in enumerate(names)}
    inverse = np.fromiter(map(code.__getitem__, values), np.int64, len(values))
    order = np.argsort(inverse, kind="stable")
    ends = np.cumsum(np.bincount(inverse, minlength=len(names))).tolist()
    return {name: order[start:end]
            for name, start, end in zip(names, [0, *ends[:-1]], ends, strict=True)}


def scope_indices(preds: Sequence[Prediction]) -> list[tuple[str, str, np.ndarray]]:
    """(scope, group, row indices) for overall, each language and each dataset, sorted."""
    out = [("overall", "all", np.arange(len(preds)))]
    for scope in ("language", "dataset"):
        out += [(scope, g, idx) for g, idx in _groups(list(map(attrgetter(scope), preds))).items()]
    return out


@dataclass(frozen=True)
class _Coded:
    """Rows with their labels coded and their scopes' row indices, computed once per row list."""

    codes: LabelCodes
    scopes: list[tuple[str, str, np.ndarray]]

    @classmethod
    def of(cls, preds: Sequence[Prediction]) -> _Coded:
        return cls(LabelCodes.encode(list(map(_EMOTION, preds)), list(map(_OFFERED, preds))),
                   scope_indices(preds))


def _scope_confusions(
    preds: Sequence[Prediction], scopes: Sequence[str], coded: _Coded | None = None,
) -> dict[tuple[str, str], Confusion]:
    """One run's confusion matrix per (scope, group) of ``scopes``, in :func:`scope_indices`
    order; a scope's classes are the labels offered to its clips."""
    coded = coded or _Coded.of(preds)
    answers = coded.codes.answers(list(map(_PARSED, preds)))
    out = {}
    for scope, group, idx in coded.scopes:
        if scope in scopes:
            counter = coded.codes.scope(idx)
            out[(scope, group)] = Confusion(counter.classes, counter.counts(answers))
    return out


def _by_run(preds: Iterable[Prediction]) -> dict[RunKey, list[Prediction]]:
    """Rows grouped by run, runs sorted (rows keep their order: counts do not depend on it)."""
    preds = list(preds)
    keys = set(map(_RUN, preds))
    if len(keys) == 1:
        return {keys.pop(): preds}
    runs: dict[RunKey, list[Prediction]] = {}
    for key, p in zip(map(_RUN, preds), preds, strict=True):
        runs.setdefault(key, []).append(p)
    return {key: runs[key] for key in sorted(runs)}


def run_confusions(
    preds: Sequence[Prediction], scopes: tuple[str, ...] = ("overall", "dataset"),
) -> dict[RunKey, dict[tuple[str, str], Confusion]]:
    """The confusion matrix of each run (sorted) in each (scope, group) of ``scopes`` (in
    :func:`scope_indices` order); a scope's classes are the labels offered to its clips. Rows
    must be parsed."""
    return {key: _scope_confusions(rows, scopes) for key, rows in _by_run(preds).items()}


def _answer_share(counts: np.ndarray) -> np.ndarray:
    """Per class, the share of all clips answered with it, ``(..., K)``."""
    answered = counts[..., :-1].sum(axis=-2)
    return answered / np.maximum(counts.sum(axis=(-2, -1)), 1)[..., None]


def _records(
    head: tuple, scope: str, group: str, counts: np.ndarray, boot: np.ndarray | None,
    classes: Sequence[str], n: int, coverage: Coverage, *, shares: bool = False,
) -> list[ScoreRecord]:
    """Scope-level records and, for ``overall``, the per-emotion records (with ``shares``, the
    run's answer shares too); all intervals of the scope in one percentile call."""
    keys: list[tuple[str, str, str, int]] = []  # (scope, group, metric, n) of each record
    values: list[np.ndarray] = []
    dists: list[np.ndarray] = []

    def add(scope_: str, groups: Sequence[str], metric: str, function, counted) -> None:
        # rounded: the chance reference counts expected (float) clips, e.g. 2.9999999999
        keys.extend((scope_, g, metric, round(float(c))) for g, c in zip(groups, counted,
                                                                          strict=True))
        values.append(np.atleast_1d(function(counts)))
        if boot is not None:
            dists.append(function(boot).reshape(len(boot), -1))

    for m in METRICS.values():
        add(scope, [group], m.name, m.function, [n])
    if scope == "overall":
        sup = support(counts)
        for m in CLASS_METRICS.values():
            add("emotion", classes, m.name, m.function, sup)
        if shares:
            add("emotion", classes, ANSWER_SHARE, _answer_share, counts[:, :-1].sum(axis=0))
    value = np.concatenate(values).tolist()
    if boot is None:
        lows = highs = [None] * len(keys)
    else:
        low, high = percentile_interval(np.concatenate(dists, axis=1))
        lows, highs = low.tolist(), high.tolist()
    tail = (coverage.clips, coverage.fingerprint)
    out = [ScoreRecord(*head, scope_, group_, metric, v, lo, hi, n_, *tail)
           for (scope_, group_, metric, n_), v, lo, hi in zip(keys, value, lows, highs,
                                                              strict=True)]
    out.sort(key=lambda r: (r.scope != "overall", r.group))  # emotion by emotion
    return out


def _score_run(
    head: RunKey, confusions: dict[tuple[str, str], Confusion], coverage: Coverage,
    n_resamples: int, seed: int,
) -> list[ScoreRecord]:
    out: list[ScoreRecord] = []
    for (scope, group), conf in confusions.items():
        boot = (bootstrap_confusions(conf.counts, n_resamples=n_resamples,
                                     rng=rng_for(seed, scope, group))
                if n_resamples else None)
        out += _records(head, scope, group, conf.counts, boot, conf.classes, conf.n, coverage,
                        shares=True)
    return out


def _score_references(
    clips: _Coded, coverage: Coverage, n_resamples: int, seed: int
) -> list[ScoreRecord]:
    """The references on ``clips`` (each clip once; their order does not matter)."""
    codes = clips.codes
    gold, offered, set_id = codes.gold, codes.offered, codes.label_set
    out: list[ScoreRecord] = []
    for scope, group, idx in clips.scopes:
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
                        len(idx), coverage)
        # majority: the scope's most frequent gold class (argmax: alphabetically first on ties)
        sup = counter.support()
        counts = np.zeros(counter.shape, dtype=np.int64)
        counts[:, int(np.argmax(sup))] = sup
        boot = (bootstrap_confusions(counts, n_resamples=n_resamples,
                                     rng=rng_for(seed, MAJORITY, scope, group))
                if n_resamples else None)
        out += _records((MAJORITY, None, None), scope, group, counts, boot, counter.classes,
                        len(idx), coverage)
    return out


_FILE_ID, _DATASET = attrgetter("file_id"), attrgetter("dataset")


def _first_of(keys: list[str], rows: list[Prediction]) -> dict[str, Prediction]:
    """Each key's first row, keys in order of first appearance."""
    out = dict(zip(keys, rows, strict=True))  # C speed; keeps the last row of a repeated key
    if len(out) != len(keys):
        out = {}
        for key, row in zip(keys, rows, strict=True):
            out.setdefault(key, row)
    return out


def score_runs(preds: list[Prediction], *, n_resamples: int = 1000, seed: int = 0,
               checked: bool = False) -> Scores:
    """Score every run in ``preds`` (rows without ``parsed`` are parsed first) and add the chance
    and majority references on the clips of all runs (see :class:`Scores`); records come in run
    order (sorted by model, temperature, prompt_id), references last. ``n_resamples=0`` gives
    no intervals. ``checked``: the rows passed :func:`check_predictions` already (the parser
    gives only offered labels), so they are not checked again.

    Raises :class:`CameoError` for an empty list or a row whose gold or parsed label is not
    offered.
    """
    if not preds:
        raise CameoError("no predictions to score; give a non-empty predictions file")
    preds = parse_predictions(preds)
    if not checked:
        check_predictions(preds)
    records: list[ScoreRecord] = []
    coverage: dict[tuple, Coverage] = {}
    confusions: dict[RunKey, dict[tuple[str, str], Confusion]] = {}
    clips: dict[str, Prediction] = {}  # each clip once: its row in the first run
    coded: dict[RunKey, _Coded] = {}
    for key, rows in _by_run(preds).items():
        file_ids = list(map(_FILE_ID, rows))
        if clips:
            for file_id, p in zip(file_ids, rows, strict=True):
                clips.setdefault(file_id, p)
        else:
            clips = _first_of(file_ids, rows)
        coverage[key] = coverage_of(zip(file_ids, map(_DATASET, rows), strict=True))
        coded[key] = _Coded.of(rows)
        scoped = _scope_confusions(rows, SCOPES, coded[key])
        records += _score_run(key, scoped, coverage[key], n_resamples, seed)
        confusions[key] = {k: c for k, c in scoped.items() if k[0] in ("overall", "dataset")}
    # a run that holds every clip stands for them (its rows are the clips, once each)
    whole = next((k for k, c in coverage.items()
                  if c.clips == len(clips) == len(coded[k].codes.gold)), None)
    everything = coverage[whole] if whole else coverage_of(
        (p.file_id, p.dataset) for p in clips.values())
    coverage.update({(ref, None, None): everything for ref in REFERENCE_MODELS})
    references = coded[whole] if whole else _Coded.of([clips[f] for f in sorted(clips)])
    records += _score_references(references, everything, n_resamples, seed)
    return Scores(records, coverage, confusions)


def score_predictions(
    preds: list[Prediction], *, n_resamples: int = 1000, seed: int = 0
) -> list[ScoreRecord]:
    """The records of :func:`score_runs` (same arguments, same errors)."""
    return score_runs(preds, n_resamples=n_resamples, seed=seed).records


def record_coverage(records: Iterable[ScoreRecord]) -> dict[tuple, Coverage | None]:
    """Each run's (and reference's) coverage as its records state it: ``clips`` and
    ``fingerprint``, clips per dataset from its ``dataset`` records; ``None`` for records written
    before they carried a coverage."""
    heads: dict[tuple, tuple[int | None, str | None]] = {}
    per_dataset: dict[tuple, dict[str, int]] = {}
    for r in records:
        heads.setdefault(r.run, (r.clips, r.fingerprint))
        if r.scope == "dataset":
            per_dataset.setdefault(r.run, {})[r.group] = r.n
    return {run: None if clips is None or fingerprint is None
            else Coverage(clips, fingerprint, per_dataset.get(run, {}))
            for run, (clips, fingerprint) in heads.items()}
