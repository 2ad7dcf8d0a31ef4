"""A tiny random Qwen2.5-Omni saved as the Hub ships it (the full ``qwen2_5_omni`` config, the
thinker's weights under ``thinker.``; no talker, as with ``enable_audio_output=False``) with its
processor, so the family's thinker-only load is the docs' own route."""

from __future__ import annotations

import json
from pathlib import Path

from support.tiny_tokenizers import train_byte_bpe

SPECIAL = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|AUDIO|>", "<|audio_bos|>",
           "<|audio_eos|>", "<|IMAGE|>", "<|VIDEO|>", "<|vision_bos|>", "<|vision_eos|>"]
#: Renders system, audio and text parts as the checkpoint's chat template does.
TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{% for c in m['content'] %}"
    "{% if c['type'] == 'audio' %}<|audio_bos|><|AUDIO|><|audio_eos|>"
    "{% elif c['type'] == 'text' %}{{ c['text'] }}{% endif %}{% endfor %}<|im_end|>\n"
    "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


def build_tiny_qwen2_5_omni(folder: Path, seed: int = 0) -> Path:
    """Save a tiny random Qwen2_5OmniForConditionalGeneration (thinker only) + processor under
    ``folder`` (needs the video-processor stand-in of ``support.cpu_standins``)."""
    import torch
    from transformers import (
        Qwen2_5OmniConfig,
        Qwen2_5OmniForConditionalGeneration,
        Qwen2_5OmniProcessor,
        Qwen2TokenizerFast,
        Qwen2VLImageProcessor,
        WhisperFeatureExtractor,
    )

    tokenizer = train_byte_bpe(
        SPECIAL, Qwen2TokenizerFast, eos_token="<|im_end|>", pad_token="<|endoftext|>",
        additional_special_tokens=SPECIAL[1:], extra_special_tokens={
            "audio_token": "<|AUDIO|>", "audio_bos_token": "<|audio_bos|>",
            "audio_eos_token": "<|audio_eos|>", "image_token": "<|IMAGE|>",
            "video_token": "<|VIDEO|>", "vision_bos_token": "<|vision_bos|>",
            "vision_eos_token": "<|vision_eos|>"})
    ids = tokenizer.convert_tokens_to_ids
    thinker = {
        "audio_config": {"d_model": 16, "encoder_layers": 1, "encoder_attention_heads": 2,
                         "encoder_ffn_dim": 32, "num_mel_bins": 128, "output_dim": 16},
        "vision_config": {"depth": 1, "hidden_size": 16, "num_heads": 2, "intermediate_size": 32,
                          "out_hidden_size": 16, "fullatt_block_indexes": [0]},
        "text_config": {"vocab_size": len(tokenizer), "hidden_size": 16, "num_hidden_layers": 1,
                        "num_attention_heads": 2, "num_key_value_heads": 1,
                        "intermediate_size": 32, "initializer_range": 0.5,
                        "rope_scaling": {"type": "default", "rope_type": "default",
                                         "mrope_section": [2, 1, 1]}},
        "audio_token_index": ids("<|AUDIO|>"), "image_token_index": ids("<|IMAGE|>"),
        "video_token_index": ids("<|VIDEO|>"), "audio_start_token_id": ids("<|audio_bos|>"),
        "audio_end_token_id": ids("<|audio_eos|>"), "vision_start_token_id": ids("<|vision_bos|>"),
        "vision_end_token_id": ids("<|vision_eos|>"), "initializer_range": 0.5,
    }
    torch.manual_seed(seed)
    model = Qwen2_5OmniForConditionalGeneration(
        Qwen2_5OmniConfig(thinker_config=thinker, enable_audio_output=False)).eval()
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.save_pretrained(folder)
    image = Qwen2VLImageProcessor()
    Qwen2_5OmniProcessor(image, Qwen2VLImageProcessor(), WhisperFeatureExtractor(feature_size=128),
                         tokenizer, chat_template=TEMPLATE).save_pretrained(folder)
    # The Hub's preprocessor_config.json holds the image and the audio settings together.
    path = folder / "preprocessor_config.json"
    path.write_text(json.dumps({**image.to_dict(), **json.loads(path.read_text()),
                                "image_processor_type": "Qwen2VLImageProcessor"}))
    return folder
