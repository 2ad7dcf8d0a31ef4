"""How much faster PAVOQUE's YAML loads when the phone segment lines are dropped first.

Baseline: PyYAML (libyaml's CSafeLoader when available) on the whole file, as a plain loader
would read it. Measured: ``cameo_bench.corpora.pavoque.load_rows`` on the same file. Both give
the same utterance rows (checked). Uses the real style files in ``../shared/layouts/pavoque``.

    PYTHONPATH=src python benchmarks/bench_pavoque_yaml.py [LAYOUTS_DIR]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import yaml

from cameo_bench.corpora.pavoque import load_rows

KEYS = ("prompt", "text", "style", "start", "end")


def best_of(fn, repeat: int = 3) -> float:
    """The fastest of ``repeat`` timed calls, in seconds."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else (
        Path(__file__).resolve().parents[2] / "shared" / "layouts" / "pavoque")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    total_base = total_ours = 0.0
    for style in ("angry", "happy", "poker", "sad"):
        path = folder / f"pavoque-{style}.yaml"
        plain = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        ours = load_rows(path)
        assert [{k: r[k] for k in KEYS} for r in plain] == [{k: r[k] for k in KEYS} for r in ours]
        base = best_of(lambda p=path: yaml.load(p.read_text(encoding="utf-8"), Loader=loader))
        fast = best_of(lambda p=path: load_rows(p))
        total_base, total_ours = total_base + base, total_ours + fast
        print(f"{style:6s} {len(ours):4d} rows  plain {base:6.3f} s  ours {fast:6.3f} s  "
              f"x{base / fast:5.1f}")
    print(f"all    plain {total_base:.3f} s  ours {total_ours:.3f} s  "
          f"speed-up x{total_base / total_ours:.1f} ({loader.__name__})")


if __name__ == "__main__":
    main()
