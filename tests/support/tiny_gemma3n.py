"""A tiny random Gemma 3n (text, audio and a stand-in vision tower) saved with its processor.
The vocabulary follows the real layout: text tokens, then the vision ids, then the audio ids."""

from __future__ import annotations

from pathlib import Path

from support.tiny_tokenizers import train_byte_bpe

TEXT_SPECIAL = ["<pad>", "<eos>", "<bos>", "<start_of_turn>", "<end_of_turn>", "<start_of_image>",
                "<start_of_audio>"]
N_MM = 8  # ids per modality (vision, audio), as the real 128
#: The card's chat template renders a system turn into the first user turn and an audio part as
#: the audio soft token; this one renders the same for system / audio / text parts.
TEMPLATE = (
    "{{ bos_token }}{% set ns = namespace(sys='') %}{% for m in messages %}"
    "{% if m['role'] == 'system' %}{% set ns.sys = m['content'][0]['text'] + '\n\n' %}{% else %}"
    "<start_of_turn>{{ 'model' if m['role'] == 'assistant' else m['role'] }}\n"
    "{% if loop.index0 == 1 %}{{ ns.sys }}{% endif %}"
    "{% for c in m['content'] %}{% if c['type'] == 'audio' %}<audio_soft_token>"
    "{% elif c['type'] == 'text' %}{{ c['text'] }}{% endif %}{% endfor %}<end_of_turn>\n"
    "{% endif %}{% endfor %}{% if add_generation_prompt %}<start_of_turn>model\n{% endif %}"
)


def build_tiny_gemma3n(folder: Path, seed: int = 0) -> Path:
    """Save a tiny random Gemma3nForConditionalGeneration + Gemma3nProcessor under ``folder``
    (needs the vision tower stand-in of ``support.cpu_standins``)."""
    import torch
    from transformers import (
        Gemma3nAudioFeatureExtractor,
        Gemma3nConfig,
        Gemma3nForConditionalGeneration,
        Gemma3nProcessor,
        Gemma3nVisionConfig,
        GemmaTokenizerFast,
        SiglipImageProcessor,
    )

    vision = ["<end_of_image>", "<image_soft_token>"] + [f"<vision_{i}>" for i in range(N_MM - 2)]
    audio = ["<end_of_audio>", "<audio_soft_token>"] + [f"<audio_{i}>" for i in range(N_MM - 2)]
    tokenizer = train_byte_bpe(
        TEXT_SPECIAL, GemmaTokenizerFast, added=vision + audio, pad_token="<pad>",
        eos_token="<eos>", bos_token="<bos>", additional_special_tokens=TEXT_SPECIAL[3:],
        chat_template=TEMPLATE, extra_special_tokens={
            "image_token": "<image_soft_token>", "boi_token": "<start_of_image>",
            "eoi_token": "<end_of_image>", "audio_token": "<audio_soft_token>",
            "boa_token": "<start_of_audio>", "eoa_token": "<end_of_audio>"})
    n_text = tokenizer.convert_tokens_to_ids(vision[0])
    ids = tokenizer.convert_tokens_to_ids
    layers = 2
    config = Gemma3nConfig(
        text_config={
            "vocab_size": n_text + 2 * N_MM, "vocab_size_per_layer_input": n_text,
            "hidden_size": 16, "hidden_size_per_layer_input": 4, "intermediate_size": 32,
            "num_hidden_layers": layers, "num_attention_heads": 2, "num_key_value_heads": 1,
            "head_dim": 8, "layer_types": ["sliding_attention", "full_attention"],
            "sliding_window": 64, "num_kv_shared_layers": 0, "laurel_rank": 4,
            "activation_sparsity_pattern": [0.0] * layers, "initializer_range": 0.5,
            "pad_token_id": ids("<pad>"), "eos_token_id": ids("<eos>"),
            "bos_token_id": ids("<bos>")},
        vision_config=Gemma3nVisionConfig(hidden_size=16, vocab_size=N_MM, vocab_offset=n_text,
                                          label_names=["none"]),
        audio_config={
            "input_feat_size": 128, "hidden_size": 16, "conf_num_attention_heads": 2,
            "conf_num_hidden_layers": 1, "sscp_conv_channel_size": [8, 4],
            "conf_conv_kernel_size": 5, "vocab_size": N_MM, "vocab_offset": n_text + N_MM},
        boi_token_id=ids("<start_of_image>"), eoi_token_id=ids("<end_of_image>"),
        image_token_id=ids("<image_soft_token>"), boa_token_id=ids("<start_of_audio>"),
        eoa_token_id=ids("<end_of_audio>"), audio_token_id=ids("<audio_soft_token>"),
        initializer_range=0.5,
    )
    torch.manual_seed(seed)
    model = Gemma3nForConditionalGeneration(config).eval()
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.generation_config.eos_token_id = tokenizer.convert_tokens_to_ids("<end_of_turn>")
    model.save_pretrained(folder)
    Gemma3nProcessor(Gemma3nAudioFeatureExtractor(), SiglipImageProcessor(), tokenizer,
                     chat_template=TEMPLATE).save_pretrained(folder)
    return folder
