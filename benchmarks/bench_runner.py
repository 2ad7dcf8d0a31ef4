"""Runner overhead: clips/s through decode + prompt + batching + cache write with an instant model.

Setup converts the nEMO subset in ../shared (446 WAVs) to a collection with the foundation's
audio.normalize + write_split. Baseline, measured in the same run: decoding the same clips alone
(Collection.audio). The runner must stay far above a GPU's pace: target >= 1,000 clips/s.

    PYTHONPATH=src python benchmarks/bench_runner.py [--repeats 7] [--batch-size 32]
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

from cameo_bench.audio import convert, encode_flac
from cameo_bench.collection import open_collection, write_split
from cameo_bench.evaluation import RunConfig, evaluate
from cameo_bench.records import AudioSource, ClipRecord
from cameo_bench.vocab import corpus_info

SHARED_NEMO = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "nemo"
TARGET_CLIPS_PER_SECOND = 1_000


def build_nemo_collection(nemo: Path, root: Path) -> int:
    """Normalize the nEMO subset into a one-split collection under ``root``; the clip count."""
    info = corpus_info("nemo")
    rows = []
    with open(nemo / "data.tsv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            wav = nemo / "samples" / row["file_id"]
            if not wav.is_file():
                continue
            audio = convert(AudioSource(wav))
            emotion = {"surprised": "surprise"}.get(row["emotion"], row["emotion"])
            record = ClipRecord(audio.file_id, emotion, row["raw_text"],
                                f"nemo_{row['speaker_id'].strip()}", row["gender"], row["age"],
                                info.name, info.language, info.license)
            rows.append((record, encode_flac(audio.pcm)))
    write_split(root, "nemo", rows)
    return len(rows)


def time_decode(root: Path) -> float:
    """Seconds to decode every clip of the collection (the baseline)."""
    collection = open_collection(root)
    start = time.perf_counter()
    clips = collection.clips()
    for _ in collection.audio(clips):
        pass
    return time.perf_counter() - start


def time_runner(root: Path, out: Path, batch_size: int) -> float:
    """Seconds for a whole ``evaluate`` run with the instant random model into a new folder."""
    start = time.perf_counter()
    result = evaluate(RunConfig("random", root, batch_size=batch_size), out)
    elapsed = time.perf_counter() - start
    assert result.complete and result.cached == 0
    return elapsed


def main(argv: list[str] | None = None) -> int:
    """Build the collection, time both, print clips/s and the ratio; exit 1 below target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--nemo", type=Path, default=SHARED_NEMO)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "collection"
        n = build_nemo_collection(args.nemo, root)
        decodes, runs = [], []
        for i in range(args.repeats):  # interleaved, so machine load hits both alike
            decodes.append(time_decode(root))
            runs.append(time_runner(root, Path(tmp) / f"run{i}", args.batch_size))
        decode, runner = min(decodes), min(runs)
    print(f"clips: {n} (nEMO subset), batch size {args.batch_size}, best of {args.repeats}")
    print(f"decode only (baseline): {n / decode:8.0f} clips/s  ({decode * 1000:.0f} ms)")
    print(f"runner, instant model:  {n / runner:8.0f} clips/s  ({runner * 1000:.0f} ms)")
    print(f"runner / decode time: {runner / decode:.2f}x; "
          f"runner overhead beyond decoding: {(runner - decode) / n * 1e6:.0f} us/clip")
    ok = n / runner >= TARGET_CLIPS_PER_SECOND
    print(f"target >= {TARGET_CLIPS_PER_SECOND} clips/s: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
