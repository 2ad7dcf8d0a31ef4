"""A tiny random Granite-Speech 3.3 (conformer encoder, Q-Former projector, Granite LM) with a
LoRA adapter saved beside it, as the Hub checkpoint ships one, and its processor."""

from __future__ import annotations

from pathlib import Path

from support.tiny_tokenizers import train_byte_bpe

SPECIAL = ["<|end_of_text|>", "<|start_of_role|>", "<|end_of_role|>", "<|audio|>", "<|pad|>"]
#: Renders string-content turns as the checkpoint's Granite 3.3 chat template does.
TEMPLATE = (
    "{% for m in messages %}<|start_of_role|>{{ m['role'] }}<|end_of_role|>{{ m['content'] }}"
    "<|end_of_text|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|start_of_role|>assistant<|end_of_role|>{% endif %}"
)


def build_tiny_granite_speech(folder: Path, seed: int = 0) -> Path:
    """Save a tiny random GraniteSpeechForConditionalGeneration with a LoRA adapter and a
    GraniteSpeechProcessor under ``folder`` (needs the torchaudio stand-in of
    ``support.cpu_standins`` and peft)."""
    import torch
    from peft import LoraConfig
    from transformers import (
        GraniteSpeechConfig,
        GraniteSpeechFeatureExtractor,
        GraniteSpeechForConditionalGeneration,
        GraniteSpeechProcessor,
    )

    tokenizer = train_byte_bpe(SPECIAL, eos_token="<|end_of_text|>", pad_token="<|pad|>",
                               additional_special_tokens=SPECIAL[1:], chat_template=TEMPLATE)
    config = GraniteSpeechConfig(
        text_config={"vocab_size": len(tokenizer), "hidden_size": 16, "num_hidden_layers": 1,
                     "num_attention_heads": 2, "num_key_value_heads": 1, "intermediate_size": 32,
                     "initializer_range": 0.5},
        encoder_config={"input_dim": 160, "num_layers": 1, "hidden_dim": 16, "feedforward_mult": 2,
                        "num_heads": 2, "dim_head": 8, "output_dim": 8, "conv_kernel_size": 3},
        projector_config={"hidden_size": 16, "num_hidden_layers": 1, "num_attention_heads": 2,
                          "intermediate_size": 32, "encoder_hidden_size": 16,
                          "cross_attention_frequency": 1, "initializer_range": 0.5},
        audio_token_index=tokenizer.convert_tokens_to_ids("<|audio|>"), initializer_range=0.5,
    )
    torch.manual_seed(seed)
    model = GraniteSpeechForConditionalGeneration(config).eval()
    model.add_adapter(LoraConfig(r=2, lora_alpha=4, target_modules=["q_proj", "v_proj"],
                                 init_lora_weights=False))
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.save_pretrained(str(folder))  # the adapter records it as its base model path
    GraniteSpeechProcessor(GraniteSpeechFeatureExtractor(), tokenizer).save_pretrained(folder)
    return folder
