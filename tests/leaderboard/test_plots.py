"""The Gradio app's figures draw what a board row holds, including bootstrap intervals that do
not contain the value (small runs give such intervals; matplotlib refuses negative whiskers)."""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from cameo_bench.collection.coverage import coverage_of
from cameo_bench.leaderboard.plots import confusion_heatmap, group_bars
from cameo_bench.leaderboard.rows import BoardRow
from cameo_bench.metrics import Confusion
from cameo_bench.presentation import GROUP_VIEWS

COVERAGE = coverage_of([("a.flac", "CaFE")])


def test_bars_survive_an_interval_beside_the_value():
    row = BoardRow("k", "verified", "n", "f", "m", 0.0, "cameo-v1", {
        "language|French|macro_f1": [0.25, 0.30, 0.50],
        "language|Polish|macro_f1": [0.10, 0.0, 0.05],
    }, COVERAGE)
    fig = group_bars(row, GROUP_VIEWS[0], ["French", "German", "Polish"])
    ax = fig.axes[0]
    assert ax.get_title() == "Macro-F1 per language"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["French", "Polish"]
    assert [round(p.get_width(), 2) for p in ax.patches] == [0.25, 0.10]
    assert ax.get_xlim() == (0, 1) and ax.get_xlabel() == "macro-F1"
    assert [t.get_text() for t in ax.texts] == ["0.250", "0.100"]
    assert ax.get_legend() is None  # no chance row given


def test_bars_mark_chance_per_group_and_keep_labels_clear_of_whiskers():
    row = BoardRow("k", "verified", "n", "f", "m", 0.0, "cameo-v1", {
        "language|French|macro_f1": [0.9, 0.8, 0.99],
        "language|Polish|macro_f1": [0.05, 0.01, 0.09],
    }, COVERAGE)
    chance = BoardRow("ref:chance", "reference", "chance", "reference", "chance", None, None, {
        "language|French|macro_f1": [0.125, None, None],
        "language|Polish|macro_f1": [0.167, None, None],
    }, COVERAGE)
    fig = group_bars(row, GROUP_VIEWS[0], ["French", "Polish"], chance)
    ax = fig.axes[0]
    (ticks,) = ax.collections[-1:]
    segments = ticks.get_segments()
    assert [s[0][0] for s in segments] == [0.125, 0.167]  # at chance, on each group's bar
    assert [round(float(s[:, 1].mean())) for s in segments] == [0, 1]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["chance"]
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    right_of_axis = ax.get_window_extent(renderer).x1
    assert all(t.get_window_extent(renderer).x0 >= right_of_axis for t in ax.texts)


def test_heatmap_labels_classes_and_unparsed():
    matrix = Confusion(("anger", "fear"), np.array([[3, 1, 0], [0, 2, 2]]))
    ax = confusion_heatmap(matrix, "t").axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["anger", "fear", "unparsed"]
    assert [t.get_text() for t in ax.texts] == ["3", "1", "0", "0", "2", "2"]
