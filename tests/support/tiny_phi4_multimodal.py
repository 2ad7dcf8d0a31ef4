"""A tiny random Phi-4-multimodal in transformers' own format with its speech LoRA adapter in
``speech-lora/``, as the Hub checkpoint ships it, and its processor."""

from __future__ import annotations

from pathlib import Path

from support.tiny_tokenizers import train_byte_bpe

SPECIAL = ["<|endoftext|>", "<|user|>", "<|assistant|>", "<|end|>", "<|image|>", "<|audio|>"]
#: Renders audio and text parts as the checkpoint's chat template does.
TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|>{% for c in m['content'] %}"
    "{% if c['type'] == 'audio' %}<|audio|>{% elif c['type'] == 'text' %}{{ c['text'] }}"
    "{% endif %}{% endfor %}<|end|>{% endfor %}{% if add_generation_prompt %}<|assistant|>"
    "{% endif %}"
)


def build_tiny_phi4_multimodal(folder: Path, seed: int = 0) -> Path:
    """Save a tiny random Phi4MultimodalForCausalLM, a ``speech-lora`` adapter and the processor
    under ``folder`` (needs the image-processor stand-in of ``support.cpu_standins`` and peft)."""
    import torch
    from peft import LoraConfig
    from transformers import (
        GPT2TokenizerFast,
        Phi4MultimodalConfig,
        Phi4MultimodalFeatureExtractor,
        Phi4MultimodalForCausalLM,
        Phi4MultimodalProcessor,
        SiglipImageProcessor,
    )

    tokenizer = train_byte_bpe(
        SPECIAL, GPT2TokenizerFast, eos_token="<|end|>", pad_token="<|endoftext|>",
        additional_special_tokens=SPECIAL[1:], chat_template=TEMPLATE,
        extra_special_tokens={"image_token": "<|image|>", "audio_token": "<|audio|>"})
    ids = tokenizer.convert_tokens_to_ids
    config = Phi4MultimodalConfig(
        vocab_size=len(tokenizer), hidden_size=16, intermediate_size=32, num_hidden_layers=1,
        num_attention_heads=2, num_key_value_heads=1, initializer_range=0.5,
        bos_token_id=ids("<|endoftext|>"), eos_token_id=ids("<|end|>"),
        pad_token_id=ids("<|endoftext|>"),
        vision_config={"hidden_size": 16, "intermediate_size": 32, "num_hidden_layers": 1,
                       "num_attention_heads": 2, "image_token_id": ids("<|image|>")},
        audio_config={"hidden_size": 16, "intermediate_size": 32, "num_blocks": 1,
                      "num_attention_heads": 2, "ext_pw_out_channel": 16,
                      "depthwise_separable_out_channel": 16, "nemo_conv_channels": 16,
                      "audio_token_id": ids("<|audio|>"), "initializer_range": 0.5},
    )
    torch.manual_seed(seed)
    model = Phi4MultimodalForCausalLM(config).eval()
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.save_pretrained(folder)
    model.add_adapter(LoraConfig(r=2, lora_alpha=4, target_modules=["qkv_proj"],
                                 init_lora_weights=False), adapter_name="speech")
    model.save_pretrained(folder / "speech-lora")  # the adapter alone
    Phi4MultimodalProcessor(SiglipImageProcessor(), Phi4MultimodalFeatureExtractor(), tokenizer,
                            chat_template=TEMPLATE).save_pretrained(folder)
    return folder
