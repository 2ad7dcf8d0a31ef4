"""Paired bootstrap test between two runs on the same clips (SPEC §4): is A better than B?

Each resample draws the scope's clips with replacement once and scores both runs on the same
draw, so the difference keeps the pairing. It is vectorized like :mod:`cameo_bench.bootstrap`:
the kinds of clip are the (cell of A, cell of B) pairs present, drawn by one multinomial.

The difference is ``A - B``; its interval is the 95% percentile interval; the two-sided p-value
is that of the null-centred bootstrap, ``(1 + #{|d* - d| >= |d|}) / (B + 1)``, the share of
resampled differences at least as far from the observed one as the observed one is from 0.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from cameo_bench.bootstrap import draw_kinds, percentile_interval, rng_for, sum_by_cell
from cameo_bench.errors import CameoError
from cameo_bench.metrics import CLASS_METRICS, HEADLINE_METRICS, METRICS, LabelCodes
from cameo_bench.parse import parse_predictions
from cameo_bench.records import Prediction
from cameo_bench.scores import check_predictions, run_key, scope_indices

__all__ = ["Comparison", "COMPARED_METRICS", "select_run", "compare_runs"]

#: The scope-level metrics compared (those where higher is better), in report order.
COMPARED_METRICS: tuple[str, ...] = tuple(
    name for name in HEADLINE_METRICS if METRICS[name].higher_is_better)


@dataclass(frozen=True)
class Comparison:
    """A paired comparison of one metric in one scope: A's and B's values, ``diff = a - b``,
    its 95% interval, the two-sided p-value and the clips compared."""

    scope: str
    group: str
    metric: str
    a: float
    b: float
    diff: float
    ci_low: float
    ci_high: float
    p_value: float
    n: int

    def verdict(self, alpha: float = 0.05) -> str:
        """``"A"`` or ``"B"`` (the significantly better run at level ``alpha``) or ``"tie"``."""
        if self.p_value >= alpha or self.diff == 0:
            return "tie"
        return "A" if self.diff > 0 else "B"

    def verdict_text(self, alpha: float = 0.05) -> str:
        """``A better``, ``B better`` or ``not significant`` (a test that does not reject says
        nothing about the runs being equal, so never "no difference")."""
        who = self.verdict(alpha)
        return "not significant" if who == "tie" else f"{who} better"

    def to_dict(self) -> dict:
        """Plain dict in field order."""
        return asdict(self)


def select_run(preds: list[Prediction], side: str, *, model: str | None = None,
               temperature: float | None = None) -> list[Prediction]:
    """The rows of the one run in ``preds`` of ``model`` at ``temperature`` (``None``: any).

    Raises :class:`CameoError` naming ``side`` (``A`` or ``B``) and the runs there when none
    matches, or when several do: then saying which option picks one
    (``--a-temperature`` / ``--a-model`` for side A).
    """
    from cameo_bench.presentation import run_label

    runs = sorted({run_key(p) for p in preds})
    picked = [r for r in runs if (model is None or r[0] == model)
              and (temperature is None or r[1] == temperature)]
    listed = ", ".join(run_label(*r, with_prompt=True) for r in runs)
    flag = f"--{side.lower()}"
    if not picked:
        wanted = " at ".join(x for x in (model, None if temperature is None
                                         else f"T={temperature:g}") if x)
        raise CameoError(f"{side}: no run of {wanted}; it holds {listed}")
    if len(picked) > 1:
        options = [f"{flag}-temperature" if len({r[1] for r in picked}) > 1 else "",
                   f"{flag}-model" if len({r[0] for r in picked}) > 1 else ""]
        how = " and ".join(o for o in options if o)
        listed = ", ".join(run_label(*r, with_prompt=True) for r in picked)
        raise CameoError(f"{side} holds {len(picked)} runs ({listed}); " + (
            f"pick one with {how}" if how else "they differ in prompt only: give one file "
            "per prompt"))
    return [p for p in preds if run_key(p) == picked[0]]


def _one_run(preds: list[Prediction], name: str) -> list[Prediction]:
    runs = sorted({run_key(p) for p in preds})
    if len(runs) != 1:
        raise CameoError(f"{name} holds {len(runs)} runs {runs}; compare takes one run "
                         "(model, temperature, prompt) per side")
    return sorted(parse_predictions(preds), key=lambda p: p.file_id)


def _check_same_clips(a: list[Prediction], b: list[Prediction]) -> None:
    ids_a, ids_b = {p.file_id for p in a}, {p.file_id for p in b}
    if len(ids_a) != len(a) or len(ids_b) != len(b):
        raise CameoError("a run lists a clip twice; keep one row per file_id")
    if ids_a != ids_b:
        only_a, only_b = sorted(ids_a - ids_b), sorted(ids_b - ids_a)
        example = (only_a or only_b)[0]
        raise CameoError(
            f"the runs cover different clips ({len(only_a)} only in A, {len(only_b)} only in B, "
            f"e.g. {example}); compare runs on the same clips")
    for pa, pb in zip(a, b, strict=True):
        if pa.emotion != pb.emotion:
            raise CameoError(f"clip {pa.file_id}: gold label differs between the runs "
                             f"({pa.emotion!r} vs {pb.emotion!r}); compare runs of one collection")


def compare_runs(
    a: list[Prediction], b: list[Prediction], *, n_resamples: int = 1000, seed: int = 0
) -> list[Comparison]:
    """Paired comparison of run ``a`` against run ``b`` per scope (overall, each language, each
    dataset: macro-F1, weighted-F1, accuracy; each emotion: F1 over the full set).

    Raises :class:`CameoError` if a side holds not exactly one run, the clip sets differ, gold
    labels differ, or a row fails :func:`cameo_bench.scores.check_predictions`.
    """
    if n_resamples < 1:
        raise CameoError("a paired test needs at least one resample")
    a, b = _one_run(a, "A"), _one_run(b, "B")
    check_predictions(a)
    check_predictions(b)
    _check_same_clips(a, b)
    codes = LabelCodes.encode([p.emotion for p in a],
                              [(*pa.labels, *pb.labels) for pa, pb in zip(a, b, strict=True)])
    answers = {"a": codes.answers([p.parsed for p in a]),
               "b": codes.answers([p.parsed for p in b])}
    out: list[Comparison] = []
    for scope, group, idx in scope_indices(a):
        counter = codes.scope(idx)
        shape = counter.shape
        m = shape[0] * shape[1]
        cell_a, cell_b = counter.cells(answers["a"]), counter.cells(answers["b"])
        kinds, counts = np.unique(cell_a * m + cell_b, return_counts=True)
        draws = draw_kinds(counts, n_resamples, rng_for(seed, "paired", scope, group))
        conf = {side: counter.counts(answers[side]) for side in ("a", "b")}
        boot = {"a": sum_by_cell(draws, kinds // m, m).reshape(-1, *shape),
                "b": sum_by_cell(draws, kinds % m, m).reshape(-1, *shape)}
        views = [(scope, group, name, METRICS[name].function, None, len(idx))
                 for name in COMPARED_METRICS]
        if scope == "overall":
            sup = counter.support()
            views += [("emotion", c, "f1", CLASS_METRICS["f1"].function, j, int(sup[j]))
                      for j, c in enumerate(counter.classes)]
        for scope_, group_, name, fn, col, n in views:
            va, vb, da, db = fn(conf["a"]), fn(conf["b"]), fn(boot["a"]), fn(boot["b"])
            if col is not None:
                va, vb, da, db = va[col], vb[col], da[:, col], db[:, col]
            diff, dist = float(va - vb), da - db
            lo, hi = percentile_interval(dist)
            p = (1 + np.count_nonzero(np.abs(dist - diff) >= abs(diff) - 1e-12)) / (
                n_resamples + 1)
            out.append(Comparison(scope_, group_, name, float(va), float(vb), diff, float(lo),
                                  float(hi), min(1.0, float(p)), n))
    return out
