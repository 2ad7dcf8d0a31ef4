"""Lazy registries: names map to ``"module:attr"`` paths imported only when asked for.

Heavy or optional dependencies of one entry never break the others (or ``cameo --help``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

from cameo_bench.errors import CameoError, UnknownNameError

__all__ = ["Registry", "lazy_attributes"]

T = TypeVar("T")


class Registry(Mapping[str, T]):
    """A read-only mapping from names to lazily imported objects of type ``T`` (annotate it:
    ``Registry[type[Adapter]]``, ``Registry[BackendFactory]``).

    ``kind`` names what is registered (used in error messages). Registering a name twice is an
    error; looking up an unknown name raises :class:`UnknownNameError` with a suggestion.
    """

    def __init__(self, kind: str, paths: Mapping[str, str] | None = None):
        self.kind = kind
        self._paths: dict[str, str] = {}
        self._loaded: dict[str, T] = {}
        for name, path in (paths or {}).items():
            self.register(name, path)

    def register(self, name: str, path: str) -> None:
        """Add ``name`` → ``"module:attr"``; a name already registered raises."""
        if name in self._paths:
            raise CameoError(f"{self.kind} {name!r} is registered twice")
        if ":" not in path:
            raise CameoError(f"{self.kind} {name!r}: path {path!r} is not 'module:attr'")
        self._paths[name] = path

    def path(self, name: str) -> str:
        """The ``"module:attr"`` path of ``name`` (no import)."""
        if name not in self._paths:
            raise UnknownNameError(self.kind, name, self._paths)
        return self._paths[name]

    def __getitem__(self, name: str) -> T:
        if name not in self._loaded:
            module, attr = self.path(name).split(":")
            self._loaded[name] = getattr(importlib.import_module(module), attr)
        return self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def __contains__(self, name: object) -> bool:
        return name in self._paths


def lazy_attributes(package: str, modules: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: public name → the submodule (of ``modules``)
    that defines it, imported when the name is first asked for; any other name raises
    :class:`AttributeError`."""
    def __getattr__(name: str) -> Any:
        if name not in modules:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{modules[name]}"), name)

    return __getattr__
