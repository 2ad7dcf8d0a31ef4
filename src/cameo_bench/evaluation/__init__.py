"""Evaluating a model on the collection: model specs, the resumable runner, shards, batching."""

from cameo_bench.evaluation.run_folder import Shard, merge_run, parse_shard
from cameo_bench.evaluation.runner import MAX_NEW_TOKENS, RunResult, evaluate, load_backend
from cameo_bench.evaluation.specs import ALIASES, ModelSpec, parse_model_spec

__all__ = [
    "ALIASES",
    "MAX_NEW_TOKENS",
    "ModelSpec",
    "RunResult",
    "Shard",
    "evaluate",
    "load_backend",
    "merge_run",
    "parse_model_spec",
    "parse_shard",
]
