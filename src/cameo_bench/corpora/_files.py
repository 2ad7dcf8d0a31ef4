"""Listing a corpus's files and reading its metadata tables, shared by the adapters.

``files_under`` walks a tree; ``read_rows`` + ``audio_files`` + ``join_rows`` serve the corpora
whose labels live in a metadata table beside a folder of audio (EMNS, Emozionalmente).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from cameo_bench.corpora.base import Corpus
from cameo_bench.errors import InputError
from cameo_bench.records import AudioSource, Skipped, SourceClip

__all__ = ["files_under", "read_rows", "audio_files", "join_rows"]


def files_under(root: Path, suffix: str) -> list[tuple[str, Path]]:
    """Every file below ``root`` whose suffix is ``suffix`` (any case), as (path relative to
    ``root`` with ``/``, path), sorted by the relative path."""
    return sorted(
        (p.relative_to(root).as_posix(), p)
        for p in root.rglob("*")
        if p.suffix.lower() == suffix and p.is_file()
    )


def read_rows(
    path: Path, columns: tuple[str, ...], *, delimiter: str = ",", fix: str = ""
) -> list[tuple[int, dict[str, str]]]:
    """Rows of a delimited table with their line numbers.

    Raises InputError naming the file if it cannot be read or decoded or its header lacks
    ``columns``; ``fix`` is appended to the unreadable-file messages (where to get the file).
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f, delimiter=delimiter)
            missing = [c for c in columns if c not in (reader.fieldnames or ())]
            if missing:
                raise InputError(path, f"missing column(s) {', '.join(missing)}", line=1)
            return [(reader.line_num, row) for row in reader]
    except OSError as exc:
        raise InputError(path, f"cannot read the file ({exc.strerror}){fix}") from exc
    except (csv.Error, UnicodeDecodeError) as exc:
        raise InputError(path, f"not a readable UTF-8 table ({exc}){fix}") from exc


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
