"""The typer application object; command modules in this package attach their commands to it."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from cameo_bench import __version__
from cameo_bench.errors import CameoError

__all__ = ["app", "console", "err_console", "run"]

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


@app.callback()
def _root() -> None:
    """CAMEO: build, evaluate, score and compare speech emotion recognition on 13 corpora."""


@app.command()
def version() -> None:
    """Print the cameo-bench version."""
    console.print(__version__)


def run(argv: list[str] | None = None) -> int:
    """Run the CLI on ``argv`` and return its exit code; domain errors become one line on stderr
    and exit code 2 (usage errors keep click's code 2, Ctrl-C gives 130)."""
    try:
        app(args=argv, prog_name="cameo", standalone_mode=False)
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
    return 0


def main() -> None:
    """Console entry point (``cameo``)."""
    sys.exit(run())
