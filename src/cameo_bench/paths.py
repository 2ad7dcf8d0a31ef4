"""Where cameo-bench keeps files of its own: the user cache (demo collection, feature caches)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["user_cache_dir"]


def user_cache_dir() -> Path:
    """``$CAMEO_CACHE_DIR``, else ``$XDG_CACHE_HOME/cameo-bench``, else ``~/.cache/cameo-bench``.

    The folder is not created here; writers create what they need below it.
    """
    if os.environ.get("CAMEO_CACHE_DIR"):
        return Path(os.environ["CAMEO_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "cameo-bench"
