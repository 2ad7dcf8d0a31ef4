"""Hugging Face Space entry point: the CAMEO leaderboard (tables, details, submission form) over
the results store in ``$CAMEO_RESULTS`` (default ``results/`` beside this file; put it on the
Space's persistent storage, e.g. ``/data/results``, to keep submissions across restarts). Without
a store the Space shows the paper's reported rows only and no submission form. Create the store
once with ``cameo leaderboard submit PRED --meta META --results results --collection DIR``."""

import os
from pathlib import Path

from cameo_bench.leaderboard.app import build_app
from cameo_bench.leaderboard.validate import DEFAULT_LIMITS

results = Path(os.environ.get("CAMEO_RESULTS", Path(__file__).with_name("results")))
demo = build_app(results if (results / "collection.json").is_file() else None)

if __name__ == "__main__":
    demo.launch(max_file_size=DEFAULT_LIMITS.max_bytes)
