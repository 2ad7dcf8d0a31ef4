"""The collection commands: ``cameo corpora``, ``cameo build``, ``cameo stats``."""

from __future__ import annotations

import json
import signal

import pytest

import cameo_bench.builder.collect as collect
from cameo_bench.builder import WORK_DIR, build_collection
from cameo_bench.cli import app, run
from cameo_bench.cli.app import console
from cameo_bench.collection.stats import CollectionStats, CorpusStats
from cameo_bench.corpora.base import Corpus
from support.corpus_trees.nemo import make_tree
from support.processes import CLI, run_cameo, signal_mid_build


def test_commands_have_help_text():
    names = {c.name or c.callback.__name__: c for c in app.registered_commands}
    for name in ("corpora", "build", "stats"):
        assert names[name].callback.__doc__.strip()


def test_corpora_lists_every_corpus(capsys, monkeypatch):
    monkeypatch.setattr(console, "width", 400)
    assert run(["corpora"]) == 0
    out = capsys.readouterr().out
    for name in ("CaFE", "CREMA-D", "nEMO", "SUBESCO", "github.com/amu-cai/nEMO"):
        assert name in out


def test_build_then_stats(tmp_path, layouts, capsys):
    expected = make_tree(tmp_path / "src", layouts)
    out = tmp_path / "out"
    assert run(["build", str(tmp_path / "src"), "--out", str(out), "--corpus", "nemo",
                "--jobs", "2"]) == 0
    captured = capsys.readouterr()
    assert "nemo: found at" in captured.err
    assert "build_report.json" in captured.out
    assert run(["stats", str(out), "--json", str(tmp_path / "stats.json")]) == 0
    assert "nEMO" in capsys.readouterr().out
    stats = json.loads((tmp_path / "stats.json").read_text(encoding="utf-8"))
    assert stats["samples"] == len(expected)
    assert stats["corpora"][0]["speakers"] == len({e["speaker_id"] for e in expected})


def test_build_of_a_missing_folder_is_an_error(tmp_path, capsys):
    assert run(["build", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_missing_corpus_is_skipped_with_a_line(tmp_path, layouts, monkeypatch):
    class Absent(Corpus):
        split = "cafe"
        label_map = {"C": "anger"}
        download = "https://zenodo.org/record/1478765"
        layout = "CaFE_48k/<Emotion>/<Faible|Fort>/AA-E-I-S.wav"

        @classmethod
        def detect(cls, root):
            return None

        def scan(self):
            return iter(())

    real = collect.load_adapter
    monkeypatch.setattr(collect, "load_adapter",
                        lambda split: Absent if split == "cafe" else real(split))
    make_tree(tmp_path / "src", layouts)
    lines = []
    report = build_collection(tmp_path / "src", tmp_path / "out", corpora=["nemo", "cafe"],
                              log=lines.append)
    assert report.missing == ["cafe"] and list(report.kept) == ["nemo"]
    assert lines[0].startswith(f"cafe: not found under {tmp_path / 'src'}, skipped")
    assert "zenodo.org/record/1478765" in lines[0]


def _one_error_line(done, text):
    """The child failed with exit 2 and one line naming ``text``, no traceback."""
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and text in errors[0], done.stderr


@pytest.mark.slow
def test_an_output_that_cannot_be_written_is_one_line_and_resumes(tmp_path, layouts):
    """Issue 11: read-only output, a full disk and an over-long name were tracebacks. After
    the cause is fixed, a rerun finishes with the bytes of an undisturbed build."""
    make_tree(tmp_path / "src", layouts)
    src = tmp_path / "src"
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    _one_error_line(run_cameo("build", src, "--out", locked, "--corpus", "nemo"),
                    f"{locked / '.cameo-collection'}: cannot write the collection "
                    "(Permission denied)")
    _one_error_line(run_cameo("build", src, "--out", tmp_path / ("x" * 300), "--corpus", "nemo"),
                    "cannot write the collection (File name too long)")

    out = tmp_path / "out"
    full = run_cameo("build", src, "--out", out, "--corpus", "nemo", file_size_limit=40_000)
    _one_error_line(full, "cannot write the collection")
    assert "File too large" in full.stderr
    assert run_cameo("build", src, "--out", out, "--corpus", "nemo").returncode == 0
    assert run_cameo("build", src, "--out", tmp_path / "clean", "--corpus", "nemo"
                     ).returncode == 0
    for name in ("data/nemo-00000-of-00001.parquet", "metadata.jsonl", "build_report.json"):
        assert (out / name).read_bytes() == (tmp_path / "clean" / name).read_bytes()


@pytest.mark.slow
def test_ctrl_c_mid_build_stops_with_one_line_and_a_rerun_resumes(nemo_root, tmp_path):
    """Ctrl-C reaches the whole process group: each worker printed a KeyboardInterrupt
    traceback. Now workers leave it to the parent, which says how to resume, and exits 130
    (issue 11: it exited 0, so ``cameo build ... && ...`` went on with a partial build)."""
    out = tmp_path / "out"
    args = ["build", str(nemo_root.parent), "--out", str(out), "--corpus", "nemo", "--jobs", "2"]
    proc = signal_mid_build(CLI, args, out / WORK_DIR / "nemo", signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "Traceback" not in err
    assert "stopped: run the same command again to resume" in err
    assert not (out / "build_report.json").exists(), "the interrupt did not land mid-build"

    assert run(["build", str(nemo_root.parent), "--out", str(out), "--corpus", "nemo"]) == 0
    build_collection(nemo_root.parent, tmp_path / "clean", corpora=["nemo"])
    for name in ("data/nemo-00000-of-00001.parquet", "metadata.jsonl", "build_report.json"):
        assert (out / name).read_bytes() == (tmp_path / "clean" / name).read_bytes()


@pytest.mark.parametrize("columns", [80, 120])
def test_stats_tables_fit_the_terminal(monkeypatch, capsys, columns):
    """Table 1 of the full collection (13 corpora, the paper's sample counts) in an 80- and a
    120-column terminal: no line longer, no cell cut."""
    from cameo_bench.collection import stats as stats_module
    from cameo_bench.vocab import CORPORA

    rows = [CorpusStats(split, c.name, c.language, c.samples, 431, 299, 132, 3703, 22680.5)
            for split, c in CORPORA.items()]
    result = CollectionStats(rows, sum(r.samples for r in rows), 150280.0,
                             {"English": 33.31, "primary emotions": 92.11})
    monkeypatch.setattr(stats_module, "collection_stats", lambda collection: result)
    monkeypatch.setattr("cameo_bench.collection.open_collection", lambda location: None)
    monkeypatch.setattr(console, "width", columns)
    assert run(["stats", "somewhere"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= columns and "…" not in out
    for piece in ("emozionalmente", "Emozionalmente", "431", "(299/132)", "3703", "6:18:00",
                  "41265", "41:44:40", "primary emotions"):
        assert piece in out, piece
