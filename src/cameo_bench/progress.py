"""Progress of long work (build, evaluate, features, demo, align), for people and for logs.

On a terminal it is a rich progress bar (description, bar, done/total, elapsed, time left). Without
one (nohup, SLURM, CI logs) it is a plain line every ``interval`` seconds and one at the end, e.g.
``evaluating qwen2-audio: 1,234/41,265 (3.0%), 20.5/s, 33m 30s left``, so a long job is never
silent. Every long-running command reports through :func:`progress`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console

__all__ = ["Tracker", "progress"]

#: Seconds between plain progress lines when there is no terminal.
PLAIN_INTERVAL = 10.0


class Tracker:
    """What a progress display offers the work: :meth:`advance` and :meth:`update`."""

    def __init__(self, total: int | None, label: str, emit: Callable[[Tracker, bool], None],
                 interval: float, clock: Callable[[], float]):
        self.total, self.label, self.done = total, label, 0
        self._emit, self._interval, self._clock = emit, interval, clock
        self.started = self._last = clock()

    def advance(self, n: int = 1, label: str | None = None) -> None:
        """Count ``n`` more finished items (and optionally change the label)."""
        self.update(completed=self.done + n, label=label)

    def update(self, *, completed: int | None = None, total: int | None = None,
               label: str | None = None) -> None:
        """Set the finished count, the total or the label."""
        if completed is not None:
            self.done = completed
        if total is not None:
            self.total = total
        if label is not None:
            self.label = label
        now = self._clock()
        if now - self._last >= self._interval:
            self._last = now
            self._emit(self, False)

    def line(self) -> str:
        """``label: done/total (pct), rate/s, time left`` (the parts that are known)."""
        elapsed = max(self._clock() - self.started, 1e-9)
        rate = self.done / elapsed
        parts = [f"{self.done:,}/{self.total:,}" if self.total else f"{self.done:,}"]
        if self.total:
            parts[0] += f" ({100 * self.done / self.total:.1f}%)"
        parts.append(f"{rate:,.1f}/s")
        if self.total and rate > 0 and self.done < self.total:
            parts.append(f"{_duration((self.total - self.done) / rate)} left")
        elif self.total and self.done >= self.total:
            parts.append(f"done in {_duration(elapsed)}")
        return f"{self.label}: " + ", ".join(parts)


def _duration(seconds: float) -> str:
    s = int(round(seconds))
    h, m, s = s // 3600, s % 3600 // 60, s % 60
    return f"{h}h {m:02d}m" if h else f"{m}m {s:02d}s" if m else f"{s}s"


@contextmanager
def progress(total: int | None, label: str, *, console: Console | None = None,
             enabled: bool = True, interval: float = PLAIN_INTERVAL,
             clock: Callable[[], float] = time.monotonic) -> Iterator[Tracker]:
    """Show the progress of ``total`` items (None: unknown) on ``console`` (default stderr):
    a transient rich bar on a terminal, else a plain line every ``interval`` seconds and one
    when the block ends. ``enabled=False`` shows nothing (the tracker still counts)."""
    console = console or Console(stderr=True)
    if not enabled:
        yield Tracker(total, label, lambda t, final: None, float("inf"), clock)
        return
    if not console.is_terminal:
        def emit(tracker: Tracker, final: bool) -> None:
            console.print(tracker.line(), highlight=False, markup=False, soft_wrap=True)

        tracker = Tracker(total, label, emit, interval, clock)
        try:
            yield tracker
        finally:
            emit(tracker, True)
        return

    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(label, total=total)

        def draw(tracker: Tracker, final: bool) -> None:
            bar.update(task, completed=tracker.done, total=tracker.total,
                       description=tracker.label)

        tracker = Tracker(total, label, draw, 0.0, clock)
        yield tracker
