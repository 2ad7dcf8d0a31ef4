"""Qwen2.5-Omni through its thinker only (text out; the talker and vocoder are never loaded)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cameo_bench.audio import TARGET_SR
from cameo_bench.backends.base import Request
from cameo_bench.backends.families.base import ProcessorFamily
from cameo_bench.backends.families.facts import FamilyFacts

__all__ = ["Qwen25OmniFamily", "SYSTEM_PROMPT"]

#: The system turn of every example on the model card and in transformers' docs; the card warns
#: that the model is tuned with it.
SYSTEM_PROMPT = ("You are Qwen, a virtual human developed by the Qwen Team, Alibaba Group, capable "
                 "of perceiving auditory and visual inputs, as well as generating text and speech.")


class Qwen25OmniFamily(ProcessorFamily):
    """Qwen2.5-Omni-7B/3B: ``Qwen2_5OmniThinkerForConditionalGeneration`` (the docs' text-only
    route) with ``Qwen2_5OmniProcessor``; the whole batch in one left-padded call."""

    model_class = "Qwen2_5OmniThinkerForConditionalGeneration"
    packages = ("torchvision",)  # the processor's video part, even for audio-only input
    facts = FamilyFacts(
        model="Qwen2.5-Omni (thinker)",
        prompt=(f"<|im_start|>system\n{SYSTEM_PROMPT}<|im_end|>\n<|im_start|>user\n"
                "<|audio_bos|>{audio}<|audio_eos|>{instruction}<|im_end|>\n"
                "<|im_start|>assistant\n"),
        audio=("16 kHz, Whisper features padded to 30 s with a mask (the processor's "
               "padding='max_length'); longer audio is cut at 30 s"),
        batching="whole batch, left padded",
        decoding="the checkpoint's generation_config.json; text only (no talker)",
        source=("transformers docs model_doc/qwen2_5_omni.md (Text-only generation) and the "
                "Qwen/Qwen2.5-Omni-7B model card"),
    )

    def inputs(self, requests: Sequence[Request]) -> Any:
        """System prompt, then a user turn with the audio followed by the instruction."""
        texts = [
            self.processor.apply_chat_template(
                [{"role": "system", "content": [{"type": "text", "text": SYSTEM_PROMPT}]},
                 {"role": "user", "content": [{"type": "audio", "audio_url": "clip"},
                                              {"type": "text", "text": r.prompt}]}],
                add_generation_prompt=True, tokenize=False,
            )
            for r in requests
        ]
        return self.processor(text=texts, audio=[r.audio for r in requests],
                              sampling_rate=TARGET_SR, return_tensors="pt", padding=True)
