"""The typer application object; command modules in this package attach their commands to it."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from cameo_bench import __version__
from cameo_bench.errors import CameoError
from cameo_bench.evaluation.config import CONTROL_SAMPLE

__all__ = ["app", "console", "err_console", "run", "collector_paused"]

app = typer.Typer(
    name="cameo",
    help="CAMEO: build the multilingual emotional speech collection, evaluate audio models on "
    "it, score them with confidence intervals, and publish a leaderboard.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused (then restored), for a command that reads and
    scores a predictions file: its rows hold no reference cycles, and the collector's passes
    over 41,265 of them cost a tenth of ``cameo score``."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@app.callback()
def _root() -> None:
    """CAMEO: build, evaluate, score and compare speech emotion recognition on 13 corpora."""


@app.command()
def version() -> None:
    """Print the cameo-bench version."""
    console.print(__version__)


#: Options whose value may be left out, per command (typer has no such option): the value used
#: when the next argument is not a whole number.
_OPTIONAL_VALUES: dict[str, dict[str, str]] = {"evaluate": {"--controls": str(CONTROL_SAMPLE)}}


def _with_optional_values(argv: list[str]) -> list[str]:
    """``argv`` with the value of each option of :data:`_OPTIONAL_VALUES` filled in where it
    was left out (``--controls`` → ``--controls 200``; ``--controls 50`` stays)."""
    table = _OPTIONAL_VALUES.get(argv[0], {}) if argv else {}
    out: list[str] = []
    for i, arg in enumerate(argv):
        out.append(arg)
        if arg == "--":
            return out + argv[i + 1:]
        if arg in table:
            following = argv[i + 1] if i + 1 < len(argv) else ""
            if not following.removeprefix("-").isdigit():
                out.append(table[arg])
    return out


def run(argv: list[str] | None = None) -> int:
    """Run the CLI on ``argv`` and return its exit code: 0 done; 2 a domain error or a usage
    error (one line on stderr); 1 an operating-system error no command turned into a domain
    error (one line naming the file); 130 interrupted (Ctrl-C), so that ``cameo evaluate ... &&
    cameo score ...`` never goes on with a partial run. A command that stops early says how to
    resume and exits with ``typer.Exit(130)``, whose code typer returns rather than raises."""
    try:
        code = app(args=_with_optional_values(sys.argv[1:] if argv is None else list(argv)),
                   prog_name="cameo", standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        err_console.print("interrupted")
        return 130
    except CameoError as exc:
        err_console.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        return 2
    except typer.TyperException as exc:  # click's usage errors (typer vendors click)
        exc.show()
        return exc.exit_code
    except OSError as exc:  # a full disk or a read-only folder where no command expected one
        where = f"{exc.filename}: " if exc.filename else ""
        err_console.print(f"error: {where}{exc.strerror or exc}", markup=False,
                          highlight=False, soft_wrap=True)
        return 1
    return code if isinstance(code, int) else 0


def main() -> None:
    """Console entry point (``cameo``)."""
    sys.exit(run())
