"""``cameo models``: one line per alias without a terminal, a table that fits one with it."""

from __future__ import annotations

from rich.console import Console

from cameo_bench.backends.models import MODELS
from cameo_bench.cli import run
from cameo_bench.cli.models import HEADER


def test_without_a_terminal_every_alias_is_one_tab_separated_line(capsys):
    assert run(["models"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split("\t") == list(HEADER)
    rows = [line.split("\t") for line in lines[1:]]
    assert [r[0].removesuffix(" *") for r in rows] == [m.alias for m in MODELS]
    assert [r[2] for r in rows] == [m.hub_id for m in MODELS]
    assert {r[0] for r in rows if r[0].endswith(" *")} == {
        "qwen2-audio *", "seallms-audio *", "ultravox *", "ichigo *"}
    assert dict((r[0], r[1]) for r in rows)["ichigo *"] == "hf"


def test_on_a_terminal_the_table_fits_its_width(monkeypatch):
    console = Console(force_terminal=True, width=80, record=True, color_system=None)
    monkeypatch.setattr("cameo_bench.cli.models.console", console)
    assert run(["models"]) == 0
    lines = console.export_text().splitlines()
    assert max(len(line) for line in lines) <= 80
    aliases = [line.split("│")[1].strip() for line in lines if line.startswith("│")]
    assert [a.removesuffix(" *") for a in aliases if a] == [m.alias for m in MODELS]


def test_evaluate_help_points_to_the_model_list(capsys):
    assert run(["evaluate", "--help"]) == 0
    assert "cameo models" in " ".join(capsys.readouterr().out.split())
