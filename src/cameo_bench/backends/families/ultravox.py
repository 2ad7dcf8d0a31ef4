"""Ultravox v0.5 (``model_type`` ultravox) through the Hub's custom code, one clip per call."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from cameo_bench.audio import TARGET_SR
from cameo_bench.backends.base import Request
from cameo_bench.backends.families.base import Family
from cameo_bench.backends.families.facts import ULTRAVOX
from cameo_bench.errors import CameoError

__all__ = ["UltravoxFamily"]

def _transformers_major() -> int:
    import transformers

    return int(transformers.__version__.split(".")[0])


class UltravoxFamily(Family):
    """Ultravox v0.5 through the Hub's custom code (``trust_remote_code``), one clip per call:
    its processor takes one audio at a time (use ``vllm:ultravox`` for batched throughput)."""

    facts = ULTRAVOX

    def __init__(self, model_id: str, load: dict[str, Any], **kw):
        super().__init__(model_id, load, **kw)
        major = _transformers_major()
        if major >= 5:
            raise CameoError(
                f"Ultravox's Hub code needs transformers < 5, this environment has {major}.x: "
                "pip install 'transformers>=4.57,<5' (or use vllm:ultravox)"
            )
        from transformers import AutoModel, AutoProcessor

        revision = load.get("revision")
        self.processor = AutoProcessor.from_pretrained(
            model_id, revision=revision, trust_remote_code=True)
        self.tokenizer = self.processor.tokenizer
        self.model = self._place(AutoModel.from_pretrained(
            model_id, trust_remote_code=True, **load))

    def batches(self, requests: Sequence[Request]) -> Iterator[dict[str, Any]]:
        """One clip per batch: ``<|audio|>`` then the instruction in one user turn."""
        for r in requests:
            text = self.tokenizer.apply_chat_template(
                [{"role": "user", "content": f"<|audio|>\n{r.prompt}"}],
                add_generation_prompt=True, tokenize=False,
            )
            inputs = self.processor(text=text, audio=r.audio, sampling_rate=TARGET_SR,
                                    return_tensors="pt").to(self.input_device)
            if "audio_values" in inputs:
                inputs["audio_values"] = inputs["audio_values"].to(self.model.dtype)
            yield inputs
