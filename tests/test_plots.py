"""The report's figures: SVG bars whose numbers, whiskers and chance lines are where the values
say, text that stays text (escaped, never markup), legends as HTML, confusion tables."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np

from cameo_bench.plots import (
    CHANCE_COLOR,
    PALETTE,
    confusion_html,
    group_bars_svg,
    legend_html,
    series_colors,
)

SVG = "{http://www.w3.org/2000/svg}"
TEX = r"$\frac{1}{$"


def _bars(**kw):
    series = kw.pop("series", {"run a": [(0.25, 0.30, 0.50), (0.10, 0.0, 0.05)],
                               TEX: [(0.5, 0.4, 0.6), None]})
    colors = series_colors(list(series))
    svg = group_bars_svg(kw.pop("groups", ["g<1>", "b"]), series, kw.pop("chance", [0.1, None]),
                         title="t", ylabel="macro-F1", colors=colors)
    return svg, ET.fromstring(svg)


def test_bars_are_where_the_values_say():
    svg, root = _bars()
    rects = root.findall(f"{SVG}rect")
    # 3 bars: the missing value draws none (not a bar at 0)
    assert [r.find(f"{SVG}title").text for r in rects] == [
        "run a, g<1>: 0.250 [0.300, 0.500]", f"{TEX}, g<1>: 0.500 [0.400, 0.600]",
        "run a, b: 0.100 [0.000, 0.050]"]
    top, bottom = 12, 12 + 220  # the plot's y range: 1.0 at the top, 0.0 at the bottom
    for rect, value in zip(rects, (0.25, 0.5, 0.1), strict=True):
        assert float(rect.get("y")) == round(bottom - 220 * value, 1)
        assert float(rect.get("height")) == round(220 * value, 1)
    assert [r.get("fill") for r in rects] == [PALETTE[0], PALETTE[1], PALETTE[0]]
    # an interval wholly above the value still draws its whisker, from 0.30 to 0.50
    whisker = root.findall(f"{SVG}path")[0].get("d")
    assert whisker.startswith(f"M{46 + 8 + 5.5:g} {bottom - 220 * 0.30:g}V{top + 220 * 0.5:g}")
    (chance,) = root.findall(f"{SVG}line[@class='chance']")
    assert chance.get("stroke") == CHANCE_COLOR
    assert float(chance.get("y1")) == round(bottom - 220 * 0.1, 1)


def test_text_is_escaped_and_never_markup():
    svg, root = _bars()
    assert "g&lt;1&gt;" in svg and "<1>" not in svg.replace("g&lt;1&gt;", "")
    labels = [t.text for t in root.findall(f"{SVG}text")]
    assert "g<1>" in labels and "macro-F1" in labels
    legend = legend_html(series_colors(["a<b>", TEX]))
    assert re.findall(r"</span>(.*?)</li>", legend) == ["a&lt;b&gt;", TEX, "chance"]


def test_many_groups_rotate_their_labels_and_leave_room_for_the_first():
    groups = ["Emozionalmente", *(f"corpus {i}" for i in range(12))]
    _, root = _bars(groups=groups, series={"a": [(0.5, None, None)] * 13}, chance=[None] * 13)
    first = next(t for t in root.findall(f"{SVG}text") if t.text == "Emozionalmente")
    assert "rotate(-35" in first.get("transform")
    # the rotated label reaches about 0.82 of its length in 6.5 px characters to the left
    assert float(first.get("x")) - 0.82 * 6.5 * len("Emozionalmente") >= 0


def test_confusion_table_counts_and_shades():
    counts = np.array([[3, 1, 0], [0, 2, 2]])
    table = confusion_html(counts, ["anger", "fear"], "nEMO")
    rows = re.findall(r"<tr>(.*?)</tr>", table)
    assert re.findall(r"<th>(.*?)</th>", rows[0]) == ["gold \\ answer", "anger", "fear",
                                                      "unparsed"]
    assert re.findall(r">(\d+)</td>", rows[1]) == ["3", "1", "0"]
    assert "rgba(31,119,180,0.75);color:#fff" in rows[1]  # 3 of 4: shaded dark, white text
    assert "rgba(31,119,180,0.50)" in rows[2]
    assert "unparsed" not in confusion_html(np.array([[3, 0]]), ["anger"], "x")
