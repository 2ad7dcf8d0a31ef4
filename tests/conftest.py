"""Shared test fixtures. Shared data (real corpora, layouts, reference results) is found through
the one ``shared`` fixture: ``$CAMEO_SHARED`` or the ``shared/`` folder beside the checkout."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _find_shared() -> Path:
    env = os.environ.get("CAMEO_SHARED")
    candidates = [Path(env)] if env else []
    candidates += [REPO.parent / "shared", REPO / "shared"]
    for c in candidates:
        if (c / "SPEC.md").is_file():
            return c
    raise RuntimeError(
        "cannot find the shared data folder (../shared beside the checkout); set CAMEO_SHARED"
    )


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared data folder (``SPEC.md``, ``corpora/``, ``layouts/``, ``reference/``)."""
    return _find_shared()


@pytest.fixture(scope="session")
def nemo_root(shared: Path) -> Path:
    """The real nEMO subset in its original layout."""
    return shared / "corpora" / "nemo"


@pytest.fixture(scope="session")
def layouts(shared: Path) -> Path:
    """Real inventories and metadata files of the other 12 corpora."""
    return shared / "layouts"


@pytest.fixture(scope="session")
def ray_cluster():
    """One local Ray instance for the whole suite (2 CPUs, no dashboard, loopback only): its
    address. Started on first use, so runs that need no Ray pay nothing."""
    from support.ray_cluster import local_ray

    with local_ray() as address:
        yield address
