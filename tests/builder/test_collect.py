"""Finding corpora under a root that holds things the build cannot read: each is one problem in
the build report (and one line on the terminal), the rest builds. Issue 11 found an unreadable
folder anywhere under the root (``lost+found``) aborting the whole build with a traceback.

These run ``cameo build`` in a child process without root's power to read anything
(``support.processes``), so the permissions bite as they do for a user."""

from __future__ import annotations

import json
import os

from support.corpus_trees import nemo, ravdess
from support.processes import run_cameo


def _report(out):
    return json.loads((out / "build_report.json").read_text(encoding="utf-8"))


def test_unreadable_folders_anywhere_are_reported_and_the_rest_builds(tmp_path, layouts):
    expected = nemo.make_tree(tmp_path / "src", layouts)
    lost = tmp_path / "src" / "lost+found"
    inner = tmp_path / "src" / "nEMO" / "samples" / "old takes"
    for folder in (lost / "#1234", inner):
        folder.mkdir(parents=True)
    lost.chmod(0)
    inner.chmod(0)
    out = tmp_path / "out"

    done = run_cameo("build", tmp_path / "src", "--out", out, "--corpus", "nemo")

    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "lost+found: folder cannot be read (Permission denied)" in done.stderr
    report = _report(out)
    assert report["problems"] == [
        {"corpus": "", "path": "lost+found",
         "reason": "folder cannot be read (Permission denied): its files are left out"},
        {"corpus": "nemo", "path": "nEMO/samples/old takes",
         "reason": "folder cannot be read (Permission denied): its files are left out"},
    ]
    assert report["kept"] == {"nemo": len(expected)}


def test_a_corpus_that_cannot_be_read_is_left_out_and_the_others_build(tmp_path, layouts):
    nemo.make_tree(tmp_path / "src", layouts)
    kept = ravdess.make_tree(tmp_path / "src", layouts)
    (tmp_path / "src" / "nEMO" / "samples").chmod(0)
    out = tmp_path / "out"

    done = run_cameo("build", tmp_path / "src", "--out", out)

    assert done.returncode == 0, done.stderr
    report = _report(out)
    assert report["kept"] == {"ravdess": len(kept)}
    nemo_problems = [p for p in report["problems"] if p["corpus"] == "nemo"]
    assert nemo_problems[0] == {"corpus": "nemo", "path": "nEMO/samples",
                                "reason": "cannot be read (Permission denied): nemo left out"}


def test_when_nothing_can_be_read_the_error_is_one_line_with_the_reason(tmp_path, layouts):
    nemo.make_tree(tmp_path / "src", layouts)
    tsv = tmp_path / "src" / "nEMO" / "data.tsv"
    os.chmod(tsv, 0)

    done = run_cameo("build", tmp_path / "src", "--out", tmp_path / "out", "--corpus", "nemo")

    assert done.returncode == 2
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith(f"error: {tmp_path / 'src'}: none of the corpora nemo found "
                           "(nEMO/data.tsv: cannot be read (Permission denied): nemo left out)")
    assert "Traceback" not in done.stderr
