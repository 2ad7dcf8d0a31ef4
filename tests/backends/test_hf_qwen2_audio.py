"""The hf backend end to end on a tiny random Qwen2-Audio saved to a folder and loaded through
the real path (config → family → from_pretrained), batched and unbatched."""

from __future__ import annotations

from pathlib import Path

import pytest

from cameo_bench.evaluation import RunConfig, evaluate, load_backend
from cameo_bench.evaluation.batching import check_batching
from cameo_bench.predictions import read_predictions
from cameo_bench.records import UNPARSED
from support.family_runs import LAYOUT
from support.tiny_qwen2_audio import build_tiny_qwen2_audio


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory) -> Path:
    return build_tiny_qwen2_audio(tmp_path_factory.mktemp("ckpt") / "tiny-qwen2-audio")


def _run(checkpoint, collection, out, batch_size):
    return evaluate(RunConfig(f"hf:{checkpoint}", collection, batch_size=batch_size,
                              temperatures=(0.0,), max_new_tokens=4,
                              options={"dtype": "float32"}), out)


@pytest.mark.slow
def test_batched_and_unbatched_runs_write_the_same_predictions(checkpoint, collection, tmp_path):
    one = _run(checkpoint, collection, tmp_path / "b1", 1)
    four = _run(checkpoint, collection, tmp_path / "b4", 4)
    rows = read_predictions(four.predictions)
    assert len(rows) == sum(LAYOUT.values())
    assert {r.model for r in rows} == {"tiny-qwen2-audio"}
    assert all(r.model_revision.startswith("local-") for r in rows)
    assert len({r.response for r in rows}) > 1  # the answers depend on the audio
    assert all(r.parsed in (*r.labels, UNPARSED) for r in rows)
    assert one.predictions.read_bytes() == four.predictions.read_bytes()


def test_the_backend_loads_with_its_options_and_pads_on_the_left(checkpoint):
    import torch

    backend = load_backend(f"hf:{checkpoint}", {"dtype": "bfloat16", "device": "cpu",
                                                "attn_implementation": "eager"})
    model = backend.family.model
    assert type(model).__name__ == "Qwen2AudioForConditionalGeneration"
    assert model.dtype == torch.bfloat16 and model.device.type == "cpu"
    assert model.config._attn_implementation == "eager"
    assert backend.family.tokenizer.padding_side == "left"


@pytest.mark.slow
def test_the_batching_check_compares_every_sampled_clip(checkpoint, collection):
    check = check_batching(RunConfig(f"hf:{checkpoint}", collection, batch_size=3, limit=4,
                                     max_new_tokens=4, options={"dtype": "float32"}))
    assert len(check.file_ids) == len(check.single) == len(check.batched) == 4
    assert check.differing == []


def test_a_changed_checkpoint_gets_a_new_revision(checkpoint, tmp_path):
    import shutil

    copy = shutil.copytree(checkpoint, tmp_path / "tiny-qwen2-audio")
    before = load_backend(f"hf:{copy}").revision
    (copy / "generation_config.json").write_text(
        (copy / "generation_config.json").read_text().replace("}", ', "top_k": 3}', 1))
    assert load_backend(f"hf:{copy}").revision != before


@pytest.mark.slow
def test_run_json_records_the_effective_decoding_and_the_familys_facts(checkpoint, collection,
                                                                        tmp_path):
    """Issue 9: the decoding the backend really applies (the checkpoint's sampling fields, the
    seed scheme) and what the family sends to the model go into run.json; the former is part
    of the cache key."""
    import json

    from cameo_bench.backends.families.facts import QWEN2_AUDIO

    _run(checkpoint, collection, tmp_path, 2)
    settings = json.loads((tmp_path / "run.json").read_text())["settings"]
    backend = load_backend(f"hf:{checkpoint}", {"dtype": "float32"})
    assert settings["effective_settings"] == backend.effective_settings
    assert settings["effective_settings"]["mode"] == "checkpoint"
    assert settings["family_facts"] == QWEN2_AUDIO.as_dict()
