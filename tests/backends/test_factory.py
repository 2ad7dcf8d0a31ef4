"""Backend options are the factory's typed keyword parameters: one check, one conversion, one
error that names what the backend takes."""

from __future__ import annotations

import pytest

from cameo_bench.backends import BACKENDS
from cameo_bench.backends.factory import accepted_options, bind_options, default_model
from cameo_bench.errors import CameoError


def _create(model: str, *, folds: int = 5, C: float = 1.0, progress: bool = True,
            cache_dir: str | None = None, dtype: str = "auto"):
    """A factory with one option of each kind the backends use."""


def test_values_are_converted_to_the_annotated_types():
    given = {"folds": "3", "C": 2, "progress": "false", "cache_dir": None, "dtype": "bfloat16"}
    assert bind_options("toy", _create, given) == {
        "folds": 3, "C": 2.0, "progress": False, "cache_dir": None, "dtype": "bfloat16"}
    assert bind_options("toy", _create, {"folds": 4.0, "progress": "on", "cache_dir": "x"}) == {
        "folds": 4, "progress": True, "cache_dir": "x"}
    assert bind_options("toy", _create, {}) == {}


@pytest.mark.parametrize(("option", "value"), [("folds", "x"), ("folds", 3.5), ("folds", True),
                                               ("C", "high"), ("progress", "maybe"),
                                               ("dtype", None)])
def test_a_value_of_the_wrong_type_is_one_line_naming_the_option(option, value):
    with pytest.raises(CameoError, match=f"backend option {option}={value!r} is not a valid") \
            as caught:
        bind_options("toy", _create, {option: value})
    assert "\n" not in str(caught.value)


def test_an_unknown_option_is_one_line_naming_the_accepted_ones():
    with pytest.raises(CameoError) as caught:
        bind_options("toy", _create, {"fold": 3, "dtyp": "x"})
    assert str(caught.value) == ("unknown backend option(s) for 'toy': dtyp, fold; it takes: "
                                 "folds, C, progress, cache_dir, dtype")
    with pytest.raises(CameoError, match="it takes: folds"):
        bind_options("toy", _create, {"model": "other"})  # the model is not an option


def test_the_registered_factories_declare_their_options():
    assert accepted_options(BACKENDS["random"]) == ["delay"]
    assert accepted_options(BACKENDS["majority"]) == ["protocol", "folds"]
    assert {"protocol", "folds", "C", "workers", "cache_dir", "progress"} == set(
        accepted_options(BACKENDS["egemaps-logreg"]))


def test_a_default_model_makes_a_backend_stand_alone():
    assert default_model(_create) is None
    assert default_model(BACKENDS["random"]) == "random"
    assert default_model(BACKENDS["majority"]) == "majority"
    assert default_model(BACKENDS["hf"]) is None
