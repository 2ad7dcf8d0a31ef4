"""A tiny random Qwen2-Audio checkpoint (seconds to build and run on a CPU), saved as a folder
that the ``hf`` backend loads through its real path (``from_pretrained``)."""

from __future__ import annotations

from pathlib import Path

from cameo_bench.vocab import EMOTIONS

SPECIAL = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|audio_bos|>", "<|AUDIO|>",
           "<|audio_eos|>"]


def _tokenizer():
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    from cameo_bench.prompts import get_prompt

    tok = Tokenizer(models.BPE(unk_token=None))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    corpus = [get_prompt().render(EMOTIONS), "system user assistant You are a helpful assistant.",
              "Audio 1: " + " ".join(EMOTIONS)]
    trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=SPECIAL,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(corpus, trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>",
        additional_special_tokens=SPECIAL[1:], model_input_names=["input_ids", "attention_mask"],
    )


def build_tiny_qwen2_audio(folder: Path, seed: int = 0) -> Path:
    """Save a tiny random Qwen2AudioForConditionalGeneration + processor under ``folder``."""
    import torch
    from transformers import (
        Qwen2AudioConfig,
        Qwen2AudioForConditionalGeneration,
        Qwen2AudioProcessor,
        WhisperFeatureExtractor,
    )

    tokenizer = _tokenizer()
    processor = Qwen2AudioProcessor(WhisperFeatureExtractor(feature_size=128), tokenizer)
    config = Qwen2AudioConfig(
        audio_config={"d_model": 16, "encoder_layers": 1, "encoder_attention_heads": 2,
                      "encoder_ffn_dim": 32, "num_mel_bins": 128, "max_source_positions": 1500,
                      "initializer_range": 0.5},
        text_config={"model_type": "qwen2", "vocab_size": len(tokenizer), "hidden_size": 16,
                     "num_hidden_layers": 1, "num_attention_heads": 2, "num_key_value_heads": 1,
                     "intermediate_size": 32, "max_position_embeddings": 2048,
                     "initializer_range": 0.5},
        audio_token_index=tokenizer.convert_tokens_to_ids("<|AUDIO|>"),
        initializer_range=0.5,  # large weights: the answers depend on the audio
    )
    torch.manual_seed(seed)
    model = Qwen2AudioForConditionalGeneration(config).eval()
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.save_pretrained(folder)
    processor.save_pretrained(folder)
    return folder
