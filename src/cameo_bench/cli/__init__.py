"""The ``cameo`` command line. Each module here adds the commands of one concern to ``app``."""

from cameo_bench.cli import demo as _demo  # noqa: F401  (registers `cameo demo`)
from cameo_bench.cli import scoring  # noqa: F401  (registers score, compare, parse)
from cameo_bench.cli.app import app, main, run

__all__ = ["app", "main", "run"]
