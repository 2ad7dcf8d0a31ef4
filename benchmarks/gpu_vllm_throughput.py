"""vLLM at engine throughput: a full-size Qwen2-Audio-7B with random weights, default units vs
8-clip batches. Needs one CUDA GPU and the ``vllm`` extra; downloads nothing.

What it builds (in ``--work``, a few seconds on the CPU):

- a Qwen2-Audio-7B-Instruct checkpoint folder without weights: the model's configuration (a
  Whisper-large-v3-sized audio encoder, a Qwen2-7B language model with its 156,032-token
  vocabulary), a word-level tokenizer of that vocabulary holding Qwen's special tokens, and
  the Whisper feature extractor (128 mel bins) as ``Qwen2AudioProcessor`` saves them. vLLM
  fills the weights at random (``load_format="dummy"``), so answers are noise, and mostly run
  to the token cap: a pessimistic load next to a real model's one-word answers;
- a collection of ``--clips`` speech-like clips of 3 to 5 s (the benchmarks' ``fullsize``
  synthesizer), written with the project's collection writer.

What it measures: one engine (``vllm:<folder>``, ``-O load_format=dummy``) answers the clips
through the runner's own loop (units of ``UNIT_CLIPS``, FLAC decoded per unit, prompts, parsing,
predictions lines) twice: at the backend's preferred batch size (``VLLMBackend.
preferred_batch_size`` = 256 clips per ``generate`` call, the default of ``cameo evaluate
--model vllm:...``) and at 8 clips per call (the default before). Each pass's first unit warms
the engine and is not timed. Goal (issue 12): >= 150 clips/s at the default on one H100/H200.

    PYTHONPATH=src python benchmarks/gpu_vllm_throughput.py [--clips 2048] [--work DIR]
    PYTHONPATH=src python benchmarks/gpu_vllm_throughput.py --dry-run   # CPU: inputs only
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cameo_bench.audio import TARGET_SR, encode_flac, pcm_file_id, to_pcm16  # noqa: E402
from cameo_bench.backends.base import GenerationConfig  # noqa: E402
from cameo_bench.collection import open_collection  # noqa: E402
from cameo_bench.collection.format import write_metadata, write_split  # noqa: E402
from cameo_bench.evaluation.loop import LoopState, UnitAnswerer  # noqa: E402
from cameo_bench.evaluation.units import plan_units, unit_size, unit_works  # noqa: E402
from cameo_bench.prompts import get_prompt  # noqa: E402
from cameo_bench.records import ClipRecord  # noqa: E402
from cameo_bench.vocab import corpus_info  # noqa: E402
from fullsize import speechlike  # noqa: E402

GOAL_CLIPS_PER_SECOND = 150
#: The shapes of Qwen2-Audio-7B-Instruct's config.json on the Hub (all that sets the compute).
VOCAB = 156_032
SPECIAL = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|audio_bos|>", "<|AUDIO|>",
           "<|audio_eos|>"]
AUDIO_CONFIG = {"model_type": "qwen2_audio_encoder", "d_model": 1280, "encoder_layers": 32,
                "encoder_attention_heads": 20, "encoder_ffn_dim": 5120, "num_mel_bins": 128,
                "max_source_positions": 1500, "activation_function": "gelu", "dropout": 0.0,
                "scale_embedding": False}
TEXT_CONFIG = {"model_type": "qwen2", "vocab_size": VOCAB, "hidden_size": 4096,
               "intermediate_size": 11008, "num_hidden_layers": 32, "num_attention_heads": 32,
               "num_key_value_heads": 32, "max_position_embeddings": 8192,
               "rope_theta": 10000.0, "rms_norm_eps": 1e-5, "hidden_act": "silu",
               "tie_word_embeddings": False}


def build_checkpoint(folder: Path) -> Path:
    """Save the weightless full-size Qwen2-Audio-7B-Instruct folder (see the docstring)."""
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import (
        PreTrainedTokenizerFast,
        Qwen2AudioConfig,
        Qwen2AudioProcessor,
        WhisperFeatureExtractor,
    )

    words = SPECIAL + [f"w{i}" for i in range(VOCAB - len(SPECIAL))]
    core = Tokenizer(models.WordLevel({w: i for i, w in enumerate(words)}, unk_token="w0"))
    core.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=core, eos_token="<|im_end|>", pad_token="<|endoftext|>",
        additional_special_tokens=SPECIAL[1:], model_input_names=["input_ids", "attention_mask"])
    processor = Qwen2AudioProcessor(WhisperFeatureExtractor(feature_size=128), tokenizer)
    config = Qwen2AudioConfig(audio_config=AUDIO_CONFIG, text_config=TEXT_CONFIG,
                              audio_token_index=SPECIAL.index("<|AUDIO|>"))
    config.architectures = ["Qwen2AudioForConditionalGeneration"]
    folder.mkdir(parents=True, exist_ok=True)
    config.save_pretrained(folder)
    processor.save_pretrained(folder)
    (folder / "generation_config.json").write_text(json.dumps(
        {"eos_token_id": SPECIAL.index("<|im_end|>"),
         "pad_token_id": SPECIAL.index("<|endoftext|>")}) + "\n")
    return folder


def build_clips(root: Path, clips: int) -> Path:
    """A one-corpus collection (nEMO's labels) of ``clips`` speech-like clips of 3-5 s."""
    info = corpus_info("nemo")
    seconds = np.random.default_rng(0).uniform(3.0, 5.0, clips)
    rows = []
    for i, s in enumerate(seconds):
        pcm = to_pcm16(speechlike(i, float(s), TARGET_SR))
        rows.append((ClipRecord(pcm_file_id(pcm), info.labels[i % len(info.labels)], None,
                                f"s{i % 9}", None, None, info.name, info.language, info.license),
                     encode_flac(pcm)))
    write_split(root, "nemo", rows)
    write_metadata(root, [r for r, _ in rows])
    return root


def clips_per_second(backend, root: Path, batch_size: int) -> tuple[float, int]:
    """Clips/s of the runner's loop over every clip (greedy, 16 new tokens at most) at
    ``batch_size`` clips per call, the first unit (engine warm-up) not timed; and the number
    timed."""
    collection = open_collection(root)
    clips = collection.clips()
    ids = {c.record.file_id for c in clips}
    units = plan_units(clips, {GenerationConfig(temperature=0.0): ids}, unit_size(batch_size))
    answerer, state = UnitAnswerer(backend, get_prompt()), LoopState(batch_size=batch_size)
    works = unit_works(collection, clips, units)
    for _ in answerer.answer(answerer.prepare(next(works)), state):  # warm-up
        pass
    start, timed = time.perf_counter(), 0
    for work in works:
        for result in answerer.answer(answerer.prepare(work), state):
            timed += len(result.rows)
    return timed / (time.perf_counter() - start), timed


def main(argv: list[str] | None = None) -> int:
    """Build the inputs, run both batch sizes on one engine, print clips/s and the ratio; exit
    1 when the default misses the goal."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=2048)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--dry-run", action="store_true",
                        help="build the checkpoint and clips and check them; no engine")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="gpu_vllm_"))
    folder = build_checkpoint(work / "qwen2-audio-7b-dummy")
    root = build_clips(work / "collection", args.clips)
    print(f"checkpoint {folder}, {args.clips} clips of 3-5 s in {root}")
    if args.dry_run:
        from transformers import AutoConfig, AutoProcessor

        config, processor = AutoConfig.from_pretrained(folder), AutoProcessor.from_pretrained(
            folder)
        audio = np.zeros(4 * TARGET_SR, np.float32)
        inputs = processor(text="Audio 1: <|audio_bos|><|AUDIO|><|audio_eos|>\nx",
                           audio=[audio], sampling_rate=TARGET_SR, return_tensors="np")
        n_audio = int((inputs["input_ids"] == config.audio_token_index).sum())
        print(f"dry run: {config.model_type}, text {config.text_config.hidden_size} x "
              f"{config.text_config.num_hidden_layers}, vocab {len(processor.tokenizer)}, "
              f"4 s of audio -> {n_audio} audio tokens")
        return 0
    from cameo_bench.evaluation.runner import load_backend

    backend = load_backend(f"vllm:{folder}", {"load_format": "dummy", "dtype": "bfloat16"})
    try:
        default = backend.preferred_batch_size
        fast, n = clips_per_second(backend, root, default)
        slow, _ = clips_per_second(backend, root, 8)
    finally:
        backend.close()
    print(f"batch {default:>3} (default): {fast:7.1f} clips/s over {n} clips")
    print(f"batch   8:           {slow:7.1f} clips/s; default / 8-clip batches: "
          f"{fast / slow:.2f}x (goal >= {GOAL_CLIPS_PER_SECOND} clips/s at the default)")
    return 0 if fast >= GOAL_CLIPS_PER_SECOND else 1


if __name__ == "__main__":
    sys.exit(main())
