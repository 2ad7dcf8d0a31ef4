"""Helpers shared by the demo and baseline tests: one small demo per test session, requests
built from a collection, and overall macro-F1 intervals of backends from the scorer."""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from cameo_bench.backends import Request
from cameo_bench.collection import open_collection
from cameo_bench.demo import DemoSize, generate_demo
from cameo_bench.prompts import get_prompt, offered_labels


def _session_dir(prefix: str) -> str:
    """A temporary folder removed when the test session's process exits."""
    path = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, path, True)
    return path


@functools.lru_cache(maxsize=1)
def small_demo() -> Path:
    """A small demo collection generated once per test session."""
    return generate_demo(Path(_session_dir("cameo-demo-")) / "demo", "small", workers=2)


@functools.lru_cache(maxsize=1)
def controls_demo() -> Path:
    """A demo of 48 English clips (4 voices, 2 sentences) generated once per test session: the
    smallest on which the eGeMAPS baseline answers well enough (accuracy ~0.7) for the controls'
    test to reach p < 0.01. On :func:`small_demo` (36 clips, 2 training voices per fold) it
    answers a third right, and 12 right answers of 36 can never give p < 0.01."""
    size = DemoSize("controls", voices=4, sentences=2, languages=("English",))
    return generate_demo(Path(_session_dir("cameo-demo-")) / "demo", size, workers=2)


@functools.lru_cache(maxsize=1)
def feature_cache() -> str:
    """One eGeMAPS feature cache folder per test session (clips are extracted once)."""
    return _session_dir("cameo-features-")


def requests_of(root: Path) -> list[Request]:
    """Every clip of the collection at ``root`` as a request with the paper's prompt."""
    collection = open_collection(root)
    prompt = get_prompt()
    out = []
    for clip, audio in collection.audio(collection.clips()):
        labels = offered_labels(clip.split)
        out.append(Request(clip.record, audio, prompt.render(labels), labels))
    return out


def overall_macro_f1(requests: list[Request], backends: list) -> dict[str, tuple]:
    """Run each backend on ``requests`` and score them together with the project's scorer:
    ``{model: (value, ci_low, ci_high)}`` of overall macro-F1, references (chance, majority)
    included."""
    from cameo_bench.backends import GenerationConfig
    from cameo_bench.evaluation.loop import to_predictions
    from cameo_bench.scores import score_predictions

    config, preds = GenerationConfig(), []
    for backend in backends:
        answers = backend.generate(requests, config)
        preds += to_predictions(requests, answers, backend, config, get_prompt())
    return {s.model: (s.value, s.ci_low, s.ci_high)
            for s in score_predictions(preds, n_resamples=300)
            if (s.scope, s.metric) == ("overall", "macro_f1")}
