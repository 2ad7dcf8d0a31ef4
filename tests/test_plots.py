"""Bar whiskers survive a bootstrap percentile interval that does not contain the value (small
runs give such intervals; matplotlib refuses negative error lengths)."""

from __future__ import annotations

from cameo_bench.plots import group_bars_png


def test_interval_beside_value_still_draws():
    png = group_bars_png(["a", "b"], {"run": [(0.25, 0.30, 0.50), (0.10, 0.0, 0.05)]},
                         [0.1, None], title="t", ylabel="macro-F1")
    assert png.startswith(b"\x89PNG")
