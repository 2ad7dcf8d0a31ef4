"""The run manifest (``run.json``): what ran, on what, with which settings, and how fast."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from cameo_bench import __version__
from cameo_bench.collection.format import atomic_write
from cameo_bench.errors import InputError

__all__ = ["now", "git_hash", "library_versions", "hardware", "read_manifest", "write_manifest"]

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


def write_manifest(path: Path, manifest: dict[str, Any]) -> Path:
    """Write ``manifest`` atomically as indented JSON."""
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    return atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
