"""The board's family column comes from the model registry's series where the model is known."""

from __future__ import annotations

from cameo_bench.leaderboard.board import read_board


def test_the_papers_reported_runs_are_grouped_by_their_registry_series():
    rows = [r for r in read_board(None).to_json()["rows"] if r["status"] == "reported"]
    assert {r["model_id"]: r["family"] for r in rows} == {
        "Qwen/Qwen2-Audio-7B-Instruct": "Qwen2-Audio",
        "SeaLLMs/SeaLLMs-Audio-7B": "SeaLLMs-Audio",
        "fixie-ai/ultravox-v0_5-llama-3_1-8b": "Ultravox",
        "homebrewltd/Ichigo-llama3.1-s-instruct-v0.4": "Ichigo",
    }
