"""Helpers the corpus adapter tests share: run a scan into records comparable with what
``make_tree`` returns, and count what Table 1 counts."""

from __future__ import annotations

from cameo_bench.audio import convert
from cameo_bench.records import Skipped, SourceClip
from cameo_bench.vocab import CORPORA

#: The keys of an expected record (``make_tree``'s contract).
KEYS = ("origin", "emotion", "transcription", "speaker_id", "gender", "age")


def scan(adapter) -> tuple[list[SourceClip], list[Skipped]]:
    """The clips and the skips of ``adapter.scan()``, checking that origins come sorted."""
    items = list(adapter.scan())
    origins = [i.origin for i in items]
    assert origins == sorted(origins), "scan() must yield items sorted by origin"
    clips = [i for i in items if isinstance(i, SourceClip)]
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert len(clips) + len(skipped) == len(items)
    return clips, skipped


def records(items) -> list[dict]:
    """The kept clips of ``items`` as dicts with the keys make_tree returns, in order."""
    return [{k: getattr(c, k) for k in KEYS} for c in items if isinstance(c, SourceClip)]


def source_rates(clips: list[SourceClip]) -> dict[str, int]:
    """origin → sample rate of the decoded original, each clip through ``audio.normalize``."""
    return {c.origin: convert(c.source).source_rate for c in clips}


def tree_scan(tree, adapter_cls, tmp_path, layouts, under: str = ""):
    """Write ``tree`` under ``tmp_path / under``, check that ``detect(tmp_path)`` finds the
    corpus root (``tree.ROOT`` below that) and scan it: (expected records, corpus root, clips,
    skipped)."""
    dest = tmp_path / under
    expected = tree.make_tree(dest, layouts)
    root = adapter_cls.detect(tmp_path)
    assert root == dest / tree.ROOT
    clips, skipped = scan(adapter_cls(root))
    return expected, root, clips, skipped


def speaker_counts(parsed) -> tuple[int, int, int]:
    """(speakers, female speakers, male speakers) among parsed clip metadata, as Table 1
    counts them."""
    speakers = {(p.speaker_id, p.gender) for p in parsed}
    genders = [g for _, g in speakers]
    return len(speakers), genders.count("female"), genders.count("male")


def assert_meets_table_1(split: str, parsed, *, utterances: bool = True) -> None:
    """Assert that parsed clip metadata (no reason strings among it) gives the paper's Table 1
    samples and speakers (F/M) of ``split`` and, with ``utterances``, its distinct sentences."""
    assert not [p for p in parsed if isinstance(p, str)]
    info = CORPORA[split]
    assert len(parsed) == info.samples
    assert speaker_counts(parsed) == (info.speakers, info.female, info.male)
    if utterances:
        assert len({p.transcription for p in parsed}) == info.utterances
