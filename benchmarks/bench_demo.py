"""Wall time of the out-of-the-box run: ``cameo evaluate`` with no model and no data generates
the synthetic demo, runs ``egemaps-logreg`` on it by speaker-independent cross-validation and
prints the score tables.

Runs it twice in a fresh cache (``CAMEO_CACHE_DIR`` = a temporary folder): cold (demo
generation, feature extraction, cross-validation, scoring: what a first-time user waits) and
warm (everything cached: the run folder is complete). Prints both wall times, the cold run's
ratio to the 60 s target and the warm/cold ratio.

    PYTHONPATH=src python benchmarks/bench_demo.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

TARGET_S = 60.0


def _run(env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "cameo_bench", "evaluate"], env=env,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"cameo evaluate failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return seconds


def main() -> None:
    """Time a cold and a warm default ``cameo evaluate`` and print the ratios."""
    with tempfile.TemporaryDirectory(prefix="cameo-bench-demo-") as cache:
        env = {**os.environ, "CAMEO_CACHE_DIR": cache, "HF_HUB_OFFLINE": "1"}
        env.pop("CAMEO_DEMO_DIR", None)
        cold = _run(env)
        warm = _run(env)
    print(f"cold (generate demo + features + CV + scores): {cold:6.1f} s   "
          f"ratio to the {TARGET_S:.0f} s target: {cold / TARGET_S:.2f}")
    print(f"warm (all cached):                             {warm:6.1f} s   "
          f"ratio warm/cold: {warm / cold:.2f}")


if __name__ == "__main__":
    main()
