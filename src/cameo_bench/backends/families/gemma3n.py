"""Gemma 3n (E2B/E4B instruction-tuned): audio then instruction, the card's system turn."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cameo_bench.audio import TARGET_SR
from cameo_bench.backends.base import Request
from cameo_bench.backends.families.base import ProcessorFamily
from cameo_bench.backends.families.facts import FamilyFacts

__all__ = ["Gemma3nFamily", "SYSTEM_PROMPT"]

#: The system turn of the model card's examples.
SYSTEM_PROMPT = "You are a helpful assistant."


class Gemma3nFamily(ProcessorFamily):
    """``Gemma3nForConditionalGeneration`` with ``Gemma3nProcessor``; batched, left padded. The
    vision tower is a timm model, so loading needs timm (and torchvision) even for audio."""

    model_class = "Gemma3nForConditionalGeneration"
    packages = ("timm", "torchvision")
    facts = FamilyFacts(
        model="Gemma 3n",
        prompt=(f"<bos><start_of_turn>user\n{SYSTEM_PROMPT}\n\n{{audio}}{{instruction}}"
                "<end_of_turn>\n<start_of_turn>model\n"),
        audio=("16 kHz, 128-bin log-mel with a mask; the feature extractor truncates at 30 s; "
               "188 audio tokens per clip ('\\n\\n<start_of_audio>' + 188 x <audio_soft_token> + "
               "'<end_of_audio>\\n\\n')"),
        batching="whole batch, left padded",
        decoding="the checkpoint's generation_config.json (the card decodes with do_sample=False)",
        source="google/gemma-3n-E4B-it model card (processor.apply_chat_template, audio content)",
    )

    def inputs(self, requests: Sequence[Request]) -> Any:
        """System turn, then the audio and the instruction in one user turn."""
        texts = [
            self.processor.apply_chat_template(
                [{"role": "system", "content": [{"type": "text", "text": SYSTEM_PROMPT}]},
                 {"role": "user", "content": [{"type": "audio", "audio": "clip"},
                                              {"type": "text", "text": r.prompt}]}],
                add_generation_prompt=True, tokenize=False,
            )
            for r in requests
        ]
        # the template already starts with <bos>; the card's apply_chat_template(tokenize=True)
        # then tokenizes without adding another
        return self.processor(text=texts, audio=[r.audio for r in requests],
                              sampling_rate=TARGET_SR, return_tensors="pt", padding=True,
                              add_special_tokens=False)
