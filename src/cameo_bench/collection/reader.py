"""Read a collection (a built folder or the Hub) with core dependencies only: pyarrow +
soundfile (+ huggingface_hub to fetch from the Hub).

A damaged collection (a parquet file that is not one, missing columns, a row whose audio is not
16 kHz FLAC) raises :class:`InputError` naming the file, and the row where there is one.
``metadata.jsonl`` is read as untrusted text (:func:`read_metadata`): a collection may come
from anyone.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from cameo_bench.audio import TARGET_SR, decode_flac
from cameo_bench.collection.format import split_files, split_path
from cameo_bench.collection.hub import fetch_hub, is_hub_location
from cameo_bench.errors import CameoError, InputError
from cameo_bench.records import ClipRecord
from cameo_bench.untrusted import UntrustedInput, load_json, read_lines, text_problem
from cameo_bench.vocab import SPLITS

__all__ = ["READ_ERRORS", "Clip", "Collection", "damaged", "decode_clip", "open_collection",
           "record_problem", "read_metadata"]

_META_COLUMNS = [c for c in ClipRecord.__dataclass_fields__]
#: Record fields that may be null; every other field is required text.
_NULLABLE = frozenset({"transcription", "speaker_id", "gender", "age"})
#: Record fields of free text (any words); every other field is a name.
_FREE_TEXT = ("transcription",)
#: What reading a damaged parquet file raises (ArrowInvalid is a ValueError, ArrowIOError an
#: OSError; soundfile's errors are RuntimeErrors).
READ_ERRORS = (OSError, ValueError, pa.ArrowException)


def damaged(path: Path | str, exc: BaseException, what: str = "a readable parquet file"
            ) -> InputError:
    """The one-line error for a collection file (or ``file#row``) that ``exc`` showed to be
    damaged: it is not ``what``."""
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return InputError(path, f"not {what} ({detail}): rebuild the collection or fetch it again")


@dataclass(frozen=True)
class Clip:
    """A record of the collection and where its audio is (split parquet and row)."""

    record: ClipRecord
    split: str
    row: int


class Collection:
    """A CAMEO collection in a local folder laid out as on the Hub."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.splits = sorted(
            split_files(self.root),
            key=lambda s: (SPLITS.index(s) if s in SPLITS else len(SPLITS), s),
        )
        if not self.splits:
            raise InputError(self.root, f"no {split_path('', '<split>')} files: "
                             "not a CAMEO collection (build one with `cameo build`)")

    def clips(
        self,
        *,
        corpus: Iterable[str] | None = None,
        language: Iterable[str] | None = None,
        emotion: Iterable[str] | None = None,
    ) -> list[Clip]:
        """Records in collection order (split order, then row), filtered by corpus split names,
        languages and emotions (``None`` keeps all). An unknown corpus name raises."""
        wanted = set(corpus) if corpus else None
        if wanted:
            unknown = wanted - set(self.splits)
            if unknown:
                raise CameoError(
                    f"{self.root}: corpus {sorted(unknown)[0]!r} is not in this collection "
                    f"(it has: {', '.join(self.splits)})"
                )
        langs = set(language) if language else None
        emos = set(emotion) if emotion else None
        out: list[Clip] = []
        for split in self.splits:
            if wanted and split not in wanted:
                continue
            path = split_path(self.root, split)
            try:
                rows = pq.read_table(path, columns=_META_COLUMNS).to_pylist()
            except READ_ERRORS as exc:
                raise damaged(path, exc) from None
            for row, d in enumerate(rows):
                if langs and d["language"] not in langs:
                    continue
                if emos and d["emotion"] not in emos:
                    continue
                out.append(Clip(ClipRecord.from_dict(d), split, row))
        return out

    def sample(self, clips: list[Clip], n: int, seed: int = 0) -> list[Clip]:
        """A deterministic sample of ``n`` clips (all if fewer), kept in collection order."""
        if n >= len(clips):
            return list(clips)
        picked = sorted(random.Random(seed).sample(range(len(clips)), n))
        return [clips[i] for i in picked]

    def audio(self, clips: Iterable[Clip]) -> Iterator[tuple[Clip, np.ndarray]]:
        """Yield ``(clip, 16 kHz float32 mono samples)`` for ``clips``, in the given order.

        Only the parquet row groups holding the clips are read, one at a time (the last one read
        is kept until a clip of another row group is asked for), so memory stays at one row
        group of audio; clips in collection order read each row group once.
        """
        for clip, where, data in self.audio_bytes(clips):
            yield clip, decode_clip(where, clip.record.file_id, data)

    def audio_bytes(self, clips: Iterable[Clip]) -> Iterator[tuple[Clip, str, bytes]]:
        """Yield ``(clip, where, FLAC bytes)`` for ``clips`` in the given order, read as
        :meth:`audio` reads them; ``where`` (``file#row``) names the clip in errors. A clip
        without audio raises :class:`InputError`."""
        groups: dict[str, _RowGroups] = {}
        last: _RowGroups | None = None
        for c in clips:
            if c.split not in groups:
                groups[c.split] = _RowGroups(split_path(self.root, c.split))
            if last is not None and last is not groups[c.split]:
                last.loaded = None  # one row group of audio in memory, not one per split
            last = groups[c.split]
            data = last.audio_bytes(c.row)
            where = f"{groups[c.split].path}#{c.row}"
            if not data:
                raise InputError(where, f"the audio of {c.record.file_id} is missing")
            yield c, where, data


