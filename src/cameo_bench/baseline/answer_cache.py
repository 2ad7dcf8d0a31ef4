"""The answers of a cross-validated baseline, computed once per (clips, settings) and cached.

A baseline's answers depend on every clip it trains on. A resumed run (after a torn line) or
one shard of a run still lacks only some clips, so it must not retrain on those: it reads the
answers that the whole run's clips give, which the first run to need them computed and stored.

File: ``<folder>/<key>.json`` = ``{"key", "clips": [file_id, ...], "answers": [...],
"notes": [...]}`` with clips in ``file_id`` order. The key is the sha256 of the backend's
settings and, per clip, what training reads of it (``file_id``, dataset, emotion, speaker,
transcription, offered labels), so a relabelled clip or another option is another key. Files
are written atomically and checked when read (anything else is computed again); one process at
a time computes a key (an OS lock), the others wait for its file.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from cameo_bench.errors import BusyError
from cameo_bench.fileio import atomic_write, exclusive_lock
from cameo_bench.records import ClipRecord

__all__ = ["AnswerCache", "answers_key"]

#: Bump when the way answers are computed from the same clips and settings changes.
FORMAT = 1
#: Seconds between two looks at the stop event while another process holds a key.
_WAIT = 0.5


def answers_key(settings: Mapping[str, Any], records: Sequence[ClipRecord],
                labels: Sequence[Sequence[str]]) -> str:
    """The cache key of the answers to ``records`` (offered ``labels``) under ``settings``."""
    h = hashlib.sha256(json.dumps({"format": FORMAT, **settings}, sort_keys=True).encode())
    rows = sorted(json.dumps([r.file_id, r.dataset, r.emotion, r.speaker_id, r.transcription,
                              list(ls)], ensure_ascii=False)
                  for r, ls in zip(records, labels, strict=True))
    for row in rows:
        h.update(b"\n" + row.encode())
    return h.hexdigest()


class AnswerCache:
    """Answers files under ``folder`` (see the module docstring)."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    @contextmanager
    def computing(self, key: str, stop: threading.Event | None = None) -> Iterator[bool]:
        """Hold the lock of ``key`` for the block (yields True); while another process holds
        it, wait, unless ``stop`` is set first (yields False: the caller gives up)."""
        with ExitStack() as held:
            while True:
                try:
                    held.enter_context(exclusive_lock(self.folder / f"{key}.lock",
                                                      f"baseline answers {key[:12]}",
                                                      wait=_WAIT))
                    break
                except BusyError:
                    if stop is not None and stop.is_set():
                        yield False
                        return
            yield True

    def read(self, key: str, file_ids: Sequence[str]) -> tuple[list[str], list[str]] | None:
        """The answers to the clips ``file_ids`` (in that order) and the notes stored under
        ``key``, or None when there is no complete, well-formed file for exactly these clips."""
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            stored, answers, notes = data["clips"], data["answers"], data["notes"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if (data.get("key") != key or not isinstance(stored, list) or not isinstance(answers, list)
                or len(stored) != len(answers) or sorted(file_ids) != stored
                or not all(isinstance(a, str) for a in answers)
                or not isinstance(notes, list) or not all(isinstance(n, str) for n in notes)):
            return None
        by_id = dict(zip(stored, answers, strict=True))
        return [by_id[f] for f in file_ids], notes

    def write(self, key: str, file_ids: Sequence[str], answers: Sequence[str],
              notes: Sequence[str]) -> None:
        """Store ``answers`` (one per clip of ``file_ids``) and ``notes`` under ``key``."""
        order = sorted(range(len(file_ids)), key=lambda i: file_ids[i])
        data = {"key": key, "clips": [file_ids[i] for i in order],
                "answers": [answers[i] for i in order], "notes": list(notes)}

        def write(tmp: Path) -> None:
            tmp.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")

        atomic_write(self._path(key), write)
