"""Evaluating a model on the collection: run configs, model specs, the resumable runner, shards,
batching.

The names below are imported from their modules on first use, so importing the package (or its
light :mod:`~cameo_bench.evaluation.config`, as the CLI does at start-up) loads no runner.
"""

from __future__ import annotations

from cameo_bench.registry import lazy_attributes

__all__ = [
    "ALIASES",
    "ModelSpec",
    "RunConfig",
    "RunResult",
    "Shard",
    "evaluate",
    "load_backend",
    "merge_run",
    "parse_model_spec",
    "parse_shard",
]

#: public name → the module of this package that defines it, imported on first use
__getattr__ = lazy_attributes(__name__, {
    "ALIASES": "specs", "ModelSpec": "specs", "parse_model_spec": "specs",
    "RunConfig": "config",
    "RunResult": "runner", "evaluate": "runner", "load_backend": "runner",
    "Shard": "run_folder", "merge_run": "run_folder", "parse_shard": "run_folder",
})
