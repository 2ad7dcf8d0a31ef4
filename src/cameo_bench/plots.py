"""Figures of a scored run for ``report.html``, drawn as inline SVG and HTML (no plotting
library, no image files): per-group bars with 95% CI whiskers and the chance level, their
legend, and confusion matrices as shaded tables.

Every text (run labels, group names) is escaped and stays text in the page: legends are HTML
beside the figure, so a long run label or many runs are never clipped, a reader can search and
copy them, and a model name such as ``$\\frac{1}{$`` is only characters. Figures scale down to
the page width (``viewBox``). Output depends only on the arguments; numbers are written with
fixed decimals, so the bytes are the same on every machine.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np

from cameo_bench.records import UNPARSED

__all__ = ["PALETTE", "CHANCE_COLOR", "series_colors", "legend_html", "group_bars_svg",
           "confusion_html"]

#: Bar colours by series, in order (colour-blind-safe; no red, which marks chance).
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
           "#bcbd22", "#17becf")
#: The colour of the chance level.
CHANCE_COLOR = "#c0143c"

_PLOT_HEIGHT, _TOP, _AXIS, _RIGHT = 220, 12, 46, 12
_BAR, _GAP = 12, 16
_CHAR = 6.5  # width of a tick label character (11 px system-ui), generous


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _n(x: float) -> str:
    """A coordinate with one decimal, no trailing ``.0``."""
    return f"{x:.1f}".removesuffix(".0")


def series_colors(names: Sequence[str]) -> dict[str, str]:
    """A colour per series name, from :data:`PALETTE` in order (cycling)."""
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


def legend_html(colors: dict[str, str], *, chance: bool = True) -> str:
    """The legend of a bar figure as an HTML list: a swatch and the full name per series, and
    the chance level's dashed line."""
    items = [f'<li><span class="swatch" style="background:{c}"></span>{_e(name)}</li>'
             for name, c in colors.items()]
    if chance:
        items.append(f'<li><span class="dash" style="border-color:{CHANCE_COLOR}"></span>'
                     "chance</li>")
    return f'<ul class="legend">{"".join(items)}</ul>'


def _label_room(groups: Sequence[str], rotate: bool) -> float:
    """Height below the plot for the group labels (rotated by 35 degrees or not)."""
    longest = max((len(g) for g in groups), default=0)
    return _CHAR * longest * 0.58 + 18 if rotate else 22


