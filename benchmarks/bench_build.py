"""Build throughput in × real time on the real nEMO subset, against a plain sequential loop.

The baseline, measured in the same run on the same clips: decode, downmix, resample to 16 kHz
and encode FLAC one file after another in this process (no pool, no cache, no parquet). The
build: ``build_collection`` from scratch (scan, process pool, shard cache, parquet, metadata,
card, report). Real time is the duration of the original audio.

    PYTHONPATH=src python benchmarks/bench_build.py [--jobs N] [--repeat R] [--shared DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

import soundfile as sf

from cameo_bench.audio import encode_flac, normalize
from cameo_bench.build import build_collection
from cameo_bench.records import AudioSource


def _shared(arg: str | None) -> Path:
    here = Path(__file__).resolve().parents[1]
    for c in filter(None, [arg, os.environ.get("CAMEO_SHARED"), here.parent / "shared"]):
        if (Path(c) / "corpora" / "nemo" / "data.tsv").is_file():
            return Path(c)
    raise SystemExit("cannot find shared/corpora/nemo; pass --shared DIR")


def sequential(files: list[Path]) -> float:
    """Seconds to normalize and FLAC-encode ``files`` one after another."""
    start = time.perf_counter()
    for f in files:
        encode_flac(normalize(AudioSource(f)).pcm)
    return time.perf_counter() - start


def built(root: Path, jobs: int) -> float:
    """Seconds for a from-scratch ``build_collection`` of nEMO under ``root``."""
    out = Path(tempfile.mkdtemp(prefix="bench_build_"))
    try:
        start = time.perf_counter()
        build_collection(root, out, corpora=["nemo"], jobs=jobs)
        return time.perf_counter() - start
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
    print(f"nEMO subset: {len(files)} clips, {audio_s:.1f} s of audio; "
          f"{os.cpu_count()} cores, build with --jobs {args.jobs}; best of {args.repeat}")
    seq, par = [], []
    for _ in range(args.repeat):  # interleaved, so both see the same machine load
        seq.append(sequential(files))
        par.append(built(nemo.parent, args.jobs))
    seq, par = min(seq), min(par)
    print(f"sequential loop (decode+resample+FLAC): {seq:6.2f} s  {audio_s / seq:7.0f}x real time")
    print(f"cameo build (--jobs {args.jobs}):              {par:6.2f} s  "
          f"{audio_s / par:7.0f}x real time")
    print(f"speed-up of the build over the loop: {seq / par:.2f}x")


if __name__ == "__main__":
    main()
