"""Qwen2-Audio-7B-Instruct and SeaLLMs-Audio-7B (``model_type`` qwen2_audio), as the Qwen2-Audio
model card runs them: the processor's chat template with the audio first, batched with left
padding."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from cameo_bench.audio import TARGET_SR
from cameo_bench.backends.base import Request
from cameo_bench.backends.families.base import Family
from cameo_bench.backends.families.facts import QWEN2_AUDIO

__all__ = ["Qwen2AudioFamily"]

class Qwen2AudioFamily(Family):
    """Qwen2-Audio-7B-Instruct and SeaLLMs-Audio-7B: Qwen2AudioForConditionalGeneration with its
    processor and chat template; the whole batch in one left-padded call."""

    facts = QWEN2_AUDIO

    def __init__(self, model_id: str, load: dict[str, Any], **kw):
        super().__init__(model_id, load, **kw)
        from transformers import AutoProcessor, Qwen2AudioForConditionalGeneration

        revision = load.get("revision")
        self.processor = AutoProcessor.from_pretrained(model_id, revision=revision)
        self.tokenizer = self.processor.tokenizer
        self.tokenizer.padding_side = "left"
        self.model = self._place(Qwen2AudioForConditionalGeneration.from_pretrained(
            model_id, **load))

    def batches(self, requests: Sequence[Request]) -> Iterator[dict[str, Any]]:
        """One batch: chat-templated prompts with one audio each, left padded."""
        texts = [
            self.processor.apply_chat_template(
                [{"role": "user", "content": [{"type": "audio", "audio_url": "clip"},
                                              {"type": "text", "text": r.prompt}]}],
                add_generation_prompt=True, tokenize=False,
            )
            for r in requests
        ]
        inputs = self.processor(text=texts, audio=[r.audio for r in requests],
                                sampling_rate=TARGET_SR, return_tensors="pt", padding=True)
        inputs = inputs.to(self.input_device)
        inputs["input_features"] = inputs["input_features"].to(self.model.dtype)
        yield inputs
