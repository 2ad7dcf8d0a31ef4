"""The prediction files of a run folder: crash-safe reading, resume bookkeeping, shard merging.

A run folder holds ``predictions.jsonl`` (an unsharded run) and/or
``predictions.shard-I-of-N.jsonl`` (one per shard, written in parallel). Rows are appended with
flush + fsync per batch; a kill during a write can leave only a torn last line, which is dropped
(the file is rewritten without it) the next time the folder is read. :func:`merge_run` folds every
file into one ``predictions.jsonl`` sorted by :func:`row_order`, so a run gives the same bytes
whether it ran whole, sharded, or was interrupted and resumed.

One writer at a time: :func:`lock_run_folder` holds an OS lock for a writer's life. An unsharded
run (which merges) excludes every other writer; shards of one run may write side by side, each
shard once.
"""

from __future__ import annotations

import errno
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from cameo_bench.errors import CameoError
from cameo_bench.fileio import atomic_write, exclusive_lock
from cameo_bench.predictions import parse_line, write_predictions
from cameo_bench.records import Prediction

_Row = TypeVar("_Row")

__all__ = [
    "PREDICTIONS",
    "LOCK",
    "Shard",
    "lock_run_folder",
    "cannot_write",
    "parse_shard",
    "predictions_path",
    "prediction_files",
    "load_rows",
    "load_run",
    "row_order",
    "merge_run",
]

