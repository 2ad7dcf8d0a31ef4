"""Figures of a scored run (matplotlib, Agg, no pyplot state): confusion matrices, per-group
bars with 95% CI whiskers and the chance level drawn in. Computing lives in ``scores``; these
functions only draw what they are given and return PNG bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np

from cameo_bench.errors import MissingDependencyError
from cameo_bench.records import UNPARSED

__all__ = ["confusion_png", "group_bars_png"]

_DPI = 100


def _figure(width: float, height: float):
    try:
        from matplotlib.figure import Figure  # lazy: matplotlib is the baseline extra
    except ImportError as exc:
        raise MissingDependencyError("matplotlib", "baseline", "report plots") from exc

    return Figure(figsize=(width, height), dpi=_DPI, layout="constrained")


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def confusion_png(counts: np.ndarray, classes: Sequence[str], title: str) -> bytes:
    """Row-normalized confusion matrix (recall per gold class) of ``counts`` ``(K, K+1)`` (as
    :class:`cameo_bench.metrics.Confusion` holds them) annotated with counts; the last column,
    unparsed answers, is drawn when there are any."""
    counts = np.asarray(counts)
    has_unparsed = bool(counts[:, -1].any())
    columns = list(classes) + ([UNPARSED] if has_unparsed else [])
    counts = counts if has_unparsed else counts[:, :-1]
    rates = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    size = 1.2 + 0.55 * len(columns)
    fig = _figure(size + 1.2, size)
    ax = fig.add_subplot()
    image = ax.imshow(rates, cmap="Blues", vmin=0, vmax=1)
    for i in range(counts.shape[0]):
        for j in range(counts.shape[1]):
            ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize=8,
                    color="white" if rates[i, j] > 0.6 else "black")
    ax.set_xticks(range(len(columns)), columns, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(len(classes)), classes, fontsize=8)
    ax.set_xlabel("answer")
    ax.set_ylabel("gold")
    ax.set_title(title, fontsize=9)
    fig.colorbar(image, ax=ax, shrink=0.8, label="share of gold row")
    return _png(fig)


def group_bars_png(
    groups: Sequence[str],
    series: dict[str, Sequence[tuple[float, float | None, float | None]]],
    chance: Sequence[float | None],
    *,
    title: str,
    ylabel: str,
) -> bytes:
    """Grouped bars: one bar per series (run) and group, whiskers from ``(value, ci_low,
    ci_high)`` (``None`` bounds: no whisker), and each group's chance level as a dashed red
    segment across its bars."""
    n, k = len(groups), max(1, len(series))
    width = 0.8 / k
    fig = _figure(max(4.0, 1.0 + n * (0.35 + 0.25 * k)), 3.4)
    ax = fig.add_subplot()
    x = np.arange(n)
    for s, (name, values) in enumerate(series.items()):
        value = np.array([v for v, _, _ in values], dtype=float)
        # a percentile interval may lie wholly on one side of the value: no whisker there
        low = np.array([max(0.0, v - lo) if lo is not None else 0.0 for v, lo, _ in values])
        high = np.array([max(0.0, hi - v) if hi is not None else 0.0 for v, _, hi in values])
        ax.bar(x - 0.4 + width * (s + 0.5), value, width, label=name,
               yerr=np.vstack([low, high]), capsize=2, error_kw={"linewidth": 0.8})
    drawn = [i for i, level in enumerate(chance) if level is not None]
    for i in drawn:
        ax.hlines(chance[i], i - 0.45, i + 0.45, colors="crimson", linestyles="dashed",
                  linewidth=1.2, label="chance" if i == drawn[0] else None)
    ax.set_xticks(x, groups, rotation=30 if n > 4 else 0, ha="right" if n > 4 else "center",
                  fontsize=8)
    ax.set_ylim(0, 1)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    fig.legend(fontsize=7, loc="outside upper center", ncols=min(4, k + 1), frameon=False)
    ax.grid(axis="y", alpha=0.3)
    return _png(fig)
