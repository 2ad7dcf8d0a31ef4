"""The CPU baselines at full size: seconds and peak memory of ``cameo evaluate`` against openSMILE
alone, measured in the same run.

Inputs: the full-size synthetic collection of ``fullsize.py`` (41,265 clips; generated once and
cached). By default its ``nemo`` split (4,481 clips, nEMO's size and durations):

- floor: openSMILE's own extraction (one ``Smile`` call per clip, the call the baseline's
  workers make) over the same clips in 2 processes, each decoding its half first (untimed);
- ``egemaps-logreg`` cold (empty feature cache) from process start to exit: wall and CPU
  seconds (every process of the run: start-up, reading and decoding, openSMILE, training), its
  ratio to the floor (goal: <= 1.2x in CPU, which the load of a shared machine moves least; the
  script exits 1 when missed) and its peak RSS (the evaluating process; its largest feature
  worker, sampled from /proc);
- ``egemaps-logreg`` with the features cached but not the answers (training), and warm (both
  cached, a new run folder); ``majority``.

``--full``: the whole collection through ``majority`` and ``egemaps-logreg`` (cold, then warm),
each under 1 GB peak RSS (goal). The cold egemaps run extracts 41.7 hours of audio (~25 min on
2 cores); ``--features DIR`` keeps those features for a later warm run.

    PYTHONPATH=src python benchmarks/bench_baselines.py [--repeat 3] [--full [--features DIR]]

``--scale`` and ``--cache`` choose the synthetic collection as in the other full-size
benchmarks (``fullsize.add_collection_options``).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fullsize import add_collection_options, collection_of  # noqa: E402

GOAL_RATIO = 1.2
GOAL_RSS_MB = 1024
WORKERS = 2
#: Runs ``evaluate`` in a fresh process and prints its own peak RSS in MB.
_CHILD = """
import json, resource, sys
from cameo_bench.evaluation import RunConfig, evaluate
model, data, out, cache, corpus, workers = sys.argv[1:7]
options = {"progress": False, "workers": workers, "cache_dir": cache} \\
    if model == "egemaps-logreg" else {}
