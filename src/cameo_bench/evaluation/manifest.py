"""The run manifest (``run.json``): what ran, on what, with which settings, and how fast.

"On what" includes the collection's coverage (its clip count and the fingerprint of all its
clip ids, :mod:`cameo_bench.collection.coverage`): a folder's answers belong to one collection,
and :func:`check_collection` refuses to add answers on another.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from collections.abc import Sequence
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cameo_bench import __version__
from cameo_bench.collection.coverage import Coverage, coverage_of
from cameo_bench.collection.hub import is_hub_location, parse_hub_location
from cameo_bench.errors import CameoError, InputError
from cameo_bench.fileio import atomic_write

if TYPE_CHECKING:
    from cameo_bench.collection.reader import Clip, Collection
    from cameo_bench.evaluation.config import RunConfig

__all__ = [
    "MANIFEST", "now", "git_hash", "library_versions", "hardware", "read_manifest",
    "write_manifest", "deaf_warning", "RunManifest", "run_data", "check_collection",
]

#: The manifest's file name in a run folder (a shard's is ``run.shard-I-of-N.json``).
MANIFEST = "run.json"

_LIBRARIES = (
    "numpy", "pyarrow", "soundfile", "soxr", "torch", "transformers", "tokenizers", "accelerate",
    "vllm", "openai", "scikit-learn", "opensmile",
)


def now() -> str:
    """The current UTC time, ISO 8601 with seconds."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def git_hash() -> str | None:
    """The commit of the checkout this package runs from, or None outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "-C", str(Path(__file__).parent), "rev-parse", "HEAD"],
            capture_output=True, text=True, timeout=5, check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def library_versions() -> dict[str, str]:
    """Installed versions of the libraries that can change a run's answers or speed."""
    out = {"python": platform.python_version(), "cameo-bench": __version__}
    for name in _LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def hardware() -> dict[str, Any]:
    """The machine: platform, CPU count and, when torch is already loaded, the CUDA devices."""
    info: dict[str, Any] = {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "gpus": [],
    }
    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_available():
        info["gpus"] = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
    return info


def read_manifest(path: Path) -> dict[str, Any] | None:
    """The manifest at ``path``, or None when there is none."""
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(path, f"not valid JSON ({exc.msg}); delete it to start over") from None


def deaf_warning(run_dir: Path) -> str | None:
    """One line when the run.json of ``run_dir`` records controls
    (:mod:`~cameo_bench.evaluation.controls`) that found the run's answers independent of the
    audio (``hears_audio`` false), naming the folder and the controls' reason; None when the
    controls found that it hears, or none ran."""
    manifest = read_manifest(Path(run_dir) / MANIFEST) or {}
    controls = manifest.get("controls")
    if not isinstance(controls, dict) or controls.get("hears_audio") is not False:
        return None
    return (f"Run {run_dir} does not hear its audio: {controls.get('warning')} "
            "(run.json: controls); check how the audio reaches the model before trusting "
            "its numbers.")


def write_manifest(path: Path, manifest: dict[str, Any]) -> Path:
    """Write ``manifest`` atomically as indented JSON (strict: NaN or infinity is an error,
    never invalid JSON in the file)."""
    text = json.dumps(manifest, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    return atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def _summarize(sessions: list[dict[str, Any]]) -> dict[str, float | None]:
    clips = sum(s["throughput"]["clips"] for s in sessions)
    wall = sum(s["throughput"]["wall_seconds"] for s in sessions)
    audio = sum(s["throughput"]["audio_seconds"] for s in sessions)
    return {"clips_per_second": clips / wall if wall else None,
            "real_time_factor": wall / audio if audio else None}


class RunManifest:
    """``run.json`` (or a shard's ``run.shard-I-of-N.json``): the run's settings, data and one
    entry per session (a process that worked on the run), rewritten atomically at each change.

    A session still ``running`` when the manifest is opened never ended (its process was
    killed) and is marked ``killed``.
    """

    def __init__(self, path: Path):
        self.path = path
        self.data = read_manifest(path) or {}
        self.sessions = [{**s, "status": "killed"} if s["status"] == "running" else s
                         for s in self.data.pop("sessions", [])]
        self.data.pop("throughput", None)
        self.session: dict[str, Any] = {}

    @property
    def temperatures(self) -> list[float]:
        """Temperatures answered by earlier sessions."""
        return self.data.get("settings", {}).get("temperatures", [])

    def start(self, *, settings: dict[str, Any], data: dict[str, Any],
              session: dict[str, Any]) -> None:
        """Record this run's settings and data and open a session (with environment facts)."""
        self.data.update({"cameo_bench": {"version": __version__, "git": git_hash()},
                          "settings": settings, "data": data})
        self.session = {"start": now(), "end": None, "status": "running", **session,
                        "hardware": hardware(), "libraries": library_versions()}
        self.write()

    def finish(self, status: str, facts: dict[str, Any],
               earlier: Sequence[dict[str, Any]] = ()) -> None:
        """Close the session with ``status`` and ``facts``; ``earlier`` sessions (from merged
        shard manifests) go before this manifest's own."""
        self.session.update({"end": now(), "status": status, **facts})
        self.sessions = [*earlier, *self.sessions]
        self.write()

    def write(self) -> Path:
        """Write the manifest with its sessions and their overall throughput."""
        sessions = [*self.sessions, self.session] if self.session else self.sessions
        done = [s for s in sessions if "throughput" in s]
        return write_manifest(self.path, {**self.data, "sessions": sessions,
                                          "throughput": _summarize(done)})


def run_data(config: RunConfig, collection: Collection, clips: Sequence[Clip]) -> dict[str, Any]:
    """run.json's ``data``: where the collection is (location, Hub revision), its coverage
    (``collection``: clips, fingerprint of all its clip ids, per dataset) and the run's
    selection from it (corpus, limit, shard, and the number of ``clips`` selected)."""
    selected = not config.corpus and config.limit is None and config.shard is None
    every = clips if selected else collection.clips()
    location = str(config.data)
    return {"location": location,
            "revision": parse_hub_location(location)[1] if is_hub_location(location) else None,
            "collection": coverage_of((c.record.file_id, c.record.dataset)
                                      for c in every).to_dict(),
            "corpus": sorted(config.corpus), "limit": config.limit,
            "shard": config.shard.tag if config.shard else None, "clips": len(clips)}


def _short(fingerprint: str) -> str:
    return fingerprint[:19] + "…"


def check_collection(run_dir: Path, data: dict[str, Any]) -> None:
    """Refuse (one line) to add answers to ``run_dir`` when a manifest of it records another
    collection (another clip-id fingerprint) than ``data``'s; a folder made before manifests
    recorded the collection is accepted."""
    new = Coverage.from_dict(data["collection"])
    for path in sorted(run_dir.glob("run*.json")):
        old_data = (read_manifest(path) or {}).get("data", {})
        if "collection" not in old_data:
            continue
        old = Coverage.from_dict(old_data["collection"])
        if old.fingerprint != new.fingerprint:
            raise CameoError(
                f"{run_dir} holds answers on another collection ({old.describe()}, "
                f"{_short(old.fingerprint)} from {old_data.get('location')}); this run's "
                f"collection {data['location']} has {new.describe()} "
                f"({_short(new.fingerprint)}): use another --out"
            )
