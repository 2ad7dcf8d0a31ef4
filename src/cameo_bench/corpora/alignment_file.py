"""The alignment file of sentence-list corpora: which listed sentence each clip speaks.

``alignment.tsv`` (columns :data:`COLUMNS`, one row per clip, UTF-8, tab-separated) is written by
``cameo align`` (:mod:`cameo_bench.align`, the speech recognizer) beside a corpus, reviewed by a
person, and read by the corpus's adapter (Oréau): a corrected ``sentence`` column is what the
collection uses. This module is only the file format, so adapters need no recognizer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass
from pathlib import Path

from cameo_bench.errors import InputError
from cameo_bench.fileio import append_synced, atomic_write

__all__ = [
    "ALIGNMENT_FILE", "COLUMNS", "Alignment", "append_alignment", "read_alignment",
    "write_alignment",
]

ALIGNMENT_FILE = "alignment.tsv"
COLUMNS = ("origin", "sentence_index", "sentence", "cer", "hypothesis", "recognizer")


@dataclass(frozen=True)
class Alignment:
    """One clip's alignment: the recognizer's hypothesis and the closest listed sentence
    (``sentence_index`` counts from 1 in the list)."""

    origin: str
    sentence_index: int
    sentence: str
    cer: float
    hypothesis: str
    recognizer: str


def _cell(value: object) -> str:
    text = f"{value:.4f}" if isinstance(value, float) else str(value)
    return " ".join(text.split()) if any(c in text for c in "\t\r\n") else text


def _lines(alignments: Iterable[Alignment]) -> str:
    return "".join("\t".join(_cell(v) for v in astuple(a)) + "\n" for a in alignments)


def write_alignment(path: str | Path, alignments: Iterable[Alignment]) -> Path:
    """Write an alignment TSV atomically, header first, rows sorted by origin."""
    text = "\t".join(COLUMNS) + "\n" + _lines(sorted(alignments, key=lambda a: a.origin))
    return atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def append_alignment(path: str | Path, alignments: Sequence[Alignment]) -> None:
    """Append rows (and the header if the file is new), then flush and fsync."""
    path = Path(path)
    header = "" if path.is_file() and path.stat().st_size else "\t".join(COLUMNS) + "\n"
    append_synced(path, header + _lines(alignments))


def read_alignment(path: str | Path) -> dict[str, Alignment]:
    """origin → :class:`Alignment` from an alignment TSV; a malformed line raises
    :class:`InputError` naming the file and line."""
    path = Path(path)
    # only "\n" ends a line: str.splitlines() would also split inside a cell at U+2028, U+0085
    lines = [line.removesuffix("\r") for line in path.read_text(encoding="utf-8").split("\n")]
    if lines and not lines[-1]:
        lines.pop()
    if not lines or tuple(lines[0].split("\t")) != COLUMNS:
        raise InputError(path, f"expected the header {' '.join(COLUMNS)} "
                               "(write this file with `cameo align`)", line=1)
    out: dict[str, Alignment] = {}
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        try:
            origin, index, sentence, cer, hypothesis, recognizer = cells
            out[origin] = Alignment(origin, int(index), sentence, float(cer), hypothesis,
                                    recognizer)
        except ValueError:
            raise InputError(path, f"expected {len(COLUMNS)} tab-separated cells "
                                   f"({', '.join(COLUMNS)}), got {line!r}", line=number) from None
    return out
