"""Golden files: rendered output compared byte for byte with a file checked in under
``tests/golden/``.

After an intended change of the output, regenerate with::

    CAMEO_UPDATE_GOLDEN=1 python -m pytest tests/test_report.py tests/test_html_report.py

With the variable set, :func:`check_golden` rewrites the file and then fails the test, so a
regeneration never passes silently: review ``git diff tests/golden`` and run again without it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cameo_bench.predictions import read_predictions
from cameo_bench.records import Prediction

#: The folder of golden files and their inputs.
GOLDEN = Path(__file__).resolve().parents[1] / "golden"
#: The environment variable that rewrites golden files (see the module docstring).
UPDATE_VAR = "CAMEO_UPDATE_GOLDEN"
#: The scorer's settings for the goldens: those of ``cameo score``.
RESAMPLES, SEED = 1000, 0


def golden_predictions() -> list[Prediction]:
    """The fixed input: two runs (T=0, T=0.7) of one model on ten clips each of CaFE, nEMO and
    RAVDESS, answers already parsed, a few unparsed."""
    return read_predictions(GOLDEN / "predictions.jsonl")


def check_golden(name: str, text: str) -> None:
    """Assert ``text`` equals ``tests/golden/<name>`` byte for byte (UTF-8, ``\\n`` line ends);
    with ``CAMEO_UPDATE_GOLDEN=1``, rewrite the file and fail."""
    path = GOLDEN / name
    data = text.encode("utf-8")
    if os.environ.get(UPDATE_VAR) == "1":
        path.write_bytes(data)
        pytest.fail(f"rewrote {path} ({UPDATE_VAR}=1): review the diff, then run without it")
    assert path.is_file(), f"no golden file {path}; create it with {UPDATE_VAR}=1"
    assert data == path.read_bytes(), (
        f"output differs from {path}; if the change is intended, regenerate with {UPDATE_VAR}=1")