def group_bars_svg(
    groups: Sequence[str],
    series: dict[str, Sequence[tuple[float, float | None, float | None] | None]],
    chance: Sequence[float | None],
    *,
    title: str,
    ylabel: str,
    colors: dict[str, str],
) -> str:
    """Grouped bars as an SVG element: per group, one bar per series (colour from ``colors``)
    with a whisker from ``(value, ci_low, ci_high)`` (``None`` bounds: none; ``None`` instead
    of the triple: the series has no value there, no bar), and the group's
    chance level as a dashed line across its bars; y from 0 to 1. Each bar and chance line
    carries its numbers as a tooltip (``<title>``)."""
    k = max(1, len(series))
    group_width = k * _BAR + _GAP
    rotate = len(groups) > 4 or max((len(g) for g in groups), default=0) > group_width / 7
    bottom = _label_room(groups, rotate)
    # a rotated first label reaches left of its group: room for it
    first = _CHAR * len(groups[0]) * 0.82 - (_GAP + k * _BAR) / 2 + 4 if rotate and groups else 0
    left = max(_AXIS, first)
    width = left + len(groups) * group_width + _RIGHT
    height = _TOP + _PLOT_HEIGHT + bottom

    def y(v: float) -> float:
        return _TOP + _PLOT_HEIGHT * (1 - min(max(v, 0.0), 1.0))

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="bars" viewBox="0 0 {_n(width)} '
             f'{_n(height)}" width="{_n(width)}" height="{_n(height)}" role="img">'
             f"<title>{_e(title)}</title>"]
    for tick in np.linspace(0, 1, 6):
        parts.append(f'<line x1="{_n(left)}" x2="{_n(width - _RIGHT)}" y1="{_n(y(tick))}" '
                     f'y2="{_n(y(tick))}" class="grid"/><text x="{_n(left - 4)}" '
                     f'y="{_n(y(tick) + 3.5)}" class="tick" text-anchor="end">{tick:.1f}</text>')
    parts.append(f'<text class="label" transform="translate({_n(left - 32)} '
                 f'{_n(_TOP + _PLOT_HEIGHT / 2)}) '
                 f'rotate(-90)" text-anchor="middle">{_e(ylabel)}</text>')
    for g, group in enumerate(groups):
        x0 = left + g * group_width + _GAP / 2
        for s, (name, values) in enumerate(series.items()):
            if values[g] is None:
                continue
            value, low, high = values[g]
            x = x0 + s * _BAR
            interval = "" if low is None or high is None else f" [{low:.3f}, {high:.3f}]"
            parts.append(f'<rect x="{_n(x)}" y="{_n(y(value))}" width="{_BAR - 1}" '
                         f'height="{_n(y(0) - y(value))}" fill="{colors[name]}"><title>'
                         f"{_e(name)}, {_e(group)}: {value:.3f}{interval}</title></rect>")
            if low is not None and high is not None:
                mid = x + (_BAR - 1) / 2
                parts.append(f'<path class="whisker" d="M{_n(mid)} {_n(y(low))}V{_n(y(high))}'
                             f'M{_n(mid - 2.5)} {_n(y(low))}h5M{_n(mid - 2.5)} {_n(y(high))}h5"/>')
        level = chance[g]
        if level is not None:
            parts.append(f'<line x1="{_n(x0 - 3)}" x2="{_n(x0 + k * _BAR + 2)}" '
                         f'y1="{_n(y(level))}" y2="{_n(y(level))}" class="chance" '
                         f'stroke="{CHANCE_COLOR}"><title>chance, {_e(group)}: {level:.3f}'
                         "</title></line>")
        cx, cy = x0 + k * _BAR / 2, _TOP + _PLOT_HEIGHT + 14
        anchor = (f' text-anchor="end" transform="rotate(-35 {_n(cx)} {_n(cy)})"' if rotate
                  else ' text-anchor="middle"')
        parts.append(f'<text x="{_n(cx)}" y="{_n(cy)}" class="tick"{anchor}>{_e(group)}</text>')
    parts.append(f'<line x1="{_n(left)}" x2="{_n(left)}" y1="{_TOP}" y2="{_n(y(0))}" '
                 'class="axis"/></svg>')
    return "".join(parts)


def confusion_html(counts: np.ndarray, classes: Sequence[str], caption: str) -> str:
    """A confusion matrix ``(K, K+1)`` (as :class:`cameo_bench.metrics.Confusion` holds it) as
    an HTML table: rows gold, columns answers (``unparsed`` last, when there are any), each
    cell its count, shaded by its share of the gold row (recall on the diagonal)."""
    counts = np.asarray(counts)
    has_unparsed = bool(counts[:, -1].any())
    columns = list(classes) + ([UNPARSED] if has_unparsed else [])
    counts = counts if has_unparsed else counts[:, :-1]
    rates = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    head = "".join(f"<th>{_e(c)}</th>" for c in columns)
    body = []
    for i, gold in enumerate(classes):
        cells = "".join(
            f'<td style="background:rgba(31,119,180,{rates[i, j]:.2f})'
            f'{";color:#fff" if rates[i, j] > 0.6 else ""}" title="gold {_e(gold)}, answer '
            f'{_e(columns[j])}: {counts[i, j]} ({rates[i, j]:.0%})">{counts[i, j]}</td>'
            for j in range(len(columns)))
        body.append(f"<tr><th>{_e(gold)}</th>{cells}</tr>")
    return (f'<table class="cm"><caption>{_e(caption)}</caption><tr><th>gold \\ answer</th>'
            f'{head}</tr>{"".join(body)}</table>')
