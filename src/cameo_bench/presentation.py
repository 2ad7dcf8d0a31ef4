"""The words and keys every report shares, stated once: which per-group views there are, how a
metric heads a column, how a run is labelled and how one number is keyed.

Used by the terminal, Markdown and LaTeX tables (:mod:`cameo_bench.report`), ``report.html``,
the static leaderboard and the Gradio app. Metric names, titles and functions are
:data:`cameo_bench.metrics.METRICS` and :data:`~cameo_bench.metrics.CLASS_METRICS`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cameo_bench.metrics import CLASS_METRICS, HEADLINE_METRICS, METRICS, MetricSpec
from cameo_bench.scores import REFERENCE_MODELS

__all__ = ["GroupView", "GROUP_VIEWS", "UNPARSED_VIEW", "HEADLINES", "heading", "run_label",
           "run_labels", "cell_key", "split_cell_key"]


def heading(text: str) -> str:
    """``text`` with its first letter capitalized (``macro-F1`` -> ``Macro-F1``)."""
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class GroupView:
    """One metric shown for each group of some scopes: a table of the report, bars of
    ``report.html`` and a tab of the leaderboard. ``subject`` names the groups in the title."""

    scopes: tuple[str, ...]
    metric: MetricSpec
    subject: str

    @property
    def scope(self) -> str:
        """The first (for the per-group views: the only) scope."""
        return self.scopes[0]

    @property
    def title(self) -> str:
        """The table title, e.g. ``Macro-F1 per language``."""
        return f"{heading(self.metric.title)} per {self.subject}"

    @property
    def tab_title(self) -> str:
        """The leaderboard tab title, e.g. ``Per language (macro-F1)``."""
        return f"Per {self.scope} ({self.metric.title})"


#: The per-group views, in report order: macro-F1 per language and per dataset, F1 per emotion.
GROUP_VIEWS: tuple[GroupView, ...] = (
    GroupView(("language",), METRICS["macro_f1"], "language"),
    GroupView(("dataset",), METRICS["macro_f1"], "dataset"),
    GroupView(("emotion",), CLASS_METRICS["f1"], "emotion (full corpus)"),
)
#: The report's last table: the unparsed rate of every group.
UNPARSED_VIEW = GroupView(("language", "dataset", "emotion"), METRICS["unparsed_rate"], "group")
#: The overall columns: each headline metric's spec, in the paper's order.
HEADLINES: tuple[MetricSpec, ...] = tuple(METRICS[name] for name in HEADLINE_METRICS)


def run_label(model: str, temperature: float | None, prompt_id: str | None = None, *,
              with_prompt: bool = False) -> str:
    """``model T=0.7`` (``model T=0.7 cameo-v1`` with the prompt); a reference row (no
    temperature) is labelled by its name alone."""
    if temperature is None:
        return model
    return f"{model} T={temperature:g}" + (f" {prompt_id}" if with_prompt and prompt_id else "")


def run_labels(runs: Iterable[tuple[str, float | None, str | None]]) -> dict[tuple, str]:
    """A label per (model, temperature, prompt_id) run: runs sorted, the prompt shown only when
    they use more than one, then the reference rows present, in their fixed order."""
    runs = set(runs)
    real = sorted(r for r in runs if r[0] not in REFERENCE_MODELS)
    many_prompts = len({r[2] for r in real}) > 1
    labels = {r: run_label(*r, with_prompt=many_prompts) for r in real}
    labels.update({(ref, None, None): ref for ref in REFERENCE_MODELS if (ref, None, None) in runs})
    return labels


def cell_key(scope: str, group: str, metric: str) -> str:
    """The key of one number in a leaderboard row's ``cells``: ``scope|group|metric``."""
    return f"{scope}|{group}|{metric}"


def split_cell_key(key: str) -> tuple[str, str, str]:
    """(scope, group, metric) of a :func:`cell_key`."""
    scope, group, metric = key.split("|")
    return scope, group, metric
