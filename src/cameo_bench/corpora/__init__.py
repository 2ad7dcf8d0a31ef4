"""Corpus adapters: one module per corpus, looked up lazily through :data:`ADAPTERS`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cameo_bench.registry import Registry
from cameo_bench.vocab import SPLITS

if TYPE_CHECKING:
    from cameo_bench.corpora.base import Corpus

__all__ = ["ADAPTERS", "get_adapter"]

#: split name → adapter class (``cameo_bench.corpora.<split>:Adapter``).
ADAPTERS: Registry[type[Corpus]] = Registry(
    "corpus", {s: f"cameo_bench.corpora.{s}:Adapter" for s in SPLITS}
)


def get_adapter(split: str) -> type[Corpus]:
    """The adapter class of corpus ``split``; unknown names raise with a suggestion."""
    return ADAPTERS[split]
