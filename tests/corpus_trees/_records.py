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


def table_1_view(parsed: list[dict]) -> dict[str, int]:
    """What Table 1 counts, from parsed metadata (dicts with ``speaker_id`` and ``gender``):
    samples, speakers, and speakers by gender (``female``/``male``)."""
    speakers = {(p["speaker_id"], p["gender"]) for p in parsed}
    genders = [g for _, g in speakers]
    return {"samples": len(parsed), "speakers": len(speakers),
            "female": genders.count("female"), "male": genders.count("male")}


def table_1_row(info) -> dict[str, int | None]:
    """The same counts as the paper's Table 1 gives them for a corpus (a ``CorpusInfo``)."""
    return {"samples": info.samples, "speakers": info.speakers,
            "female": info.female, "male": info.male}
