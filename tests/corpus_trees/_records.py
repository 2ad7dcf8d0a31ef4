"""Views of an adapter's scan() output in the shape ``make_tree`` returns its expectations."""

from __future__ import annotations

from cameo_bench.records import Skipped, SourceClip

#: The keys of an expected record (``make_tree``'s contract).
KEYS = ("origin", "emotion", "transcription", "speaker_id", "gender", "age")


def records(items) -> list[dict]:
    """The kept clips of ``items`` as expected-record dicts, in scan order."""
    return [{k: getattr(c, k) for k in KEYS} for c in items if isinstance(c, SourceClip)]


def skipped(items) -> list[Skipped]:
    """The :class:`Skipped` entries of ``items``, in scan order."""
    return [s for s in items if isinstance(s, Skipped)]
