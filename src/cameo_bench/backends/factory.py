"""What a backend's factory declares, read in one place.

A factory is ``create(model, *, option=default, ...)``. Its keyword parameters, with their type
annotations and defaults, are the backend's options: :func:`bind_options` checks the options a
user gave against them and converts each value to its annotated type (``-O folds=3`` and
``folds="3"`` are both ``3``). A default for ``model`` makes the backend stand alone: it runs
that model when none is named (``random``, the cross-validated baselines), while a backend
without one (``hf``, ``vllm``, ``openai``) needs a model.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Mapping
from typing import Any

from cameo_bench.backends.base import BackendFactory
from cameo_bench.errors import CameoError

__all__ = ["accepted_options", "bind_options", "default_model"]

_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})


def _parameters(factory: BackendFactory) -> dict[str, inspect.Parameter]:
    return dict(inspect.signature(factory, eval_str=True).parameters)


def default_model(factory: BackendFactory) -> str | None:
    """The model ``factory`` runs when none is named, or None when a model must be named."""
    default = _parameters(factory)["model"].default
    return None if default is inspect.Parameter.empty else default


def accepted_options(factory: BackendFactory) -> list[str]:
    """The option names ``factory`` takes (its keyword parameters other than ``model``)."""
    return [name for name, p in _parameters(factory).items()
            if name != "model" and p.kind is p.KEYWORD_ONLY]


def _scalar_type(annotation: Any) -> tuple[type | None, bool]:
    """The scalar type an option is converted to (None: taken as given), and whether None is
    accepted (``X | None``)."""
    kinds: tuple = (annotation,)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        kinds = typing.get_args(annotation)
    optional = type(None) in kinds
    scalars = [k for k in kinds if k in (bool, int, float, str)]
    return (scalars[0] if len(scalars) == 1 else None), optional


def _convert(value: Any, kind: type) -> Any:
    """``value`` as ``kind``; raises ValueError when it is not one."""
    if kind is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE | _FALSE:
            return text in _TRUE
        raise ValueError(value)
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(value)
    if kind is int and isinstance(value, float):
        if not value.is_integer():
            raise ValueError(value)
        return int(value)
    return kind(value)


def bind_options(backend: str, factory: BackendFactory,
                 options: Mapping[str, Any]) -> dict[str, Any]:
    """``options`` as keyword arguments of ``factory`` (the registry's ``backend``): each name
    one of its keyword parameters, each value converted to the parameter's annotated type.

    Raises a one-line :class:`CameoError` naming the unknown options and the accepted ones, or
    the option whose value is not of its type.
    """
    accepted = accepted_options(factory)
    unknown = sorted(set(options) - set(accepted))
    if unknown:
        raise CameoError(f"unknown backend option(s) for {backend!r}: {', '.join(unknown)}; "
                         f"it takes: {', '.join(accepted) or 'none'}")
    params = _parameters(factory)
    out: dict[str, Any] = {}
    for name, value in options.items():
        kind, optional = _scalar_type(params[name].annotation)
        if kind is None or (value is None and optional):
            out[name] = value
            continue
        try:
            out[name] = _convert(value, kind)
        except ValueError:
            raise CameoError(f"backend option {name}={value!r} is not a valid {kind.__name__}") \
                from None
    return out
