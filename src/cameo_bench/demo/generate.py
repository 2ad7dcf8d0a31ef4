"""Generate the built-in demo collection on first use, offline and deterministically.

The demo is written in exactly the collection format (parquet per split, ``metadata.jsonl``, a
card) into ``$CAMEO_DEMO_DIR`` or ``<user cache>/demo-v<version>-<size>`` (see
:func:`cameo_bench.paths.user_cache_dir`). Each split is synthesized in a fresh worker process
(eSpeak NG carries state between calls), so the bytes do not depend on the worker count.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from cameo_bench.audio import encode_flac, pcm_file_id, resample, to_pcm16
from cameo_bench.collection.format import write_metadata, write_split
from cameo_bench.demo.card import demo_card
from cameo_bench.demo.espeak import synthesize_batch
from cameo_bench.demo.spec import DEMO_VERSION, SIZES, DemoClip, DemoSize, plan
from cameo_bench.errors import CameoError, UnknownNameError
from cameo_bench.fileio import atomic_write
from cameo_bench.records import ClipRecord

__all__ = [
    "demo_dir", "demo_size", "ensure_demo", "generate_demo", "is_complete", "MANIFEST",
]

#: Written last: its presence (with the right version and size) marks a complete demo.
MANIFEST = "demo.json"


def demo_size(size: str | DemoSize) -> DemoSize:
    """The :class:`DemoSize` named ``size`` (``full``, ``small``); unknown names raise."""
    if isinstance(size, DemoSize):
        return size
    if size not in SIZES:
        raise UnknownNameError("demo size", size, SIZES)
    return SIZES[size]


def demo_dir(size: str | DemoSize = "full") -> Path:
    """Where the demo of ``size`` lives: ``$CAMEO_DEMO_DIR`` or the user cache."""
    from cameo_bench.paths import user_cache_dir

    if os.environ.get("CAMEO_DEMO_DIR"):
        return Path(os.environ["CAMEO_DEMO_DIR"])
    return user_cache_dir() / f"demo-v{DEMO_VERSION}-{demo_size(size).name}"


def _render_split(clips: list[DemoClip]) -> list[tuple[ClipRecord, bytes]]:
    """Synthesize one split's clips (in a fresh process) into records and 16 kHz FLAC bytes."""
    waves, rate = synthesize_batch([c.job for c in clips])
    rows = []
    for clip, wave in zip(clips, waves, strict=True):
        pcm = to_pcm16(resample(wave.astype("float32") / 32768.0, rate))
        rows.append((clip.record(pcm_file_id(pcm)), encode_flac(pcm)))
    return rows


def _manifest(size: DemoSize) -> dict:
    """What the demo's bytes depend on: another synthesizer version regenerates it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        synthesizer = f"espeakng-loader {version('espeakng-loader')}"
    except PackageNotFoundError:
        synthesizer = "espeakng-loader (not installed)"
    return {"demo_version": DEMO_VERSION, "size": size.name, "voices": size.voices,
            "sentences": size.sentences, "languages": list(size.languages),
            "synthesizer": synthesizer, "synthetic": True}


def generate_demo(
    root: str | Path,
    size: str | DemoSize = "full",
    *,
    workers: int | None = None,
    on_split: Callable[[str], None] | None = None,
) -> Path:
    """Synthesize the demo of ``size`` into folder ``root`` (replaced atomically when complete).

    ``workers`` processes render splits in parallel (default: CPU count); ``on_split(split)``
    is called as each split finishes (for a progress bar). Returns ``root``.
    """
    size, root = demo_size(size), Path(root)
    plans = plan(size)
    tmp = root.with_name(f".{root.name}.partial-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    records: list[ClipRecord] = []
    n = max(1, min(workers or os.cpu_count() or 1, len(plans)))
    # spawn + one task per child: every split starts from a fresh eSpeak NG state.
    with multiprocessing.get_context("spawn").Pool(n, maxtasksperchild=1) as pool:
        results = {s: pool.apply_async(_render_split, (clips,)) for s, clips in plans.items()}
        for split, result in results.items():
            rows = result.get()
            ids = [r.file_id for r, _ in rows]
            if len(set(ids)) != len(ids):
                raise CameoError(f"demo split {split}: two clips synthesized to identical audio")
            write_split(tmp, split, rows)
            records.extend(r for r, _ in rows)
            if on_split:
                on_split(split)
    write_metadata(tmp, records)
    atomic_write(tmp / "README.md",
                 lambda p: Path(p).write_text(demo_card(size, records), encoding="utf-8"))
    manifest = json.dumps(_manifest(size), indent=2) + "\n"
    atomic_write(tmp / MANIFEST, lambda p: Path(p).write_text(manifest, encoding="utf-8"))
    shutil.rmtree(root, ignore_errors=True)
    root.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, root)
    return root


def is_complete(root: Path, size: DemoSize) -> bool:
    """Whether ``root`` holds a finished demo of this version and ``size``."""
    try:
        return json.loads((root / MANIFEST).read_text(encoding="utf-8")) == _manifest(size)
    except (OSError, ValueError):
        return False


def ensure_demo(
    size: str | DemoSize = "full",
    *,
    root: str | Path | None = None,
    workers: int | None = None,
    on_split: Callable[[str], None] | None = None,
) -> Path:
    """Return the folder of a complete demo collection of ``size``, generating it first if it is
    missing, incomplete or of another version. ``root`` overrides :func:`demo_dir`."""
    size = demo_size(size)
    root = Path(root) if root is not None else demo_dir(size)
    if not is_complete(root, size):
        generate_demo(root, size, workers=workers, on_split=on_split)
    return root
