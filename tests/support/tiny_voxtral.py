"""A tiny random Voxtral: a byte-level tekken.json (mistral-common's tokenizer format, special
tokens at Voxtral's ranks: [AUDIO] 24, [BEGIN_AUDIO] 25) and a tiny encoder + Llama."""

from __future__ import annotations

import base64
import json
from pathlib import Path

N_SPECIAL = 40


def _tekken() -> dict:
    from mistral_common.tokens.tokenizers.base import SpecialTokens as S

    order = [S.unk, S.bos, S.eos, S.begin_inst, S.end_inst, S.begin_tools, S.end_tools,
             S.begin_tool_results, S.end_tool_results, S.tool_calls, S.img, S.pad, S.img_break,
             S.img_end, S.prefix, S.middle, S.suffix, S.begin_system, S.end_system,
             S.begin_tool_content]
    ranks = {t.value: i for i, t in enumerate(order)}
    ranks |= {S.audio.value: 24, S.begin_audio.value: 25, S.args.value: 32,
              S.call_id.value: 33, S.transcribe.value: 34}
    specials = [{"rank": r, "token_str": s, "is_control": True} for s, r in ranks.items()]
    specials += [{"rank": i, "token_str": f"<SPECIAL_{i}>", "is_control": True}
                 for i in range(N_SPECIAL) if i not in ranks.values()]
    vocab = [{"rank": b, "token_bytes": base64.b64encode(bytes([b])).decode(), "token_str": None}
             for b in range(256)]
    return {
        "config": {"pattern": r"[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+|\s+",
                   "num_vocab_tokens": 256, "default_vocab_size": 256 + N_SPECIAL,
                   "default_num_special_tokens": N_SPECIAL, "version": "v7"},
        "vocab": vocab, "special_tokens": sorted(specials, key=lambda t: t["rank"]),
        "audio": {"sampling_rate": 16000, "frame_rate": 12.5, "chunk_length_s": 30.0,
                  "audio_encoding_config": {"num_mel_bins": 128, "hop_length": 160,
                                            "window_size": 400}},
    }


def build_tiny_voxtral(folder: Path, seed: int = 0) -> Path:
    """Save a tiny random VoxtralForConditionalGeneration, its tekken.json and feature extractor
    settings under ``folder``."""
    import torch
    from transformers import VoxtralConfig, VoxtralForConditionalGeneration, WhisperFeatureExtractor

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tekken.json").write_text(json.dumps(_tekken()))
    WhisperFeatureExtractor(feature_size=128).save_pretrained(folder)
    config = VoxtralConfig(
        # the projector groups 4 encoder frames: intermediate_size must be 4 x hidden_size
        audio_config={"hidden_size": 16, "intermediate_size": 64, "num_hidden_layers": 1,
                      "num_attention_heads": 2, "initializer_range": 0.5},
        text_config={"vocab_size": 256 + N_SPECIAL, "hidden_size": 16, "intermediate_size": 32,
                     "num_hidden_layers": 1, "num_attention_heads": 2, "num_key_value_heads": 1,
                     "head_dim": 8, "max_position_embeddings": 4096, "initializer_range": 0.5},
        audio_token_id=24, initializer_range=0.5,
    )
    torch.manual_seed(seed)
    model = VoxtralForConditionalGeneration(config).eval()
    model.generation_config.pad_token_id = 11
    model.generation_config.eos_token_id = 2
    model.save_pretrained(folder)
    return folder
