"""progress: a bar on a terminal, plain lines every few seconds without one."""

from __future__ import annotations

import io

from rich.console import Console

from cameo_bench.progress import progress


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _plain() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=False, width=200), out


def test_without_a_terminal_a_line_every_interval_and_one_at_the_end():
    console, out = _plain()
    clock = Clock()
    with progress(1000, "evaluating m", console=console, interval=10, clock=clock) as t:
        for _ in range(100):  # 100 items over 25 s
            clock.now += 0.25
            t.advance(1)
    assert out.getvalue().splitlines() == [  # at 10 and 20 s, then the final line
        "evaluating m: 40/1,000 (4.0%), 4.0/s, 4m 00s left",
        "evaluating m: 80/1,000 (8.0%), 4.0/s, 3m 50s left",
        "evaluating m: 100/1,000 (10.0%), 4.0/s, 3m 45s left",
    ]


def test_a_finished_job_says_how_long_it_took_and_an_unknown_total_counts():
    console, out = _plain()
    clock = Clock()
    with progress(None, "aligning oreau", console=console, clock=clock) as t:
        clock.now = 4
        t.update(completed=8, total=8)
    assert out.getvalue() == "aligning oreau: 8/8 (100.0%), 2.0/s, done in 4s\n"
    console, out = _plain()
    with progress(None, "x", console=console, clock=clock) as t:
        clock.now = 8
        t.advance(2)
    assert out.getvalue() == "x: 2, 0.5/s\n"


def test_disabled_shows_nothing_but_counts():
    console, out = _plain()
    with progress(10, "x", console=console, enabled=False, interval=0) as t:
        t.advance(3)
    assert (t.done, out.getvalue()) == (3, "")


def test_on_a_terminal_it_is_a_bar():
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100)
    with progress(5, "converting", console=console) as t:
        t.advance(5)
    drawn = out.getvalue()
    assert "\x1b[" in drawn and "converting" in drawn and "5/5" in drawn
    assert "/s" not in drawn  # the bar, not the plain lines
