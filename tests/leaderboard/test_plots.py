"""The Gradio app's figures draw what a board row holds, including bootstrap intervals that do
not contain the value (small runs give such intervals; matplotlib refuses negative whiskers)."""

from __future__ import annotations

import numpy as np

from cameo_bench.leaderboard.plots import confusion_heatmap, group_bars
from cameo_bench.leaderboard.rows import BoardRow
from cameo_bench.metrics import Confusion
from cameo_bench.presentation import GROUP_VIEWS


def test_bars_survive_an_interval_beside_the_value():
    row = BoardRow("k", "verified", "n", "f", "m", 0.0, "cameo-v1", {
        "language|French|macro_f1": [0.25, 0.30, 0.50],
        "language|Polish|macro_f1": [0.10, 0.0, 0.05],
    })
    fig = group_bars(row, GROUP_VIEWS[0], ["French", "German", "Polish"])
    ax = fig.axes[0]
    assert ax.get_title() == "Macro-F1 per language"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["French", "Polish"]
    assert [round(p.get_width(), 2) for p in ax.patches] == [0.25, 0.10]


def test_heatmap_labels_classes_and_unparsed():
    matrix = Confusion(("anger", "fear"), np.array([[3, 1, 0], [0, 2, 2]]))
    ax = confusion_heatmap(matrix, "t").axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["anger", "fear", "unparsed"]
    assert [t.get_text() for t in ax.texts] == ["3", "1", "0", "0", "2", "2"]
