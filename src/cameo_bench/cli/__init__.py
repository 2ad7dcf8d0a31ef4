"""The ``cameo`` command line. Each module here adds the commands of one concern to ``app``."""

from cameo_bench.cli import evaluate as _evaluate  # noqa: F401  (registers `cameo evaluate`)
from cameo_bench.cli.app import app, main, run

__all__ = ["app", "main", "run"]
