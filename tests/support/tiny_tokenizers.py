"""Byte-level BPE tokenizers trained in a test (a fraction of a second) for the tiny checkpoints:
the benchmark's instruction and labels in the training text, the family's special tokens kept
whole."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cameo_bench.vocab import EMOTIONS


def train_byte_bpe(specials: Sequence[str], tokenizer_class: Any = None, *,
                   added: Sequence[str] = (), extra_text: Sequence[str] = (),
                   vocab_size: int = 400, **kwargs: Any):
    """A ``tokenizer_class`` (default ``PreTrainedTokenizerFast``) around a byte-level BPE trained
    on the cameo-v1 instruction, the emotion labels and ``extra_text``; ``specials`` come first
    in the vocabulary, in order, and ``added`` special tokens last, in order. ``kwargs`` go to
    the tokenizer class (eos, pad, chat template, ``extra_special_tokens``)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    from cameo_bench.prompts import get_prompt

    tok = Tokenizer(models.BPE(unk_token=None))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    corpus = [get_prompt().render(EMOTIONS), "system user assistant You are a helpful assistant.",
              " ".join(EMOTIONS), *extra_text]
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=list(specials),
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(corpus, trainer)
    tok.add_special_tokens(list(added))
    kwargs.setdefault("model_input_names", ["input_ids", "attention_mask"])
    return (tokenizer_class or PreTrainedTokenizerFast)(tokenizer_object=tok, **kwargs)
