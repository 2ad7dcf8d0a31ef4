"""The ``cameo`` command line. Each module here adds the commands of one concern to ``app``."""

from cameo_bench.cli.app import app, main, run

__all__ = ["app", "main", "run"]
from cameo_bench.cli import collection  # noqa: F401,E402  (registers corpora, build, stats)
