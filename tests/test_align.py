import hashlib
import os
import re
import subprocess
import sys
import unicodedata
import zlib

import numpy as np
import pytest

from cameo_bench import align as alignment
from cameo_bench.audio import convert
from cameo_bench.cli.app import run
from cameo_bench.corpora import alignment_file
from cameo_bench.corpora.oreau import Adapter
from cameo_bench.errors import CameoError, InputError
from cameo_bench.registry import Registry
from support import REPO
from support.corpus_trees import oreau as tree


def _norm(text):  # the documented text normalization, written out independently
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r" +", " ", re.sub(r"[^\w]", " ", text)).strip()


def _edit_distance(a, b):
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def _cer(hyp, ref):
    a, b = _norm(hyp), _norm(ref)
    return _edit_distance(a, b) / max(len(a), len(b), 1)


def _noisy(sentence, seed):
    """A recognizer-like hypothesis: a dropped letter, a swapped accent, other punctuation."""
    i = 3 + seed % (len(sentence) - 6)
    return (sentence[:i] + sentence[i + 1:]).replace("é", "e").upper().rstrip(".") + " !"


def _key(samples):
    return hashlib.sha256(np.rint(samples * 32768).astype("<i2").tobytes()).hexdigest()


class FakeRecognizer:
    """Answers a noisy version of the sentence the test assigned to each clip's audio."""

    texts: dict = {}
    calls: list = []

    def __init__(self, model, language, device, batch_size):
        self.name = f"fake:{model}:{language}"

    def transcribe(self, audio):
        FakeRecognizer.calls.append(len(audio))
        return [FakeRecognizer.texts[_key(a)] for a in audio]


@pytest.fixture
def aligned_tree(tmp_path, layouts, monkeypatch):
    """An Oréau tree, each clip assigned a true sentence, and the fake recognizer registered."""
    tree.make_tree(tmp_path, layouts)
    root = tmp_path / tree.ROOT
    sentences = tree.sentences()
    truth, texts = {}, {}
    for clip in Adapter(root).scan():
        index = zlib.crc32(clip.origin.encode()) % len(sentences) + 1
        truth[clip.origin] = index
        texts[convert(clip.source).file_id.removesuffix(".flac")] = _noisy(
            sentences[index - 1], index)
    monkeypatch.setattr(FakeRecognizer, "texts", texts)
    monkeypatch.setattr(FakeRecognizer, "calls", [])
    monkeypatch.setattr(alignment, "RECOGNIZERS",
                        Registry("recognizer", {"fake": f"{__name__}:FakeRecognizer"}))
    return root, sentences, truth


def test_closest_sentence_agrees_with_an_independent_cer():
    sentences = ["Le chat dort.", "Le chien court vite !", "Il pleut à Paris."]
    for hyp in ("le chien cour vite", "IL PLEUT A PARIS", "le chat dors", "xyz"):
        index, cer = alignment.closest_sentence(hyp, sentences)
        cers = [_cer(hyp, s) for s in sentences]
        assert cer == pytest.approx(min(cers)) and index == cers.index(min(cers)) + 1
    assert alignment.closest_sentence("a", ["b", "c"]) == (1, 1.0)  # ties: the earlier one


def test_cli_aligns_every_clip_and_the_adapter_reads_the_result(aligned_tree, capsys):
    root, sentences, truth = aligned_tree
    code = run(["align", "oreau", str(root.parent), "--recognizer", "fake", "--model", "m",
                "--batch-size", "4"])
    assert code == 0
    assert "wrote" in capsys.readouterr().out
    rows = alignment_file.read_alignment(root / alignment_file.ALIGNMENT_FILE)
    assert set(rows) == set(truth)
    for origin, row in rows.items():
        expected = sentences[truth[origin] - 1]
        assert (row.sentence_index, row.sentence) == (truth[origin], expected)
        assert row.cer == pytest.approx(_cer(row.hypothesis, expected), abs=5e-5)
        assert 0 < row.cer < 0.3 and row.recognizer == "fake:m:French"
    assert FakeRecognizer.calls == [4] * (len(truth) // 4) + [len(truth) % 4] * bool(
        len(truth) % 4)
    clips = list(Adapter(root).scan())
    assert {c.origin: c.transcription for c in clips} == {
        o: sentences[i - 1] for o, i in truth.items()}


def test_an_interrupted_run_resumes_and_ends_byte_identical(aligned_tree):
    root, _, truth = aligned_tree
    asr = alignment.make_recognizer("fake", model="m", language="French", device=None,
                                    batch_size=5)
    first = alignment.align_corpus("oreau", root, asr, batch_size=5)
    complete = first.path.read_bytes()
    lines = complete.decode().splitlines(keepends=True)
    first.path.write_text("".join(lines[:11]), encoding="utf-8")  # header + 10 rows survived
    FakeRecognizer.calls.clear()
    again = alignment.align_corpus("oreau", root, asr, batch_size=5)
    assert again.reused == 10 and sum(FakeRecognizer.calls) == len(truth) - 10
    assert again.path.read_bytes() == complete


def test_malformed_alignment_file_names_file_and_line(tmp_path):
    path = tmp_path / "alignment.tsv"
    header = "\t".join(alignment_file.COLUMNS)
    path.write_text(header + "\nm/sessc/10a01Ca.wav\t3\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"alignment.tsv:2: expected 6 tab-separated"):
        alignment_file.read_alignment(path)


def test_corpora_with_their_own_transcriptions_are_refused(tmp_path, layouts):
    from support.corpus_trees import ravdess
    ravdess.make_tree(tmp_path, layouts)
    asr = FakeRecognizer("m", "English", None, 1)
    with pytest.raises(CameoError, match="only sentence-list corpora"):
        alignment.align_corpus("ravdess", tmp_path, asr)
    with pytest.raises(CameoError, match="no Oréau found"):
        alignment.align_corpus("oreau", tmp_path, asr)


@pytest.mark.slow
def test_whisper_offline_without_the_checkpoint_fails_with_one_clear_line(tmp_path, layouts):
    tree.make_tree(tmp_path, layouts)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf"),
           "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.run([sys.executable, "-m", "cameo_bench", "align", "oreau", str(tmp_path)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: cannot load speech recognizer 'openai/whisper-large-v2'")
    assert "huggingface-cli download openai/whisper-large-v2" in lines[0]


def test_cli_default_model_is_the_papers():
    import inspect

    from cameo_bench.cli.align import align
    assert inspect.signature(align).parameters["model"].default == alignment.DEFAULT_MODEL
