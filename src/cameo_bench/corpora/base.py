"""The interface every corpus adapter implements (one module per corpus, see the registry)."""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import ClassVar

from cameo_bench.records import Skipped, SourceClip
from cameo_bench.vocab import CorpusInfo, corpus_info

__all__ = ["Corpus", "undecodable", "find_dirs", "find_root"]


class Corpus(ABC):
    """An original corpus distribution, as downloaded and unpacked, under ``self.root``.

    Subclasses set the class constants and implement :meth:`detect` and :meth:`scan`.
    ``label_map`` maps every raw label of the corpus to a unified label (SPEC §1.4); a raw
    label missing from it is reported as skipped, never defaulted.
    """

    split: ClassVar[str]
    label_map: ClassVar[Mapping[str, str]]
    download: ClassVar[str]  # where a researcher gets it
    layout: ClassVar[str]  # the expected layout under the corpus root, one line
    #: The longest a clip of this corpus can plausibly be, in seconds: at least four times the
    #: longest clip of the real distribution. A longer one (a damaged header: a WAV claiming
    #: 1 Hz plays for hours) is dropped with the reason before it is decoded.
    max_seconds: ClassVar[float]

    def __init__(self, root: str | Path):
        self.root = Path(root)

    @classmethod
    def info(cls) -> CorpusInfo:
        """The corpus's facts from the vocabulary (name, language, license, labels, Table 1)."""
        return corpus_info(cls.split)

    @classmethod
    @abstractmethod
    def detect(cls, root: Path) -> Path | None:
        """Return the corpus root if this corpus's layout is found at or under ``root``."""

    @abstractmethod
    def scan(self) -> Iterator[SourceClip | Skipped]:
        """List every clip (sorted by origin) and every file or row left out with its reason."""

    def unify(self, raw: str) -> str | None:
        """The unified label of ``raw``, or None if the corpus's map does not know it."""
        return self.label_map.get(raw)

    def clip(self, origin: str, source, raw_label: str, **meta) -> SourceClip | Skipped:
        """A :class:`SourceClip` for ``origin``, or :class:`Skipped` if ``raw_label`` is unknown
        or a metadata value holds bytes that are not UTF-8 (metadata files are read with
        ``errors="surrogateescape"`` so one bad byte costs one clip, not the corpus)."""
        values = (("label", raw_label), *meta.items())
        if undecodable("".join(v for _, v in values if isinstance(v, str))):  # one test per clip
            name, bad = next((n, undecodable(v)) for n, v in values if undecodable(v))
            return Skipped(self.split, origin,
                           f"its metadata is not UTF-8: {name} holds the byte(s) {bad}")
        emotion = self.unify(raw_label)
        if emotion is None:
            return Skipped(self.split, origin, f"unknown label {raw_label!r}")
        return SourceClip(self.split, origin, source, raw_label, emotion, **meta)


def undecodable(value: object) -> str | None:
    """The bytes, as ``0xNN``, that a ``surrogateescape``-decoded string could not decode; None
    if it has none (or is not a string)."""
    if not isinstance(value, str) or value.isascii():
        return None
    try:
        value.encode("utf-8")
        return None
    except UnicodeEncodeError:
        return " ".join(f"0x{ord(c) - 0xDC00:02X}" for c in value if "\udc80" <= c <= "\udcff")


def _subfolders(folder: Path) -> list[Path]:
    """The folders directly in ``folder`` (links to folders too), not hidden, unsorted; none if
    it cannot be listed. Entries are typed from the listing, not one ``stat`` each."""
    found = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    if entry.is_dir() and not entry.name.startswith("."):
                        found.append(Path(entry.path))
                except OSError:  # a link loop or an unreadable target: not a folder to visit
                    continue
    except OSError:
        return []
    return found


def find_dirs(root: Path, predicate, max_depth: int = 3) -> list[Path]:
    """Folders at or under ``root`` (down to ``max_depth``) for which ``predicate(dir)`` holds,
    sorted, shallowest first. Used by :meth:`Corpus.detect` implementations."""
    found: list[Path] = []
    frontier = [root]
    for _ in range(max_depth + 1):
        nxt: list[Path] = []
        for d in sorted(frontier):
            try:
                matches = predicate(d)
            except OSError:  # an unreadable folder is not the corpus (the build reports it)
                matches = False
            if matches:
                found.append(d)
            nxt.extend(_subfolders(d))
        frontier = nxt
    return found


def find_root(root: Path, predicate, *, prefer=None, max_depth: int = 3) -> Path | None:
    """The first folder :func:`find_dirs` finds at or under ``root`` (shallowest first; among
    them, stably, those with the smallest ``prefer(dir)`` first), or None. The body of most
    :meth:`Corpus.detect` implementations."""
    found = find_dirs(Path(root), predicate, max_depth)
    if prefer is not None:
        found.sort(key=prefer)
    return found[0] if found else None
