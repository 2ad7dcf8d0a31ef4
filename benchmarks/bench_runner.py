"""`cameo evaluate` with instant models on the full-size collection, beside a bare decode floor.

Input: the synthetic collection of CAMEO's size (41,265 clips, 41.7 h; ``fullsize.
full_collection``, generated once and cached; ``--scale 0.1`` for a smaller one with the same
proportions). Each measurement is a fresh process (its own peak RSS), interleaved, ``--repeat``
times (medians); times are of the work itself, from opening the collection to the last row:

- floor: every clip's FLAC bytes read from the parquet files and decoded in a plain loop, one
  thread (``Collection.audio``): what any run of a model that hears audio must do;
- ``random``: the runner with the instant random model, which needs no audio (nothing is
  decoded), at one temperature (clips/s) and at three (rows/s);
- ``instant-hearing``: the runner with an instant model that takes every clip's audio, so the
  runner decodes all of it, as for a real model (its decoding runs ahead in threads).

Goals (issue 15): ``random`` >= 2,000 clips/s and >= 2,000 rows/s at three temperatures; the
runner with a hearing model no slower than the floor on an idle machine (wall ratio <= 1.0: its
decoding runs on the other cores) and adding at most 20% to the floor's CPU time (CPU ratio <=
1.2: the one goal that sets the exit code, since load on a shared machine moves wall times but
hardly CPU times); peak RSS flat in the collection size.

    PYTHONPATH=src python benchmarks/bench_runner.py [--repeat 3] [--scale 1.0]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cameo_bench.backends.base import Backend, GenerationConfig, Request  # noqa: E402
from fullsize import add_collection_options, collection_of  # noqa: E402

GOAL_CLIPS_PER_SECOND = 2_000
GOAL_RATIO = 1.0
GOAL_CPU_RATIO = 1.2
HERE = Path(__file__).resolve().parent

#: Printed last by every measured process: its work's seconds and rows, its CPU seconds (all
#: threads) and peak RSS.
_REPORT = """
import resource
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": seconds, "rows": rows, "cpu": usage.ru_utime + usage.ru_stime,
                  "rss_mb": usage.ru_maxrss / 1024}))
"""

FLOOR = """
import json, sys, time
from cameo_bench.collection import open_collection
start = time.perf_counter()
collection = open_collection(sys.argv[1])
rows = sum(1 for _ in collection.audio(collection.clips()))
seconds = time.perf_counter() - start
""" + _REPORT

RUNNER = """
import json, sys, time
from cameo_bench.backends import BACKENDS
from cameo_bench.evaluation import RunConfig, evaluate
BACKENDS.register("instant-hearing", "bench_runner:create_hearing")
root, out, model, temps = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
start = time.perf_counter()
result = evaluate(RunConfig(model, root, temperatures=temps), out)
seconds, rows = time.perf_counter() - start, result.answered
assert result.complete and result.cached == 0
""" + _REPORT


class InstantHearing(Backend):
    """An instant model that takes each clip's audio: answers with the offered label its audio's
    length picks (so the runner must decode every clip, as for a real model)."""

    model_id, revision = "instant-hearing", "1"

    def generate(self, requests: Sequence[Request], config: GenerationConfig) -> list[str]:
        """One label per request, chosen by the length of its audio."""
        return [r.labels[len(r.audio) % len(r.labels)] for r in requests]


def create_hearing(model: str = "instant-hearing") -> InstantHearing:
    """The ``instant-hearing`` backend (registered by the benchmark's runner processes)."""
    return InstantHearing()


def measure(code: str, args: list[str]) -> dict[str, float]:
    """Run ``python -c code args``; what it reports (seconds, rows, CPU seconds, peak RSS)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(HERE), *[p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]])}
    done = subprocess.run([sys.executable, "-c", code, *args], env=env, text=True,
                          capture_output=True)
    if done.returncode:
        raise SystemExit(f"{args[2:3] or 'floor'} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Print each side's median clips/s (rows/s), CPU seconds and peak RSS, and the ratios of
    the hearing runner to the floor; exit 1 when the CPU ratio misses its goal."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_collection_options(parser)
    args = parser.parse_args(argv)
    root = str(collection_of(args))
    sides = {
        "floor: read + decode, 1 thread": (FLOOR, []),
        "random, T=0": (RUNNER, ["random", "[0.0]"]),
        "random, T=0, 0.3, 0.7": (RUNNER, ["random", "[0.0, 0.3, 0.7]"]),
        "instant-hearing, T=0": (RUNNER, ["instant-hearing", "[0.0]"]),
    }
    print(f"collection: {root}; {os.cpu_count()} cores, median of {args.repeat}; "
          f"load average {os.getloadavg()[0]:.2f} before")
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in sides}
    with tempfile.TemporaryDirectory(prefix="bench_runner_") as tmp:
        for k in range(args.repeat):  # interleaved: every side sees the same machine load
            for name, (code, extra) in sides.items():
                out = [str(Path(tmp) / f"{k}-{len(runs[name])}-{hash(name)}")] if extra else []
                runs[name].append(measure(code, [root, *out, *extra]))
    medians = {}
    for name, results in runs.items():
        seconds = statistics.median(r["seconds"] for r in results)
        rows = results[0]["rows"]
        cpu = statistics.median(r["cpu"] for r in results)
        rss = max(r["rss_mb"] for r in results)
        medians[name] = seconds
        each = ", ".join(f"{r['seconds']:.1f}" for r in results)
        print(f"{name:<32} {rows / seconds:7.0f} rows/s  {seconds:6.1f} s ({each})  "
              f"{cpu:6.1f} CPU s  peak RSS {rss:5.0f} MB")
    floor = medians["floor: read + decode, 1 thread"]
    ratio = medians["instant-hearing, T=0"] / floor
    cpu_ratio = (statistics.median(r["cpu"] for r in runs["instant-hearing, T=0"])
                 / statistics.median(r["cpu"] for r in runs["floor: read + decode, 1 thread"]))
    n = runs["random, T=0"][0]["rows"]
    print(f"random: {n / medians['random, T=0']:.0f} clips/s, "
          f"{3 * n / medians['random, T=0, 0.3, 0.7']:.0f} rows/s at 3 temperatures "
          f"(goal >= {GOAL_CLIPS_PER_SECOND})")
    print(f"runner with a hearing model / decode floor: {ratio:.2f}x wall (goal <= "
          f"{GOAL_RATIO} on an idle machine), {cpu_ratio:.2f}x CPU (goal <= {GOAL_CPU_RATIO})")
    return 0 if cpu_ratio <= GOAL_CPU_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
