"""Work units: the fixed chunks of a run's clips that executors answer and the driver appends.

The run's clips, in collection order (split order, then row: each split's parquet is read front
to back once), are cut into chunks of :func:`unit_size` clips. Unit ``k`` is chunk ``k``
answered at every pass (temperature) that still lacks some of its clips. Boundaries depend only
on the clip list and the unit size, never on the number of workers or on what is already
answered, so the batches a backend sees (and so its answers) are the same whoever answers a
unit; a unit with nothing left to answer is skipped. Decoding happens once per unit for all its
passes.

Audio travels as the collection's own FLAC bytes (:class:`UnitWork`): a worker needs no access
to the collection's files.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from cameo_bench.backends.base import GenerationConfig
from cameo_bench.collection.reader import Clip, Collection
from cameo_bench.records import ClipRecord

__all__ = ["UNIT_CLIPS", "Unit", "ClipAudio", "UnitWork", "unit_size", "plan_units",
           "unit_works"]

#: Clips per unit unless a batch is larger: large enough that a worker's per-unit overhead
#: (a Ray task, an fsync) is small next to answering it, small enough that a unit's decoded
#: audio stays ~60 MB and a kill loses at most a few seconds of a GPU's work.
UNIT_CLIPS = 256


def unit_size(batch_size: int) -> int:
    """Clips per unit for ``batch_size`` clips per generate call: at least one whole batch."""
    return max(batch_size, UNIT_CLIPS)


@dataclass(frozen=True)
class Unit:
    """Chunk ``index`` of the run's clips: ``passes`` holds, per pass still to answer (its
    position in the run's temperatures, its settings), the positions (indices into the run's
    clip list, ascending) of the chunk's clips that pass has not answered yet."""

    index: int
    positions: tuple[int, ...]
    passes: tuple[tuple[int, GenerationConfig, tuple[int, ...]], ...]

    @property
    def rows(self) -> int:
        """Rows this unit adds when answered whole."""
        return sum(len(todo) for _, _, todo in self.passes)


def plan_units(clips: Sequence[Clip], todo: Mapping[GenerationConfig, set[str]],
               size: int) -> list[Unit]:
    """The units of a run over ``clips`` (collection order) with ``todo`` left to answer (per
    pass, in the run's temperature order: the file_ids still unanswered), ``size`` clips each;
    units with nothing to answer are left out."""
    passes = list(todo.items())
    units = []
    for index, start in enumerate(range(0, len(clips), size)):
        chunk = range(start, min(start + size, len(clips)))
        left = tuple(
            (p, config, todo_ids)
            for p, (config, ids) in enumerate(passes)
            if (todo_ids := tuple(i for i in chunk if clips[i].record.file_id in ids))
        )
        if left:
            units.append(Unit(index, tuple(chunk), left))
    return units


@dataclass(frozen=True)
class ClipAudio:
    """One clip as it travels to a worker: its record and split, where it is stored (named in
    errors), and its FLAC bytes."""

    record: ClipRecord
    split: str
    where: str
    flac: bytes


@dataclass(frozen=True)
class UnitWork:
    """A :class:`Unit` with the audio of the clips it answers (``clips[position]`` for every
    position its passes name)."""

    unit: Unit
    clips: Mapping[int, ClipAudio]


def unit_works(collection: Collection, clips: Sequence[Clip],
               units: Sequence[Unit]) -> Iterator[UnitWork]:
    """Each unit with its clips' FLAC bytes, read lazily in unit order (each split's row groups
    front to back, each read once)."""
    wanted = [sorted({i for _, _, todo in unit.passes for i in todo}) for unit in units]
    stored = collection.audio_bytes(clips[i] for positions in wanted for i in positions)
    for unit, positions in zip(units, wanted, strict=True):
        yield UnitWork(unit, {i: ClipAudio(clip.record, clip.split, where, data)
                              for i, (clip, where, data) in zip(positions, stored, strict=False)})
        # strict=False: zip stops at the end of positions without taking from stored
