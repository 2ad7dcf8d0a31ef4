"""One family of domain errors. The library raises them; only the CLI prints and exits.

Every error survives pickling (a worker process's error reaches the parent as itself): the
subclasses' constructors take other arguments than the message they store in ``args``, so
:class:`CameoError` rebuilds an error from its message and attributes without calling them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

__all__ = [
    "CameoError",
    "InputError",
    "UnknownNameError",
    "UnknownLabelError",
    "MissingDependencyError",
]


def _rebuild(cls: type[CameoError], args: tuple, state: dict) -> CameoError:
    """Unpickle an error: its message and attributes, without calling ``cls.__init__``."""
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(state)
    return error


class CameoError(Exception):
    """Base class: the message is one line that says what is wrong and, where possible, the fix."""

    def __reduce__(self):
        return _rebuild, (type(self), self.args, self.__dict__)


class InputError(CameoError):
    """A file the user gave is malformed; the message names the file (and line) and the problem."""

    def __init__(self, path: str | Path, problem: str, line: int | None = None):
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {problem}")
        self.path = str(path)
        self.line = line
        self.problem = problem


class UnknownNameError(CameoError, KeyError):
    """A name (corpus, model, prompt, label) is not known; the message suggests the closest."""

    def __init__(self, kind: str, name: str, known: Iterable[str]):
        known = sorted(known)
        close = difflib.get_close_matches(name, known, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        super().__init__(f"Unknown {kind} {name!r}, expected one of: {', '.join(known)}.{hint}")
        self.kind, self.name = kind, name

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class UnknownLabelError(UnknownNameError):
    """A raw or unified emotion label has no mapping."""

    def __init__(self, name: str, known: Iterable[str], where: str = ""):
        super().__init__("label", name, known)
        if where:
            self.args = (f"{where}: {self.args[0]}",)


class MissingDependencyError(CameoError):
    """An optional extra is needed for this command; the message says which one to install."""

    def __init__(self, package: str, extra: str, why: str = ""):
        reason = f" ({why})" if why else ""
        super().__init__(
            f"{package} is required{reason}: pip install 'cameo-bench[{extra}]'"
        )


class BusyError(CameoError):
    """Another process holds the lock of a folder this command would write (a run folder, a
    results store); the message names the holder."""
