"""What the adapters share: listing a corpus's files, reading its metadata tables, and turning
a parser's result into a record.

Adapters keep their parsing in a pure function (file name, path or metadata row →
:class:`ClipMeta`, or a reason string when the item is left out) so it can be tested over a
corpus's full real inventory without audio; :func:`emit` turns the result into a record.
``read_rows``, the cell helpers and ``join_rows`` serve the corpora whose labels live in a
metadata table beside a folder of audio (EMNS, Emozionalmente; CREMA-D's demographics).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from cameo_bench.corpora.base import Corpus
from cameo_bench.errors import InputError
from cameo_bench.records import AudioSource, Skipped, SourceClip

__all__ = [
    "ClipMeta", "emit", "files_under", "files_in", "has_file",
    "read_rows", "cell", "file_name", "gender_of", "join_rows",
]

_GENDERS = {"female": "female", "male": "male"}


@dataclass(frozen=True)
class ClipMeta:
    """A clip's metadata as parsed from its name or row; ``raw_label`` is not yet unified."""

    raw_label: str
    speaker_id: str | None = None
    gender: str | None = None
    age: str | None = None
    transcription: str | None = None


def emit(
    corpus: Corpus, origin: str, source: AudioSource, parsed: ClipMeta | str
) -> SourceClip | Skipped:
    """The :class:`SourceClip` for ``parsed``, or :class:`Skipped` when ``parsed`` is a reason
    (or its raw label is unknown to ``corpus.label_map``)."""
    if isinstance(parsed, str):
        return Skipped(corpus.split, origin, parsed)
    return corpus.clip(
        origin,
        source,
        parsed.raw_label,
        speaker_id=parsed.speaker_id,
        gender=parsed.gender,
        age=parsed.age,
        transcription=parsed.transcription,
    )


def files_under(root: Path, suffix: str, *, recursive: bool = True) -> list[tuple[str, Path]]:
    """Every file in ``root`` (below it, unless not ``recursive``) whose suffix is ``suffix``
    (any case), as (path relative to ``root`` with ``/``, path), sorted by the relative path.
    Entries that are not regular files (FIFOs, devices, broken or looping links) are listed
    too: the build reports each as what it is."""
    found = root.rglob("*") if recursive else root.iterdir()
    return sorted(
        (p.relative_to(root).as_posix(), p)
        for p in found
        if p.suffix.lower() == suffix and not p.is_dir()
    )


def files_in(folder: Path, suffix: str = ".wav") -> list[Path]:
    """The files directly in ``folder`` whose suffix is ``suffix`` (any case), sorted by name."""
    return [p for _, p in files_under(folder, suffix, recursive=False)]


def has_file(folder: Path, pattern: re.Pattern[str]) -> bool:
    """Whether ``folder`` directly holds a file whose name matches ``pattern`` (for detect)."""
    try:
        return any(pattern.match(p.name) and p.is_file() for p in folder.iterdir())
    except OSError:
        return False


def read_rows(
    path: Path, columns: tuple[str, ...], *, delimiter: str = ",", fix: str = ""
) -> list[tuple[int, dict[str, str]]]:
    """Rows of a delimited table with their line numbers.

    Raises InputError naming the file if it cannot be read or its header lacks ``columns``;
    ``fix`` is appended to the unreadable-file messages (where to get the file). Bytes that are
    not UTF-8 are kept as surrogate escapes: the clip of such a row is left out with the reason
    (:meth:`Corpus.clip`), the other rows stay.
    """
    try:
        with open(path, encoding="utf-8-sig", errors="surrogateescape", newline="") as f:
            reader = csv.DictReader(f, delimiter=delimiter)
            missing = [c for c in columns if c not in (reader.fieldnames or ())]
            if missing:
                raise InputError(path, f"missing column(s) {', '.join(missing)}", line=1)
            return [(reader.line_num, row) for row in reader]
    except OSError as exc:
        raise InputError(path, f"cannot read the file ({exc.strerror}){fix}") from exc
    except csv.Error as exc:
        raise InputError(path, f"not a readable table ({exc}){fix}") from exc


def cell(row: Mapping[str, str | None], key: str) -> str | None:
    """The value of ``key`` in a table row, whitespace stripped; None when absent or blank."""
    return (row.get(key) or "").strip() or None


def file_name(path: str | None) -> str:
    """The last part of a path written with ``/`` or ``\\`` (``""`` for None or blank)."""
    return PurePosixPath((path or "").strip().replace("\\", "/")).name


def gender_of(text: str | None) -> str | None:
    """``female`` or ``male`` from a table's gender cell (any case), else None."""
    return _GENDERS.get((text or "").strip().lower())


def join_rows(
    corpus: Corpus,
    audio_dir: str,
    suffix: str,
    rows: Iterable[tuple[int, tuple[str, ClipMeta | str] | None]],
    metadata: str,
) -> Iterator[SourceClip | Skipped]:
    """Clips for ``rows`` of the table ``metadata`` and the ``suffix`` files of ``audio_dir``
    (under the corpus root), sorted by origin (``audio_dir/<file>``).

    Each row is ``(line, parsed)``: ``parsed`` is a row parser's ``(file name, metadata)``, or
    None for a row naming no file. A row without an audio file, a second row for a file, and an
    audio file without a row are skipped with the reason.
    """
    files = dict(files_under(corpus.root / audio_dir, suffix, recursive=False))
    out: dict[str, SourceClip | Skipped] = {}
    for line, parsed in rows:
        if parsed is None:
            origin = f"{metadata}:{line}"
            out[origin] = Skipped(corpus.split, origin, "row names no audio file")
            continue
        name, meta = parsed
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
            out[origin] = emit(corpus, origin, AudioSource(files[name]), meta)
    for name in files.keys() - {Path(o).name for o in out}:
        origin = f"{audio_dir}/{name}"
        out[origin] = Skipped(corpus.split, origin, f"no {metadata} row for this file")
    for key in sorted(out):
        yield out[key]
