"""Step 1 of the build: find each requested corpus under the root and list its clips."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cameo_bench.corpora import ADAPTERS
from cameo_bench.corpora.base import Corpus
from cameo_bench.errors import CameoError
from cameo_bench.records import Skipped, SourceClip
from cameo_bench.vocab import SPLITS, corpus_info

__all__ = ["FoundCorpus", "load_adapter", "find_corpora"]


@dataclass
class FoundCorpus:
    """A corpus found under the build root: its folder, its adapter's label map, its clips
    (sorted by origin) and what its adapter left out."""

    split: str
    root: Path
    label_map: dict[str, str] = field(default_factory=dict)
    clips: list[SourceClip] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def load_adapter(split: str) -> type[Corpus]:
    """The adapter class of ``split``; a missing adapter module is a one-line CameoError."""
    corpus_info(split)  # unknown names raise with a suggestion
    module = ADAPTERS.path(split).split(":")[0]
    try:
        return ADAPTERS[split]
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        raise CameoError(f"corpus {split!r} has no adapter: module {module} is missing") from None


def find_corpora(
    root: Path, splits: Sequence[str] | None, log: Callable[[str], None]
) -> tuple[list[FoundCorpus], list[str]]:
    """Detect and scan the corpora ``splits`` (all 13 when None) under ``root``, in split order.

    Returns the corpora found and the split names not found; ``log`` gets one line per corpus.
    """
    if not root.is_dir():
        raise CameoError(f"{root}: no such folder (point the build at your downloaded corpora)")
    wanted = list(dict.fromkeys(splits)) if splits else list(SPLITS)
    for split in wanted:
        corpus_info(split)
    found: list[FoundCorpus] = []
    missing: list[str] = []
    for split in sorted(wanted, key=SPLITS.index):
        adapter = load_adapter(split)
        where = adapter.detect(root)
        if where is None:
            missing.append(split)
            log(f"{split}: not found under {root}, skipped "
                f"(expected {adapter.layout}; download: {adapter.download})")
            continue
        corpus = FoundCorpus(split, where, dict(sorted(adapter.label_map.items())))
        labels = corpus_info(split).labels
        for item in adapter(where).scan():
            if isinstance(item, SourceClip):
                if item.emotion not in labels:
                    raise CameoError(f"{split} adapter: {item.origin} has label {item.emotion!r}, "
                                     f"not one of the corpus's labels {', '.join(labels)}")
                corpus.clips.append(item)
            else:
                corpus.skipped.append(item)
        corpus.clips.sort(key=lambda c: c.origin)
        log(f"{split}: found at {where}: {len(corpus.clips)} clips, "
            f"{len(corpus.skipped)} left out by the adapter")
        found.append(corpus)
    return found, missing