def decode_clip(where: str, file_id: str, data: bytes) -> np.ndarray:
    """The 16 kHz float32 mono samples of clip ``file_id``'s FLAC ``data`` (stored at
    ``where``); damaged audio, or audio at another rate, raises :class:`InputError`."""
    try:
        x, rate = decode_flac(data)
    except (RuntimeError, *READ_ERRORS) as exc:
        raise damaged(where, exc, f"FLAC audio ({file_id})") from None
    if rate != TARGET_SR:
        raise InputError(where, f"the audio of {file_id} is at {rate} Hz, "
                                f"not {TARGET_SR} Hz: not a CAMEO collection")
    return x


class _RowGroups:
    """Random access to the ``audio`` bytes of one split's parquet, one row group in memory."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.file = pq.ParquetFile(path)
        except READ_ERRORS as exc:
            raise damaged(path, exc) from None
        sizes = [self.file.metadata.row_group(i).num_rows
                 for i in range(self.file.num_row_groups)]
        self.starts = list(itertools.accumulate(sizes, initial=0))
        self.loaded: tuple[int, list[bytes | None] | None] | None = None

    def audio_bytes(self, row: int) -> bytes:
        group = bisect.bisect_right(self.starts, row) - 1
        if self.loaded is None or self.loaded[0] != group:
            try:
                audio = self.file.read_row_group(group, columns=["audio"])["audio"]
            except (KeyError, *READ_ERRORS) as exc:
                raise damaged(self.path, exc) from None
            # the group's bytes as Python objects in one conversion: ~3x cheaper than one
            # scalar conversion per row
            try:
                self.loaded = (group, audio.combine_chunks().field("bytes").to_pylist())
            except (KeyError, TypeError, AttributeError, *READ_ERRORS):
                self.loaded = (group, None)  # not a struct with bytes: named per row below
        try:
            rows = self.loaded[1]
            if rows is None:
                raise TypeError("the audio column holds no bytes")
            return rows[row - self.starts[group]]
        except (IndexError, TypeError) as exc:
            raise damaged(f"{self.path}#{row}", exc, "a row with audio bytes") from None


def open_collection(location: str | Path) -> Collection:
    """Open a collection: a built folder, or a Hub dataset ``hf://owner/name[@revision]``
    (``hf://`` alone is CAMEO at the pinned revision), fetched into the Hugging Face cache."""
    if is_hub_location(location):
        return Collection(fetch_hub(str(location)))
    return Collection(location)



def record_problem(record: ClipRecord) -> str | None:
    """What is wrong with ``record`` as untrusted metadata, e.g. ``"dataset: holds a
    bidirectional control character U+202E"``: a field that is not text (null allowed for
    transcription, speaker_id, gender and age) or text that a name (every field but the
    transcription) may not hold (:func:`~cameo_bench.untrusted.text_problem`); ``None`` when
    nothing is."""
    for name in _META_COLUMNS:
        value = getattr(record, name)
        if value is None and name in _NULLABLE:
            continue
        if not isinstance(value, str):
            return f"{name}: must be text, not {type(value).__name__}"
        problem = text_problem(value, free=name in _FREE_TEXT)
        if problem:
            return f"{name}: {problem}"
    return None


def read_metadata(path: str | Path) -> list[ClipRecord]:
    """The records of a ``metadata.jsonl`` (one JSON object per line, lines split only at
    ``\\n``, blank lines skipped), each line safe JSON
    (:func:`~cameo_bench.untrusted.load_json`) and its record passing :func:`record_problem`;
    otherwise :class:`InputError` naming ``path:line``."""
    records = []
    for n, line in read_lines(path):
        if not line.strip():
            continue
        try:
            obj = load_json(line, free_text=_FREE_TEXT)
        except UntrustedInput as exc:
            raise InputError(path, str(exc), line=n) from None
        if not isinstance(obj, dict):
            raise InputError(path, "not a metadata record (a JSON object)", line=n)
        record = ClipRecord.from_dict(obj)
        problem = record_problem(record)
        if problem:
            raise InputError(path, f"not a metadata record ({problem})", line=n)
        records.append(record)
    return records
