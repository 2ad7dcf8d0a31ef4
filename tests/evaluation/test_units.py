"""Work units: fixed chunks of the run's clips, independent of what is done; their FLAC bytes."""

from __future__ import annotations

from cameo_bench.backends.base import GenerationConfig
from cameo_bench.collection import open_collection
from cameo_bench.evaluation.units import UNIT_CLIPS, plan_units, unit_size, unit_works
from support.eval_collections import make_collection

T0, T7 = GenerationConfig(0.0), GenerationConfig(0.7)


def test_a_unit_holds_at_least_one_batch():
    assert unit_size(8) == UNIT_CLIPS == 256
    assert unit_size(512) == 512


def test_units_are_fixed_chunks_whatever_is_done(tmp_path):
    clips = open_collection(make_collection(tmp_path)).clips()  # 12 clips
    ids = [c.record.file_id for c in clips]
    fresh = plan_units(clips, {T0: set(ids), T7: set(ids)}, 5)
    assert [u.positions for u in fresh] == [(0, 1, 2, 3, 4), (5, 6, 7, 8, 9), (10, 11)]
    assert [u.index for u in fresh] == [0, 1, 2]
    assert fresh[0].passes == ((0, T0, (0, 1, 2, 3, 4)), (1, T7, (0, 1, 2, 3, 4)))
    # clips 0-4 done at T0, 6 and 7 at both: the chunks stay, each with what is left
    left = plan_units(clips, {T0: set(ids[5:]) - {ids[6], ids[7]},
                              T7: set(ids) - {ids[6], ids[7]}}, 5)
    assert [(u.index, u.positions) for u in left] == [(u.index, u.positions) for u in fresh]
    assert left[0].passes == ((1, T7, (0, 1, 2, 3, 4)),)
    assert left[1].passes == ((0, T0, (5, 8, 9)), (1, T7, (5, 8, 9)))
    assert left[1].rows == 6
    # a chunk with nothing left is not a unit
    assert [u.index for u in plan_units(clips, {T0: set(ids[10:])}, 5)] == [2]


def test_unit_works_carry_the_stored_flac_bytes(tmp_path):
    collection = open_collection(make_collection(tmp_path))
    clips = collection.clips()
    ids = {c.record.file_id for c in clips[3:9]}
    works = list(unit_works(collection, clips, plan_units(clips, {T0: ids}, 4)))
    assert [sorted(w.clips) for w in works] == [[3], [4, 5, 6, 7], [8]]
    stored = {c.record.file_id: (where, data) for c, where, data in collection.audio_bytes(clips)}
    for work in works:
        for i, clip in work.clips.items():
            assert clip.record == clips[i].record and clip.split == clips[i].split
            assert (clip.where, clip.flac) == stored[clip.record.file_id]
            assert clip.where.endswith(f"#{clips[i].row}")
