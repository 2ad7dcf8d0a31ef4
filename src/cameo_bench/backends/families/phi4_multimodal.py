"""Phi-4-multimodal-instruct in transformers' own format, speech LoRA adapter active."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cameo_bench.audio import TARGET_SR
from cameo_bench.backends.base import Request
from cameo_bench.backends.families.base import ProcessorFamily, missing_packages
from cameo_bench.backends.families.facts import FamilyFacts

__all__ = ["Phi4MultimodalFamily", "SPEECH_ADAPTER"]

#: The checkpoint's subfolder holding the speech LoRA, as transformers' docs load it.
SPEECH_ADAPTER = "speech-lora"


class Phi4MultimodalFamily(ProcessorFamily):
    """``Phi4MultimodalForCausalLM`` with ``Phi4MultimodalProcessor``; the ``speech`` adapter
    (``speech-lora/``) loaded and set as the docs' audio example does; batched, left padded."""

    model_class = "Phi4MultimodalForCausalLM"
    packages = ("torchvision", "peft")  # the processor's image part; the speech LoRA
    facts = FamilyFacts(
        model="Phi-4-multimodal",
        prompt="<|user|>{audio}{instruction}<|end|><|assistant|>",
        audio=("16 kHz, 80-bin log-mel; the processor pads the batch and masks the padding; "
               "the card documents audio up to 40 s (longer is not cut)"),
        batching="whole batch, left padded",
        decoding="the checkpoint's generation_config.json (the docs decode greedily)",
        source=("transformers docs model_doc/phi4_multimodal.md (audio example: load_adapter "
                "'speech-lora', set_adapter('speech'))"),
    )

    def __init__(self, model_id: str, load: dict[str, Any], **kw):
        super().__init__(model_id, load, **kw)
        # transformers looks for a local folder's adapter at its top level, ignoring subfolder
        local = Path(model_id) / SPEECH_ADAPTER
        where = ({"peft_model_id": str(local)} if local.is_dir() else
                 {"peft_model_id": model_id, "revision": load.get("revision"),
                  "adapter_kwargs": {"subfolder": SPEECH_ADAPTER}})
        with missing_packages(self.facts.model, ("peft",)):
            self.model.load_adapter(adapter_name="speech", **where)
        self.model.set_adapter("speech")
        self.model.eval()

    def inputs(self, requests: Sequence[Request]) -> Any:
        """The audio and then the instruction in one user turn."""
        # the checkpoint's template may sit with the tokenizer rather than the processor
        template = self.processor.chat_template or self.tokenizer.chat_template
        texts = [
            self.processor.apply_chat_template(
                [{"role": "user", "content": [{"type": "audio", "url": "clip"},
                                              {"type": "text", "text": r.prompt}]}],
                chat_template=template, add_generation_prompt=True, tokenize=False,
            )
            for r in requests
        ]
        return self.processor(text=texts, audio=[r.audio for r in requests],
                              sampling_rate=TARGET_SR, return_tensors="pt", padding=True)
