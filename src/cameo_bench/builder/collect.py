"""Step 1 of the build: find each requested corpus under the root and list its clips.

What cannot be read is reported, never fatal: a folder that cannot be listed (``lost+found``)
anywhere the build looks, and a corpus whose metadata cannot be read at all, each become one
problem in the build report while the other corpora build.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cameo_bench.builder.report import printable
from cameo_bench.corpora import ADAPTERS
from cameo_bench.corpora.base import Corpus
from cameo_bench.errors import CameoError, InputError
from cameo_bench.records import Skipped, SourceClip
from cameo_bench.vocab import SPLITS, corpus_info

__all__ = ["DETECT_DEPTH", "FoundCorpus", "Survey", "load_adapter", "find_corpora",
           "unreadable_folders"]

#: How deep under the root corpora are looked for (``corpora.base.find_dirs``' default).
DETECT_DEPTH = 3


@dataclass
class FoundCorpus:
    """A corpus found under the build root: its folder, its adapter's label map and longest
    plausible clip, its clips (sorted by origin) and what its adapter left out."""

    split: str
    root: Path
    label_map: dict[str, str] = field(default_factory=dict)
    max_seconds: float | None = None
    clips: list[SourceClip] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


@dataclass
class Survey:
    """What :func:`find_corpora` found: corpora to build, split names not found, and problems
    (``Skipped`` whose ``origin`` is a path under the root; ``corpus`` is ``""`` outside any
    corpus): unreadable folders and corpora that could not be read."""

    found: list[FoundCorpus] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    problems: list[Skipped] = field(default_factory=list)


def load_adapter(split: str) -> type[Corpus]:
    """The adapter class of ``split``; a missing adapter module is a one-line CameoError."""
    corpus_info(split)  # unknown names raise with a suggestion
    module = ADAPTERS.path(split).split(":")[0]
    try:
        return ADAPTERS[split]
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        raise CameoError(f"corpus {split!r} has no adapter: module {module} is missing") from None


def _relative(path: str | Path | None, root: Path) -> str:
    if path is None:
        return ""
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _unreadable(exc: BaseException) -> str:
    """The reason an adapter could not read its corpus, one line."""
    if isinstance(exc, InputError):
        return exc.problem
    if isinstance(exc, OSError):
        return f"cannot be read ({exc.strerror or type(exc).__name__})"
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 (byte 0x{exc.object[exc.start]:02X} at offset {exc.start})"
    return str(exc)


def _scan(adapter: type[Corpus], corpus: FoundCorpus) -> None:
    labels = corpus_info(corpus.split).labels
    for item in adapter(corpus.root).scan():
        if isinstance(item, SourceClip):
            if item.emotion not in labels:
                raise CameoError(f"{corpus.split} adapter: {item.origin} has label "
                                 f"{item.emotion!r}, not one of the corpus's labels "
                                 f"{', '.join(labels)}")
            corpus.clips.append(item)
        else:
            corpus.skipped.append(item)
    corpus.clips.sort(key=lambda c: c.origin)


def find_corpora(root: Path, splits: Sequence[str] | None, log: Callable[[str], None]) -> Survey:
    """Detect and scan the corpora ``splits`` (all 13 when None) under ``root``, in split order.

    ``log`` gets one line per corpus and per problem. A corpus whose files cannot be read (its
    metadata unreadable, a folder it needs locked) is a problem, not a found corpus.
    """
    if not root.is_dir():
        raise CameoError(f"{root}: no such folder (point the build at your downloaded corpora)")
    wanted = list(dict.fromkeys(splits)) if splits else list(SPLITS)
    for split in wanted:
        corpus_info(split)
    survey = Survey()
    for split in sorted(wanted, key=SPLITS.index):
        adapter = load_adapter(split)
        try:
            where = adapter.detect(root)
            if where is None:
                survey.missing.append(split)
                log(f"{split}: not found under {root}, skipped "
                    f"(expected {adapter.layout}; download: {adapter.download})")
                continue
            corpus = FoundCorpus(split, where, dict(sorted(adapter.label_map.items())),
                                 adapter.max_seconds)
            _scan(adapter, corpus)
        except (InputError, OSError, UnicodeDecodeError) as exc:
            path = exc.path if isinstance(exc, InputError) else getattr(exc, "filename", None)
            problem = Skipped(split, _relative(path, root), f"{_unreadable(exc)}: {split} left out")
            survey.problems.append(problem)
            log(printable(f"{split}: {problem.origin}: {problem.reason}"))
            continue
        log(f"{split}: found at {where}: {len(corpus.clips)} clips, "
            f"{len(corpus.skipped)} left out by the adapter")
        survey.found.append(corpus)
    for folder, reason in unreadable_folders(root, [c.root for c in survey.found]):
        owner = next((c.split for c in survey.found if folder.is_relative_to(c.root)), "")
        survey.problems.append(Skipped(owner, _relative(folder, root), reason))
        log(printable(f"{_relative(folder, root)}: {reason}"))
    return survey


def unreadable_folders(root: Path, corpus_roots: Sequence[Path]) -> list[tuple[Path, str]]:
    """Folders the build looked into but could not list, with the reason: down to
    :data:`DETECT_DEPTH` under ``root`` (where corpora are detected; hidden folders are not
    looked into) and anywhere under each of ``corpus_roots``. Links are not followed."""
    seen: dict[Path, str] = {}

    def listing(folder: Path) -> list[Path]:
        try:
            with os.scandir(folder) as entries:
                return sorted(Path(e.path) for e in entries if e.is_dir(follow_symlinks=False))
        except OSError as exc:
            seen[folder] = f"folder cannot be read ({exc.strerror}): its files are left out"
            return []

    level = [root]
    for _ in range(DETECT_DEPTH + 1):
        level = [sub for d in level for sub in listing(d) if not sub.name.startswith(".")]
    for top in corpus_roots:
        stack = [top]
        while stack:
            stack.extend(listing(stack.pop()))
    return sorted(seen.items())
