"""Corpus adapters: one module per corpus, looked up lazily through :data:`ADAPTERS`."""

from __future__ import annotations

from cameo_bench.registry import Registry
from cameo_bench.vocab import SPLITS

__all__ = ["ADAPTERS", "get_adapter"]

#: split name → adapter class (``cameo_bench.corpora.<split>:Adapter``).
ADAPTERS = Registry("corpus", {s: f"cameo_bench.corpora.{s}:Adapter" for s in SPLITS})


def get_adapter(split: str):
    """The adapter class of corpus ``split``; unknown names raise with a suggestion."""
    return ADAPTERS[split]
