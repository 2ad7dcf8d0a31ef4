"""A local Ray instance for the tests: 2 CPUs, no dashboard, bound to the loopback address, its
workers importing this checkout's ``src`` and ``tests`` (so test backends load in them)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from support import REPO

__all__ = ["local_ray", "ray_env"]


def ray_env() -> dict[str, str]:
    """The environment of a process that runs a Ray driver or worker for the tests: this
    checkout first on the path, Ray kept on the loopback address."""
    path = [str(REPO / "src"), str(REPO / "tests"), os.environ.get("PYTHONPATH", "")]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in path if p),
            # a single-machine Ray: every address it binds and dials is 127.0.0.1, so the
            # drivers the tests start reach it without the cluster's token
            "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0", "RAY_AUTH_MODE": "disabled"}


@contextmanager
def local_ray(cpus: int = 2) -> Iterator[str]:
    """Start Ray with ``cpus`` CPUs in this process for the life of the block; yields the
    address other drivers (``-O ray_address=...``) connect to."""
    saved = dict(os.environ)
    os.environ.update(ray_env())  # read by Ray's import, inherited by the processes it starts
    try:
        import ray

        ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False,
                 _node_ip_address="127.0.0.1", logging_level="ERROR")
    finally:
        os.environ.clear()
        os.environ.update(saved)
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()
