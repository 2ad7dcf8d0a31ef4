"""Domain errors survive pickling, so an error raised in a worker process reaches the parent as
itself (not as a bare BrokenProcessPool). Every class of the module is found by introspection:
a new error class is covered without touching this file."""

from __future__ import annotations

import inspect
import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor

import pytest

from cameo_bench import errors
from cameo_bench.errors import CameoError, UnknownNameError
from cameo_bench.prompts import get_prompt

ERROR_CLASSES = sorted(
    (cls for _, cls in inspect.getmembers(errors, inspect.isclass)
     if issubclass(cls, CameoError) and cls.__module__ == errors.__name__),
    key=lambda cls: cls.__name__,
)


def _example(cls: type[CameoError]) -> CameoError:
    """An instance of ``cls`` built from its constructor's required parameters."""
    try:
        params = list(inspect.signature(cls).parameters.values())
    except ValueError:  # Exception's own constructor: any message
        params = []
    required = [p for p in params if p.default is p.empty
                and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if not required:
        return cls(f"{cls.__name__} message")
    return cls(*(f"<{p.name}>" for p in required))


def test_introspection_finds_every_error_class():
    names = {cls.__name__ for cls in ERROR_CLASSES}
    assert set(errors.__all__) <= names
    assert {"CameoError", "InputError", "UnknownNameError", "MissingDependencyError"} <= names


@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=lambda cls: cls.__name__)
def test_every_error_round_trips_through_pickle(cls):
    error = _example(cls)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is cls
    assert str(copy) == str(error) and copy.args == error.args
    assert vars(copy) == vars(error)


def test_an_error_raised_in_a_worker_process_reaches_the_parent_as_itself():
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        future = pool.submit(get_prompt, "cameo-v0")
        with pytest.raises(UnknownNameError, match="Unknown prompt 'cameo-v0'.*'cameo-v1'"):
            future.result(timeout=120)
