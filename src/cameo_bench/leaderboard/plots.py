"""Figures for the Gradio app (matplotlib, no pyplot state): per-group bars with 95% interval
whiskers and a confusion-matrix heatmap. Only group and label names from the collection are
drawn; submitter text never reaches matplotlib (whose ``$`` would start mathtext)."""

from __future__ import annotations

from cameo_bench.leaderboard.rows import BoardRow
from cameo_bench.metrics import Confusion
from cameo_bench.presentation import GroupView
from cameo_bench.records import UNPARSED

__all__ = ["group_bars", "confusion_heatmap"]


def group_bars(row: BoardRow, view: GroupView, groups: list[str],
               chance: BoardRow | None = None):
    """Horizontal bars of the ``view``'s metric per group of its scope for one board row, on a
    0-1 axis, whiskers at the interval bounds where the row has them, the value written right
    of the axis (never under a whisker) and, given the ``chance`` reference row of the same
    collection, a red tick at chance per group; groups without a value are left out."""
    from matplotlib.figure import Figure

    cells = [(g, row.cell(view.scope, g, view.metric.name)) for g in groups]
    cells = [(g, c) for g, c in cells if c is not None]
    fig = Figure(figsize=(6.5, 0.35 * max(len(cells), 1) + 1.2), layout="constrained")
    ax = fig.add_subplot()
    ys = list(range(len(cells)))
    values = [c[0] for _, c in cells]
    # a percentile interval may lie wholly on one side of the value: no whisker there
    lows = [max(0.0, c[0] - c[1]) if c[1] is not None else 0 for _, c in cells]
    highs = [max(0.0, c[2] - c[0]) if c[2] is not None else 0 for _, c in cells]
    ax.barh(ys, values, xerr=[lows, highs], color="#6c8ed8", ecolor="#222", capsize=2)
    if chance is not None:
        marks = [(y, chance.cell(view.scope, g, view.metric.name)) for y, (g, _) in zip(
            ys, cells, strict=True)]
        marks = [(y, c[0]) for y, c in marks if c is not None]
        if marks:
            ax.vlines([v for _, v in marks], [y - 0.45 for y, _ in marks],
                      [y + 0.45 for y, _ in marks], colors="#c62828", linewidth=2,
                      label="chance")
            ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), borderaxespad=0.1,
                      fontsize=8, frameon=False)
    for y, v in zip(ys, values, strict=True):
        ax.annotate(f"{v:.3f}", (1.0, y), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=8, annotation_clip=False)
    ax.set_yticks(ys, [g for g, _ in cells])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel(view.metric.title)
    ax.grid(axis="x", color="#ddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_title(view.title, fontsize=10)
    return fig


def confusion_heatmap(matrix: Confusion, title: str):
    """A confusion matrix (rows: gold; columns: answers, ``unparsed`` last), shaded by share of
    the gold row and annotated with counts."""
    import numpy as np
    from matplotlib.figure import Figure

    counts = np.asarray(matrix.counts, dtype=float)
    share = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    k = len(matrix.classes)
    fig = Figure(figsize=(1.0 + 0.55 * (k + 1), 1.0 + 0.5 * k), layout="constrained")
    ax = fig.add_subplot()
    ax.imshow(share, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(k + 1), [*matrix.classes, UNPARSED], rotation=45, ha="right")
    ax.set_yticks(range(k), matrix.classes)
    for (i, j), n in np.ndenumerate(counts):
        ax.text(j, i, f"{int(n)}", ha="center", va="center", fontsize=8,
                color="white" if share[i, j] > 0.5 else "black")
    ax.set_xlabel("answer")
    ax.set_ylabel("gold")
    ax.set_title(title, fontsize=10)
    return fig
