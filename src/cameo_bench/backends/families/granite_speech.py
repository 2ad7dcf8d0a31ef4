"""Granite-Speech 3.3: the model card's two calls, the tokenizer's chat template for the prompt
and the speech processor for audio + text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cameo_bench.backends.base import Request
from cameo_bench.backends.families.base import ProcessorFamily
from cameo_bench.backends.families.facts import FamilyFacts
from cameo_bench.errors import CameoError

__all__ = ["GraniteSpeechFamily", "SYSTEM_PROMPT"]

#: The card's system turn with its fixed date (the chat template would otherwise insert today's
#: date, and answers would change with the day of the run).
SYSTEM_PROMPT = ("Knowledge Cutoff Date: April 2024.\nToday's Date: December 19, 2024.\n"
                 "You are Granite, developed by IBM. You are a helpful AI assistant")


class GraniteSpeechFamily(ProcessorFamily):
    """granite-speech-3.3-2b/8b: ``GraniteSpeechForConditionalGeneration`` (its LoRA adapter is
    loaded by ``from_pretrained`` through peft and switched on for audio inputs) with
    ``GraniteSpeechProcessor``. One clip per call: the feature extractor normalises each padded
    batch row by the batch's frames and the conformer has no padding mask."""

    model_class = "GraniteSpeechForConditionalGeneration"
    packages = ("torchaudio", "peft")
    one_clip_per_call = True
    facts = FamilyFacts(
        model="Granite-Speech 3.3",
        prompt=(f"<|start_of_role|>system<|end_of_role|>{SYSTEM_PROMPT}<|end_of_text|>\n"
                "<|start_of_role|>user<|end_of_role|>{audio}{instruction}<|end_of_text|>\n"
                "<|start_of_role|>assistant<|end_of_role|>"),
        audio="16 kHz, 80-bin log-mel stacked in pairs; no length limit in the processor",
        batching="one clip per call",
        decoding="the checkpoint's generation_config.json (the card decodes greedily, 1 beam)",
        source=("ibm-granite/granite-speech-3.3-8b model card (tokenizer.apply_chat_template + "
                "processor(text, wav)); the system turn as in vLLM's "
                "tests/models/multimodal/generation/test_granite_speech.py"),
    )

    def __init__(self, model_id: str, load: dict[str, Any], **kw):
        import importlib.util

        if importlib.util.find_spec("peft") is None:
            raise CameoError("Granite-Speech answers through its LoRA adapter, which needs peft: "
                             "pip install peft")
        super().__init__(model_id, load, **kw)

    def inputs(self, requests: Sequence[Request]) -> Any:
        """System turn, then ``<|audio|>`` followed by the instruction in the user turn."""
        import torch

        texts = [
            self.tokenizer.apply_chat_template(
                [{"role": "system", "content": SYSTEM_PROMPT},
                 {"role": "user", "content": f"<|audio|>{r.prompt}"}],
                add_generation_prompt=True, tokenize=False,
            )
            for r in requests
        ]
        audio = [torch.from_numpy(r.audio) for r in requests]
        return self.processor(texts, audio, return_tensors="pt")
