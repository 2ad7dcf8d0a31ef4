"""`cameo build` on a full-size nEMO tree against the floor, both measured in the same run.

Input: a synthetic tree in nEMO's layout with the real nEMO's size (4,481 clips of 24 kHz WAV,
~3 h of audio; generated once by ``fullsize.nemo_tree`` and cached). Both sides run as fresh
processes from start to exit, interleaved, ``--repeat`` times each (medians reported):

- floor: decode + downmix + soxr (VHQ) + to 16-bit + FLAC encode of every file with the
  libraries called directly (soundfile, soxr, numpy), in a plain loop split over ``--jobs``
  forked processes (no scan, no hashing, no cache, no parquet, no report);
- build: ``cameo build ROOT --out OUT --corpus nemo --jobs N`` into an empty folder.

Goals (issue 15): the build within 1.2x the floor's wall time and at >= 2,000x real time.

    PYTHONPATH=src python benchmarks/bench_build.py [--jobs 2] [--repeat 3] [--clips 4481]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fullsize import NEMO_CLIPS, default_cache, nemo_tree  # noqa: E402

GOAL_RATIO = 1.2
GOAL_REAL_TIME = 2000

FLOOR = """
import io, os, sys
from pathlib import Path
import numpy as np, soundfile as sf, soxr
jobs, files = int(sys.argv[1]), sorted(Path(sys.argv[2]).glob("*.wav"))
children = []
for k in range(jobs):
    pid = os.fork()
    if pid == 0:
        for f in files[k::jobs]:
            x, rate = sf.read(f, dtype="float32", always_2d=True)
            y = soxr.resample(x.mean(axis=1), rate, 16000, quality="VHQ")
            pcm = np.clip(np.rint(y * 32768.0), -32768, 32767).astype("<i2")
            sf.write(io.BytesIO(), pcm, 16000, format="FLAC", subtype="PCM_16")
        os._exit(0)
    children.append(pid)
for pid in children:
    os.waitpid(pid, 0)
"""

BUILD = "import sys; from cameo_bench.cli.app import main; sys.exit(main())"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(argv: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of the process ``argv`` (and its children) from start to exit."""
    wall, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode:
        raise SystemExit(f"{argv[2:4]} failed:\n{done.stderr}")
    return time.perf_counter() - wall, _children_cpu() - cpu


def floor(samples: Path, jobs: int) -> tuple[float, float]:
    """The floor: convert every WAV under ``samples`` in a plain loop over ``jobs`` processes."""
    return timed([sys.executable, "-c", FLOOR, str(jobs), str(samples)])


def build(root: Path, jobs: int) -> tuple[float, float]:
    """``cameo build`` of the nEMO tree under ``root`` into a fresh folder."""
    out = Path(tempfile.mkdtemp(prefix="bench_build_")) / "collection"
    try:
        return timed([sys.executable, "-c", BUILD, "build", str(root), "--out", str(out),
                      "--corpus", "nemo", "--jobs", str(jobs)])
    finally:
        shutil.rmtree(out.parent)


def main() -> int:
    """Print the build's and the floor's medians, × real time, and their ratio; exit 1 when a
    goal is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--clips", type=int, default=NEMO_CLIPS)
    parser.add_argument("--cache", type=Path, default=None,
                        help="where the synthetic tree is cached (default: fullsize's cache)")
    args = parser.parse_args()
    root = nemo_tree(args.cache or default_cache(), args.clips)
    samples = root / "nEMO" / "samples"
    audio_s = sum(sf.info(f).duration for f in samples.glob("*.wav"))
    print(f"synthetic nEMO tree: {args.clips} clips, {audio_s / 3600:.2f} h of 24 kHz audio; "
          f"{os.cpu_count()} cores, --jobs {args.jobs}, median of {args.repeat}; "
          f"load average {os.getloadavg()[0]:.2f} before")
    floors, builds = [], []
    for _ in range(args.repeat):  # interleaved: both see the same machine load
        floors.append(floor(samples, args.jobs))
        builds.append(build(root, args.jobs))
    f_wall, b_wall = (statistics.median(w for w, _ in runs) for runs in (floors, builds))
    f_cpu, b_cpu = (statistics.median(c for _, c in runs) for runs in (floors, builds))
    for name, wall, cpu, runs in (("floor (plain loop)", f_wall, f_cpu, floors),
                                  (f"cameo build -j {args.jobs}", b_wall, b_cpu, builds)):
        each = ", ".join(f"{w:.2f}" for w, _ in runs)
        print(f"{name:<20} {wall:6.2f} s wall ({each}) {audio_s / wall:7.0f}x real time, "
              f"{cpu:6.2f} CPU s")
    ratio = b_wall / f_wall
    print(f"build / floor: {ratio:.2f}x wall (goal <= {GOAL_RATIO}), "
          f"{b_cpu / f_cpu:.2f}x CPU; build at {audio_s / b_wall:.0f}x real time "
          f"(goal >= {GOAL_REAL_TIME})")
    return 0 if ratio <= GOAL_RATIO and audio_s / b_wall >= GOAL_REAL_TIME else 1


if __name__ == "__main__":
    sys.exit(main())
