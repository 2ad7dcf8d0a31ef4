"""``report.html``: self-contained, escaped, every figure and table, provenance, the paper's
numbers only beside full-collection runs, and its golden file."""

import dataclasses
import html
import re

from cameo_bench.html_report import render_html_report, write_html_report
from cameo_bench.provenance import Provenance
from cameo_bench.records import Prediction
from cameo_bench.scores import score_predictions, score_runs
from support.golden import GOLDEN, RESAMPLES, SEED, check_golden, golden_predictions
from support.scoring_data import full_collection_predictions, make_predictions

_EVIL = "<script>alert('x')</script> & Co"
QWEN = "Qwen/Qwen2-Audio-7B-Instruct"
#: The provenance of the golden page (fixed: a real one holds the date and the file's hash).
GOLDEN_PROVENANCE = Provenance((("tests/golden/predictions.jsonl", "sha256:" + "0" * 64),),
                               "2025-01-01T00:00:00+00:00", RESAMPLES, SEED, version="0.1.0")


def _preds():
    labels = ["anger", "fear", "neutral"]
    out = []
    for i in range(30):
        dataset = _EVIL if i % 2 else "Demo Polish (synthetic)"
        gold = labels[i % 3]
        answer = gold if i % 4 else "I hear nothing"  # parses to fear, or stays unparsed
        out.append(Prediction(f"{i:064x}.flac", dataset, "Polish", gold, labels, "m<1>", None,
                              0.0, "cameo-v1", answer))
    return out


def test_report_is_self_contained_escaped_and_has_every_figure(tmp_path):
    preds = _preds()
    records = score_predictions(preds, n_resamples=50)
    path = write_html_report(preds, records, tmp_path)
    page = path.read_text(encoding="utf-8")
    assert path.name == "report.html"
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "m&lt;1&gt;" in page and "m<1>" not in page
    assert not re.search(r'(src|href)="', page)  # nothing loaded from elsewhere
    # per language, per dataset, per emotion bars + one confusion matrix per (run, dataset)
    assert page.count("<svg ") == 3
    assert page.count('<table class="cm">') == 2
    assert "Synthetic data." in page
    for title in ("Macro-F1 per language", "Macro-F1 per dataset", "F1 per emotion"):
        assert f"<figcaption>{title}" in page
    assert page.count('<ul class="legend">') == 3


def test_report_bytes_depend_only_on_the_inputs():
    preds = _preds()
    records = score_predictions(preds, n_resamples=20)
    assert render_html_report(preds, records) == render_html_report(preds, records)


def test_cameo_score_out_writes_the_html_report_with_its_provenance(tmp_path, capsys,
                                                                    monkeypatch):
    import hashlib

    from cameo_bench.cli import run
    from cameo_bench.cli.scoring import example_predictions_path

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert run(["score", "--example", "--resamples", "20", "--out", str(tmp_path)]) == 0
    assert f"wrote {tmp_path / 'report.html'}" in capsys.readouterr().out
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg ") == 3
    digest = hashlib.sha256(example_predictions_path().read_bytes()).hexdigest()
    provenance = page.split("<h2>Provenance</h2>")[1].split("<h2>")[0]
    for fact in ("<th>cameo-bench</th><td>0.1.0</td>", "<th>answer parser</th><td>cameo-parse-1",
                 "<th>generated</th><td>2026-01-01T00:00:00+00:00</td>",
                 "<th>bootstrap</th><td>20 resamples, seed 0</td>",
                 html.escape(str(example_predictions_path())), f"sha256:{digest}"):
        assert fact in provenance, fact


