import base64
import html
import re

from cameo_bench.html_report import render_html_report, write_html_report
from cameo_bench.records import Prediction
from cameo_bench.scores import score_predictions
from support.golden import GOLDEN, RESAMPLES, SEED, check_golden, golden_predictions

_EVIL = "<script>alert('x')</script> & Co"


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


def test_report_is_self_contained_escaped_and_has_every_plot(tmp_path):
    preds = _preds()
    records = score_predictions(preds, n_resamples=50)
    path = write_html_report(preds, records, tmp_path)
    page = path.read_text(encoding="utf-8")
    assert path.name == "report.html"
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "m&lt;1&gt;" in page and "m<1>" not in page
    assert not re.search(r'(src|href)="(?!data:image/png;base64,)', page)  # nothing external
    images = re.findall(r'data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    # per language, per dataset, per emotion bars + one confusion matrix per (run, dataset)
    assert len(images) == 3 + 2
    assert all(base64.b64decode(i).startswith(b"\x89PNG") for i in images)
    assert "Synthetic data." in page
    for title in ("Macro-F1 per language", "Macro-F1 per dataset", "F1 per emotion"):
        assert title in page


def test_report_bytes_depend_only_on_the_inputs():
    preds = _preds()
    records = score_predictions(preds, n_resamples=20)
    assert render_html_report(preds, records) == render_html_report(preds, records)


def test_cameo_score_out_writes_the_html_report(tmp_path, capsys):
    from cameo_bench.cli import run

    assert run(["score", "--example", "--resamples", "20", "--out", str(tmp_path)]) == 0
    assert f"wrote {tmp_path / 'report.html'}" in capsys.readouterr().out
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count("data:image/png;base64,") >= 4


def _without_images(page: str) -> str:
    """The page with each embedded PNG's data replaced by ``...`` (PNG bytes depend on the
    matplotlib version and its fonts, so they are not golden; the figures' places, alt texts and
    captions are)."""
    return re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "data:image/png;base64,...", page)


def test_report_matches_the_golden_file_but_for_image_bytes():
    preds = golden_predictions()
    records = score_predictions(preds, n_resamples=RESAMPLES, seed=SEED)
    check_golden("report.html", _without_images(render_html_report(preds, records)))


def test_golden_report_shows_the_numbers_of_the_golden_scores_md():
    """The golden page's tables, read from the file, cell for cell against ``scores.md`` (whose
    numbers tests/test_report.py checks against scikit-learn)."""
    page = (GOLDEN / "report.html").read_text(encoding="utf-8")
    md = (GOLDEN / "scores.md").read_text(encoding="utf-8")
    ours = {}
    for title, table in re.findall(r"<h3>(.*?)</h3><table>(.*?)</table>", page):
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
                                          "Unparsed rate per group"]
    assert ours == theirs
