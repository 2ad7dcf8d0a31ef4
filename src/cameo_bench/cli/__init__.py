"""The ``cameo`` command line. Each module here adds the commands of one concern to ``app``."""

from cameo_bench.cli import (  # noqa: F401  (importing a module registers its commands)
    align,
    collection,
    demo,
    evaluate,
    leaderboard,
    models,
    scoring,
)
from cameo_bench.cli.app import app, main, run

__all__ = ["app", "main", "run"]