result = evaluate(RunConfig(model, data, corpus=[corpus] if corpus else (), options=options), out)
assert result.complete, result
print(json.dumps({"self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


@dataclass(frozen=True)
class Run:
    """One measured side: wall seconds, CPU seconds (user + system, every process it used) and
    peak RSS in MB (the main process; ``workers``: its largest feature worker, 0 when none)."""

    seconds: float
    cpu: float
    rss: float = 0.0
    workers: float = 0.0

    def __str__(self) -> str:
        worker = f" (largest worker {self.workers:.0f} MB)" if self.workers else ""
        memory = f", peak RSS {self.rss:.0f} MB{worker}" if self.rss else ""
        return f"{self.seconds:7.1f} s, {self.cpu:7.1f} CPU s{memory}"


def _opensmile_share(root: str, corpus: str, share: int, barrier, results) -> None:
    """One floor process: decode clips ``share::2`` (untimed), then time openSMILE on them."""
    import opensmile

    from cameo_bench.audio import TARGET_SR
    from cameo_bench.collection import open_collection

    collection = open_collection(root)
    clips = collection.clips(corpus=[corpus] if corpus else None)[share::WORKERS]
    audio = [x for _, x in collection.audio(clips)]
    smile = opensmile.Smile(feature_set=opensmile.FeatureSet.eGeMAPSv02,
                            feature_level=opensmile.FeatureLevel.Functionals)
    barrier.wait()
    start, cpu = time.perf_counter(), time.process_time()
    for x in audio:
        smile(x, TARGET_SR)
    results.put((time.perf_counter() - start, time.process_time() - cpu, len(clips),
                 sum(len(x) for x in audio) / TARGET_SR))


def floor_run(root: Path, corpus: str) -> tuple[Run, int, float]:
    """openSMILE alone over the clips in 2 processes: wall seconds (the slower one's) and CPU
    seconds (both), the clips and their audio hours."""
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(WORKERS), ctx.Queue()
    procs = [ctx.Process(target=_opensmile_share, args=(str(root), corpus, k, barrier, results))
             for k in range(WORKERS)]
    for p in procs:
        p.start()
    shares = [results.get() for _ in procs]
    for p in procs:
        p.join()
    run = Run(max(s[0] for s in shares), sum(s[1] for s in shares))
    print(f"  openSMILE alone: {run}", file=sys.stderr)
    return run, sum(s[2] for s in shares), sum(s[3] for s in shares) / 3600


def _worker_peaks(pid: int) -> dict[int, float]:
    """Peak RSS (VmHWM, MB) of each multiprocessing worker below process ``pid``."""
    peaks = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines())
            cmdline = (status.parent / "cmdline").read_bytes()
        except (OSError, ValueError):
            continue
        if int(fields.get("PPid", 0)) == pid and b"spawn_main" in cmdline \
                and b"resource_tracker" not in cmdline and "VmHWM" in fields:
            peaks[int(status.parent.name)] = int(fields["VmHWM"].split()[0]) / 1024
    return peaks


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_evaluate(model: str, root: Path, out: Path, cache: Path, corpus: str) -> Run:
    """One ``evaluate`` run in a fresh process, from its start to its exit; its CPU counts its
    feature workers (they are reaped by it before it exits)."""
    start, cpu = time.perf_counter(), _children_cpu()
    proc = subprocess.Popen([sys.executable, "-c", _CHILD, model, str(root), str(out),
                             str(cache), corpus, str(WORKERS)], stdout=subprocess.PIPE, text=True)
    workers: dict[int, float] = {}
    while proc.poll() is None:
        workers |= _worker_peaks(proc.pid)
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    assert proc.returncode == 0, f"{model} run failed"
    run = Run(seconds, _children_cpu() - cpu,
              json.loads(proc.stdout.read().strip().splitlines()[-1])["self"],
              max(workers.values(), default=0.0))
    print(f"  {model} -> {out.name}: {run}", file=sys.stderr)
    return run


def _median(runs: list[Run]) -> Run:
    """The median of each figure (memory: the largest)."""
    return Run(statistics.median(r.seconds for r in runs), statistics.median(r.cpu for r in runs),
               max(r.rss for r in runs), max(r.workers for r in runs))


def nemo_size(root: Path, repeats: int) -> bool:
    """The nEMO-size comparison; True when the cold run is within the goal ratio (CPU)."""
    floors, colds, trains, warms, majority = [], [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(repeats):  # interleaved, so machine load hits both alike
            floor, clips, hours = floor_run(root, "nemo")
            floors.append(floor)
            cache = Path(tmp) / f"cache{i}"
            colds.append(run_evaluate("egemaps-logreg", root, Path(tmp) / f"cold{i}", cache,
                                      "nemo"))
            for answers in (cache / "answers").glob("*.json"):
                answers.unlink()
            trains.append(run_evaluate("egemaps-logreg", root, Path(tmp) / f"train{i}", cache,
                                       "nemo"))
            warms.append(run_evaluate("egemaps-logreg", root, Path(tmp) / f"warm{i}", cache,
                                      "nemo"))
            majority.append(run_evaluate("majority", root, Path(tmp) / f"maj{i}", cache, "nemo"))
    floor, cold = _median(floors), _median(colds)
    print(f"clips: {clips} (nemo split of {root.name}), {hours:.2f} h of audio, {WORKERS} "
          f"processes, median of {repeats}; load average {os.getloadavg()[0]:.2f} after")
    print(f"openSMILE alone (floor):          {floor}  ({hours * 3600 / floor.seconds:.0f}x "
          "real time)")
    print(f"egemaps-logreg, cold:             {cold}")
    print(f"  ratio to the floor: {cold.seconds / floor.seconds:.2f}x wall, "
          f"{cold.cpu / floor.cpu:.2f}x CPU")
    print(f"egemaps-logreg, features cached:  {_median(trains)}")
    print(f"egemaps-logreg, answers cached:   {_median(warms)}")
    print(f"majority:                         {_median(majority)}")
    ok = cold.cpu / floor.cpu <= GOAL_RATIO
    print(f"goal cold <= {GOAL_RATIO}x openSMILE alone (CPU, which load moves least): "
          f"{'met' if ok else 'NOT met'}")
    return ok


def full_size(root: Path, cache: Path | None) -> bool:
    """The whole collection through majority and egemaps-logreg; True when all stay < 1 GB."""
    from cameo_bench.collection import open_collection

    print(f"clips: {len(open_collection(root).clips()):,} (the whole collection {root.name})")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        features = cache or Path(tmp) / "cache"
        for k, (label, model) in enumerate((("majority", "majority"),
                                            ("egemaps-logreg, first run", "egemaps-logreg"),
                                            ("egemaps-logreg, again", "egemaps-logreg"))):
            run = run_evaluate(model, root, Path(tmp) / f"run{k}", features, "")
            print(f"{label + ':':33s}{run}", flush=True)
            ok &= max(run.rss, run.workers) < GOAL_RSS_MB
    print(f"goal peak RSS < {GOAL_RSS_MB} MB: {'met' if ok else 'NOT met'}")
    return ok


def main(argv: list[str] | None = None) -> int:
    """Measure and print; exit 1 when a goal is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_collection_options(parser)
    parser.add_argument("--full", action="store_true", help="the whole collection")
    parser.add_argument("--features", type=Path, help="feature cache for --full (kept)")
    args = parser.parse_args(argv)
    root = collection_of(args)
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f} before")
    ok = full_size(root, args.features) if args.full else nemo_size(root, args.repeat)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
