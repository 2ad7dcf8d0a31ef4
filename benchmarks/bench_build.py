"""Build throughput in × real time on the real nEMO subset, against a plain sequential loop.

The baseline, measured in the same run on the same clips: decode, downmix, resample to 16 kHz
and encode FLAC one file after another in this process (no pool, no cache, no parquet). The
build: ``build_collection`` from scratch (scan, process pool, shard cache, parquet, metadata,
card, report), in-process and with ``--jobs`` workers. Real time is the duration of the original
audio.

    PYTHONPATH=src python benchmarks/bench_build.py [--jobs N] [--repeat R] [--shared DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

import soundfile as sf

from cameo_bench.audio import convert, encode_flac
from cameo_bench.builder import build_collection
from cameo_bench.records import AudioSource


def _shared(arg: str | None) -> Path:
    here = Path(__file__).resolve().parents[1]
    for c in filter(None, [arg, os.environ.get("CAMEO_SHARED"), here.parent / "shared"]):
        if (Path(c) / "corpora" / "nemo" / "data.tsv").is_file():
            return Path(c)
    raise SystemExit("cannot find shared/corpora/nemo; pass --shared DIR")


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the build's workers)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def sequential(files: list[Path]) -> tuple[float, float]:
    """(wall, CPU) seconds to convert and FLAC-encode ``files`` one after another."""
    wall, cpu = time.perf_counter(), _cpu()
    for f in files:
        encode_flac(convert(AudioSource(f)).pcm)
    return time.perf_counter() - wall, _cpu() - cpu


def built(root: Path, jobs: int) -> tuple[float, float]:
    """(wall, CPU) seconds for a from-scratch ``build_collection`` of nEMO under ``root``."""
    out = Path(tempfile.mkdtemp(prefix="bench_build_"))
    try:
        wall, cpu = time.perf_counter(), _cpu()
        build_collection(root, out, corpora=["nemo"], jobs=jobs)
        return time.perf_counter() - wall, _cpu() - cpu
    finally:
        shutil.rmtree(out)


def main() -> None:
    """Print the throughput of both, best of ``--repeat`` runs each, and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--shared")
    args = parser.parse_args()
    nemo = _shared(args.shared) / "corpora" / "nemo"
    files = sorted((nemo / "samples").glob("*.wav"))
    audio_s = sum(sf.info(f).duration for f in files)
    load = os.getloadavg()[0]
    print(f"nEMO subset: {len(files)} clips, {audio_s:.1f} s of audio; "
          f"{os.cpu_count()} cores, build with --jobs {args.jobs}; best of {args.repeat}")
    seq, one, par = [], [], []
    for _ in range(args.repeat):  # interleaved, so all see the same machine load
        seq.append(sequential(files))
        one.append(built(nemo.parent, 1))
        par.append(built(nemo.parent, args.jobs))
    (seq, seq_cpu), (one, one_cpu), (par, par_cpu) = min(seq), min(one), min(par)
    print(f"load average before the runs: {load:.2f} (the machine is shared)")
    print(f"sequential loop (decode+resample+FLAC): {seq:5.2f} s wall {audio_s / seq:6.0f}x "
          f"real time; {seq_cpu:5.2f} CPU s")
    print(f"cameo build (--jobs 1):              {one:5.2f} s wall {audio_s / one:6.0f}x "
          f"real time; {one_cpu:5.2f} CPU s")
    print(f"cameo build (--jobs {args.jobs}):              {par:5.2f} s wall {audio_s / par:6.0f}x "
          f"real time; {par_cpu:5.2f} CPU s (all processes)")
    print(f"speed-up of the build over the loop: {seq / par:.2f}x wall; "
          f"of --jobs {args.jobs} over --jobs 1: {one / par:.2f}x")


if __name__ == "__main__":
    main()