def test_paper_numbers_sit_only_beside_a_full_collection_run():
    full = full_collection_predictions(QWEN)
    small = make_predictions(QWEN, temperature=0.7, per_corpus=6)
    scored = score_runs(full + small, n_resamples=0)
    from cameo_bench.paper import reported_for_runs

    reported = reported_for_runs(scored.coverage)
    assert set(reported) == {(QWEN, 0.0, "cameo-v1"), (QWEN, 0.7, "cameo-v1")}
    page = render_html_report(full + small, scored.records, reported=reported,
                              confusions=scored.confusions)
    overall = page.split("<h3>Overall</h3>")[1].split("</table>")[0]
    headers = re.findall(r"<th[^>]*>(.*?)</th>", overall)
    assert headers.count("macro-F1 paper (reported)") == 1
    rows = re.findall(r"<tr>(.*?)</tr>", overall)[1:]
    cells = {re.findall(r"<td[^>]*>(.*?)</td>", row)[0]:
             re.findall(r'<td class="(?:n )?reported">(.*?)</td>', row) for row in rows}
    assert cells[f"{QWEN} T=0"][0] == "0.189 ± 0.0057"  # the paper's Table 4
    assert cells[f"{QWEN} T=0.7"] == ["", "", ""]  # 30 clips: nothing beside it
    assert (f"The paper&#x27;s reported numbers for {QWEN} T=0.7 are not shown: this run "
            "covers 30 clips, 5 of 13 corpora, the paper&#x27;s numbers the full collection "
            "(41,265 clips of 13 corpora): they are not comparable.") in page
    assert "full collection (41,265 clips)" in page.split("<h2>Provenance</h2>")[1]


def test_a_degenerate_run_is_flagged_and_shows_its_answers_beside_the_gold_ones():
    parrot = [dataclasses.replace(p, model="parrot", response="anger") for p in _preds()]
    records = score_predictions(parrot, n_resamples=0)
    page = render_html_report(parrot, records)
    assert '<p class="warn">Degenerate run: parrot T=0 answers &#x27;anger&#x27; for 100.0% of ' \
           "clips.</p>" in page
    answers = page.split("<h3>Answers per label (share of clips)</h3>")[1].split("</table>")[0]
    rows = {r[0]: r[1:] for r in (re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
                                  for row in re.findall(r"<tr>(.*?)</tr>", answers))}
    assert rows["label"] == ["gold", "parrot T=0"]
    assert rows["anger"] == ["33.3%", "100.0%"] and rows["fear"] == ["33.3%", "0.0%"]
    assert "<h3>Unparsed rate per group</h3><p>No unparsed answers.</p>" in page




def test_report_matches_the_golden_file():
    preds = golden_predictions()
    records = score_predictions(preds, n_resamples=RESAMPLES, seed=SEED)
    check_golden("report.html", render_html_report(preds, records,
                                                   provenance=GOLDEN_PROVENANCE))


def test_golden_report_shows_the_numbers_of_the_golden_scores_md():
    """The golden page's tables, read from the file, cell for cell against ``scores.md`` (whose
    numbers tests/test_report.py checks against scikit-learn)."""
    page = (GOLDEN / "report.html").read_text(encoding="utf-8")
    md = (GOLDEN / "scores.md").read_text(encoding="utf-8")
    ours = {}
    tables = page.split("<h2>Tables</h2>")[1].split("<h2>")[0]
    for title, table in re.findall(r"<h3>(.*?)</h3><div class=\"scroll\"><table>(.*?)</table>",
                                   tables):
        rows = re.findall(r"<tr>(.*?)</tr>", table)
        ours[html.unescape(title)] = [
            [html.unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
            for row in rows]
    theirs = {}
    for block in md.split("\n## ")[1:]:
        title, _, body = block.partition("\n\n")
        lines = body.strip().splitlines()
        theirs[title] = [[c.strip() for c in line.strip("|").split(" | ")]
                         for line in lines[:1] + lines[2:]]
    assert list(ours) == list(theirs) == ["Overall", "Macro-F1 per language",
                                          "Macro-F1 per dataset", "F1 per emotion (full corpus)",
                                          "Unparsed rate per group",
                                          "Answers per label (share of clips)"]
    assert ours == theirs
    # the bars draw the same numbers: each bar's tooltip is its table cell
    for run in ("golden/model T=0", "golden/model T=0.7"):
        header = ours["Macro-F1 per dataset"][0]
        for row in ours["Macro-F1 per dataset"][1:]:
            value = row[header.index(run)].split(" ± ")[0]
            assert f"<title>{run}, {row[0]}: {value} [" in page
