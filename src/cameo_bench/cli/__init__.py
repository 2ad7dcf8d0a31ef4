"""The ``cameo`` command line. Each module here adds the commands of one concern to ``app``."""

import cameo_bench.cli.align  # noqa: F401  (registers `cameo align`)
from cameo_bench.cli.app import app, main, run

__all__ = ["app", "main", "run"]
