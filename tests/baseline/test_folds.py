from hypothesis import given, settings
from hypothesis import strategies as st

from cameo_bench.baseline.folds import assign_folds
from cameo_bench.records import ClipRecord


def _rec(i: int, speaker: str | None, text: str | None = None) -> ClipRecord:
    return ClipRecord(f"{i:064x}.flac", "anger", text, speaker, None, None, "X", "English", "L")


speakers = st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f", "g", None]), min_size=2,
                    max_size=60)


@settings(max_examples=60, deadline=None)
@given(speakers, st.integers(2, 7))
def test_no_test_speaker_ever_appears_in_its_training_fold(spk, n_folds):
    records = [_rec(i, s, text=f"t{i % 3}") for i, s in enumerate(spk)]
    folds = assign_folds(records, n_folds)
    assert len(folds.fold) == len(records)
    for k in range(folds.n_folds):
        train, test = folds.train_test(k)
        assert test, "every fold has test clips"
        assert sorted(train + test) == list(range(len(records)))
        if folds.grouping == "speaker":
            train_speakers = {records[i].speaker_id for i in train}
            assert not {records[i].speaker_id for i in test if records[i].speaker_id} \
                & train_speakers
        assert not {folds.groups[i] for i in test} & {folds.groups[i] for i in train}


@settings(max_examples=30, deadline=None)
@given(speakers, st.randoms(use_true_random=False))
def test_assignment_does_not_depend_on_record_order(spk, rnd):
    records = [_rec(i, s) for i, s in enumerate(spk)]
    shuffled = list(records)
    rnd.shuffle(shuffled)
    a = dict(zip(records, assign_folds(records).fold, strict=True))
    b = dict(zip(shuffled, assign_folds(shuffled).fold, strict=True))
    assert a == b


def test_speakers_are_balanced_largest_first():
    records = [_rec(i, s) for i, s in enumerate("aaaabbbccd")]
    folds = assign_folds(records, n_folds=3)
    assert folds.grouping == "speaker" and folds.n_folds == 3
    by_speaker = {r.speaker_id: f for r, f in zip(records, folds.fold, strict=True)}
    # a (4) → 0, b (3) → 1, c (2) → 2, d (1) → fold 2 (loads 4, 3, 2)
    assert by_speaker == {"a": 0, "b": 1, "c": 2, "d": 2}


def test_one_speaker_falls_back_to_transcription_groups():
    records = [_rec(i, "only", text=f"sentence {i % 4}") for i in range(12)]
    folds = assign_folds(records, n_folds=5)
    assert folds.grouping == "transcription" and folds.n_folds == 4
    for k in range(folds.n_folds):
        train, test = folds.train_test(k)
        assert not {records[i].transcription for i in test} & \
            {records[i].transcription for i in train}


def test_no_speaker_no_text_falls_back_to_single_clips():
    records = [_rec(i, None) for i in range(7)]
    folds = assign_folds(records, n_folds=5)
    assert folds.grouping == "file" and folds.n_folds == 5
    assert sorted(folds.fold) == [0, 0, 1, 1, 2, 3, 4]


def test_a_single_clip_gives_a_single_fold():
    folds = assign_folds([_rec(0, "a")], n_folds=5)
    assert folds.n_folds == 1 and folds.fold == (0,)
