"""Join a corpus's metadata rows to its audio files by file name, reporting every mismatch.

Used by the corpora whose labels live in a metadata table beside a folder of audio (EMNS,
Emozionalmente).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from cameo_bench.corpora.base import Corpus
from cameo_bench.records import AudioSource, Skipped, SourceClip

__all__ = ["audio_files", "join_rows"]


def audio_files(folder: Path, suffix: str) -> dict[str, Path]:
    """The files of ``folder`` (not recursive) whose suffix is ``suffix``, by name."""
    return {p.name: p for p in folder.iterdir() if p.suffix.lower() == suffix and p.is_file()}


def join_rows(
    corpus: Corpus,
    audio_dir: str,
    files: Mapping[str, Path],
    rows: Iterable[tuple[int, dict | None]],
    metadata: str,
) -> Iterator[SourceClip | Skipped]:
    """Clips for ``rows`` of the table ``metadata``, sorted by origin (``audio_dir/<file>``).

    Each row is ``(line, meta)``; ``meta`` is a parser's output with the keys ``file`` and
    ``raw_label`` plus SourceClip metadata, or None for a row naming no file. A row without an
    audio file, a second row for a file, and an audio file without a row are skipped with the
    reason.
    """
    out: dict[str, SourceClip | Skipped] = {}
    for line, meta in rows:
        if meta is None:
            origin = f"{metadata}:{line}"
            out[origin] = Skipped(corpus.split, origin, "row names no audio file")
            continue
        meta = dict(meta)
        name = meta.pop("file")
        origin = f"{audio_dir}/{name}"
        if origin in out:
            out[f"{origin}#{line}"] = Skipped(
                corpus.split, origin, f"second {metadata} row for this file (line {line})"
            )
        elif name not in files:
            out[origin] = Skipped(
                corpus.split, origin, f"audio file missing ({metadata} line {line})"
            )
        else:
            out[origin] = corpus.clip(
                origin, AudioSource(files[name]), meta.pop("raw_label"), **meta
            )
    for name in files.keys() - {Path(o).name for o in out}:
        origin = f"{audio_dir}/{name}"
        out[origin] = Skipped(corpus.split, origin, f"no {metadata} row for this file")
    for key in sorted(out):
        yield out[key]
