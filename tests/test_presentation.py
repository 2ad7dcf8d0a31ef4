"""The shared presentation vocabulary: view titles (the paper's table names and the
leaderboard's tabs), run labels and cell keys."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cameo_bench.presentation import (
    GROUP_VIEWS,
    HEADLINES,
    UNPARSED_VIEW,
    cell_key,
    heading,
    run_label,
    run_labels,
    split_cell_key,
)


def test_views_and_their_titles():
    assert [(v.scope, v.metric.name) for v in GROUP_VIEWS] == [
        ("language", "macro_f1"), ("dataset", "macro_f1"), ("emotion", "f1")]
    assert [v.title for v in (*GROUP_VIEWS, UNPARSED_VIEW)] == [
        "Macro-F1 per language", "Macro-F1 per dataset", "F1 per emotion (full corpus)",
        "Unparsed rate per group"]
    assert [v.tab_title for v in GROUP_VIEWS] == [
        "Per language (macro-F1)", "Per dataset (macro-F1)", "Per emotion (F1)"]
    assert [(m.header, heading(m.header)) for m in HEADLINES] == [
        ("macro-F1", "Macro-F1"), ("weighted-F1", "Weighted-F1"), ("accuracy", "Accuracy"),
        ("unparsed", "Unparsed")]


def test_run_labels_show_the_prompt_only_when_runs_differ_in_it():
    assert run_label("m", 0.7, "cameo-v1") == "m T=0.7"
    assert run_label("m", 0.0, "cameo-v1", with_prompt=True) == "m T=0 cameo-v1"
    assert run_label("chance", None, None, with_prompt=True) == "chance"
    one = [("b", 0.7, "p"), ("majority", None, None), ("a", 0.0, "p"), ("chance", None, None)]
    assert list(run_labels(one).values()) == ["a T=0", "b T=0.7", "chance", "majority"]
    two = [("a", 0.0, "p"), ("a", 0.0, "q"), ("majority", None, None)]
    assert list(run_labels(two).values()) == ["a T=0 p", "a T=0 q", "majority"]


@given(st.text(alphabet=st.characters(blacklist_characters="|"), min_size=1), st.text(
    alphabet=st.characters(blacklist_characters="|")))
def test_cell_keys_round_trip(group, metric):
    assert split_cell_key(cell_key("dataset", group, metric)) == ("dataset", group, metric)
    assert cell_key("overall", "all", "macro_f1") == "overall|all|macro_f1"