PREDICTIONS = "predictions.jsonl"
#: The lock file of the run folder's unsharded writer; a shard's is ``.cameo-run.<tag>.lock``.
LOCK = ".cameo-run.lock"
_SHARD_FILE = re.compile(r"^predictions\.shard-(\d+)-of-(\d+)\.jsonl$")


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` of ``count``: owns the clips whose file_id hashes to ``index``."""

    index: int
    count: int

    def owns(self, file_id: str) -> bool:
        """Whether this shard answers clip ``file_id`` (stable across runs and machines)."""
        digest = hashlib.sha256(file_id.encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index

    @property
    def tag(self) -> str:
        """``shard-I-of-N``, used in file names."""
        return f"shard-{self.index}-of-{self.count}"


def parse_shard(text: str) -> Shard:
    """Parse ``"I/N"`` (0 ≤ I < N) into a :class:`Shard`."""
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not m or not 0 <= int(m[1]) < int(m[2]):
        raise CameoError(f"shard {text!r} is not I/N with 0 <= I < N (e.g. --shard 0/4)")
    return Shard(int(m[1]), int(m[2]))


def predictions_path(run_dir: Path, shard: Shard | None) -> Path:
    """The file a run (or one shard of it) appends to."""
    return run_dir / (PREDICTIONS if shard is None else f"predictions.{shard.tag}.jsonl")


def prediction_files(run_dir: Path) -> list[Path]:
    """Every predictions file of the run folder: the merged one first, then shards by name."""
    shards = sorted(
        p for p in run_dir.glob("predictions.shard-*.jsonl") if _SHARD_FILE.match(p.name)
    )
    main = run_dir / PREDICTIONS
    return ([main] if main.is_file() else []) + shards


def load_rows(path: Path, *, repair: bool = True,
              parse: Callable[[Path, int, str], _Row | None] = parse_line) -> list[_Row]:
    """Read one predictions file without a torn last line left by a kill mid-write.

    With ``repair`` the file is rewritten atomically with its complete lines only; a process
    repairs only the file it appends to (another shard may be writing the others). Each line
    goes through ``parse(path, line_number, text)`` (``None`` skips it): by default a line that
    is not JSON or breaks the schema (:func:`~cameo_bench.predictions.row_error`) raises
    :class:`InputError` naming the file and line.
    """
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        data = data[: data.rfind(b"\n") + 1]
        if repair:
            atomic_write(path, lambda tmp: Path(tmp).write_bytes(data))
    # only "\n" ends a line: str.splitlines() would split a model answer at U+2028 or U+0085
    lines = enumerate(data.decode("utf-8").split("\n")[:-1], start=1)
    return [p for n, line in lines if (p := parse(path, n, line)) is not None]


def load_run(run_dir: Path, own: Path | None = None) -> list[Prediction]:
    """All rows of all prediction files of ``run_dir``, in file order; only ``own`` (the file
    this process appends to) is repaired, the others are read as they stand."""
    return [p for f in prediction_files(run_dir) for p in load_rows(f, repair=f == own)]


def row_order(pred: Prediction) -> tuple:
    """The order of rows in a finished predictions file."""
    return (pred.model, pred.prompt_id, pred.temperature, pred.dataset, pred.file_id)


def _unique(rows: Iterable[Prediction]) -> list[Prediction]:
    """One row per key: the first answer, unless only a later one succeeded (a retried clip)."""
    seen: dict[tuple, Prediction] = {}
    for p in rows:
        if p.key not in seen or (seen[p.key].error is not None and p.error is None):
            seen[p.key] = p
    return sorted(seen.values(), key=row_order)


def merge_run(run_dir: str | Path) -> Path:
    """Fold every predictions file of ``run_dir`` into one sorted ``predictions.jsonl``.

    A row repeated across files (a clip answered by two shard layouts, or answered again after
    failing) is kept once: the first success, else the first failure. Run it only when no shard
    is writing. The merged file is written atomically before the shard files are removed, so a
    kill at any point loses nothing and a second merge gives the same bytes.
    """
    run_dir = Path(run_dir)
    files = prediction_files(run_dir)
    if not files:
        raise CameoError(f"{run_dir}: no predictions files to merge")
    rows = [p for f in files for p in load_rows(f, repair=False)]
    merged = write_predictions(run_dir / PREDICTIONS, _unique(rows))
    for f in files:
        if f != merged:
            f.unlink()
    return merged


def _shard_lock(run_dir: Path, shard: Shard) -> Path:
    return run_dir / f".cameo-run.{shard.tag}.lock"


#: Seconds an unsharded writer waits for a shard's lock before it is refused.
_UNSHARDED_CHECK_WAIT = 0.5
#: Seconds a shard waits for the unsharded writer's lock: longer than the unsharded writer's
#: own check, so a shard starting beside a refused unsharded writer is not refused too.
_SHARD_CHECK_WAIT = 3.0


@contextmanager
def lock_run_folder(run_dir: Path, shard: Shard | None = None) -> Iterator[None]:
    """Hold ``run_dir`` for one writer for the life of the block (an OS lock: released when the
    process ends, even by ``kill -9``); a second writer is refused within seconds with
    :class:`~cameo_bench.errors.BusyError` naming the holder (pid, host, command).

    An unsharded writer (it merges the shard files away) holds :data:`LOCK` and checks that no
    shard holds its lock; shard ``I/N`` holds its own lock and checks that no unsharded writer
    holds :data:`LOCK`. Each takes its own lock before checking the other's, so of two that
    start together at least one is refused; different shards work side by side. A check waits
    a moment for a lock held only by another's check (an unsharded writer refused because a
    shard runs must not take a starting shard down with it): the shard's check outwaits the
    unsharded writer's.
    """
    what = f"run folder {run_dir}"
    if shard is None:
        with exclusive_lock(run_dir / LOCK, what):
            for path in sorted(run_dir.glob(".cameo-run.shard-*.lock")):
                with exclusive_lock(path, f"{what} ({path.name[len('.cameo-run.'):-5]})",
                                    wait=_UNSHARDED_CHECK_WAIT):
                    pass
            yield
    else:
        with exclusive_lock(_shard_lock(run_dir, shard), f"{what} ({shard.tag})"):
            with exclusive_lock(run_dir / LOCK, what, wait=_SHARD_CHECK_WAIT):
                pass
            yield


#: What writing a run folder can meet that is no bug: a full disk or quota, a file too large, a
#: read-only or forbidden folder, a name too long.
_WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS, errno.EACCES,
                           errno.EPERM, errno.ENAMETOOLONG})


def cannot_write(exc: OSError, run_dir: Path) -> CameoError | None:
    """The one-line error for ``exc`` met while writing ``run_dir`` (None when ``exc`` is not
    one of a full disk, a read-only folder, a name too long...): nothing written is lost, and a
    rerun resumes once the cause is fixed."""
    if exc.errno not in _WRITE_ERRORS:
        return None
    where = exc.filename or run_dir
    return CameoError(f"{where}: cannot write the run folder ({exc.strerror}); rerun the same "
                      "command to resume once the cause is fixed")
