"""Ichigo llama3.1-s (``model_type`` llama with ``<|sound_XXXX|>`` tokens): audio enters as text
tokens made by a WhisperVQ quantizer (:data:`QUANTIZERS`)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from cameo_bench.backends.base import Request
from cameo_bench.backends.families.base import Family
from cameo_bench.backends.families.facts import ICHIGO
from cameo_bench.errors import CameoError, MissingDependencyError
from cameo_bench.registry import Registry

__all__ = ["IchigoFamily", "QUANTIZERS", "WhisperSpeechVQ", "sound_tokens"]

#: Ichigo's audio tokenizers: name → class with ``encode(audio) -> list[int]`` and a ``revision``
#: string (part of the model revision, so answers made with another quantizer are never reused).
QUANTIZERS = Registry(
    "sound quantizer", {"whisperspeech": "cameo_bench.backends.families.ichigo:WhisperSpeechVQ"}
)



def sound_tokens(codes: Sequence[int]) -> str:
    """Ichigo's text form of quantized audio: ``<|sound_start|><|sound_0042|>...<|sound_end|>``."""
    return "<|sound_start|>" + "".join(f"<|sound_{c:04d}|>" for c in codes) + "<|sound_end|>"


class WhisperSpeechVQ:
    """WhisperVQ from the ``whisperspeech`` package: the 7-language codebook Ichigo v0.3 and
    later were trained with (janhq/ichigo ``demo/app.py``; the older ``medium-en+pl`` codebook
    belongs to llama3.1-s v0.2 and its codes mean other sounds). ``revision`` names the
    checkpoint file and its Hub commit."""

    checkpoint = ("jan-hq/WhisperVQ", "whisper-vq-stoks-v3-7lang-fixed.model")

    def __init__(self, device: str):
        try:
            from whisperspeech.vq_stoks import RQBottleneckTransformer
        except ModuleNotFoundError:
            raise MissingDependencyError(
                "whisperspeech", "ichigo", "Ichigo hears audio through its WhisperVQ quantizer"
            ) from None
        from huggingface_hub import hf_hub_download

        path = Path(hf_hub_download(*self.checkpoint))
        self.vq = RQBottleneckTransformer.load_model(str(path)).to(device).eval()
        self.device = device
        commit = path.parent.name if path.parent.parent.name == "snapshots" else "local"
        self.revision = "{}:{}@{}".format(*self.checkpoint, commit)

    def encode(self, audio: np.ndarray) -> list[int]:
        """The sound token ids of 16 kHz mono ``audio``."""
        import torch

        with torch.inference_mode():
            codes = self.vq.encode_audio(torch.from_numpy(audio)[None].to(self.device))
        return [int(c) for c in codes[0].cpu().tolist()]


class IchigoFamily(Family):
    """Ichigo (llama3.1-s): a Llama whose audio enters as ``<|sound_XXXX|>`` text tokens made by
    a pluggable quantizer (option ``quantizer``, see :data:`QUANTIZERS`); batched, left padded."""

    facts = ICHIGO

    def __init__(self, model_id: str, load: dict[str, Any], *, device: str,
                 quantizer: str = "whisperspeech"):
        super().__init__(model_id, load, device=device)
        from transformers import AutoModelForCausalLM, AutoTokenizer

        self.tokenizer = AutoTokenizer.from_pretrained(model_id, revision=load.get("revision"))
        if not any(re.fullmatch(r"<\|sound_\d{4}\|>", t) for t in self.tokenizer.get_vocab()):
            raise CameoError(
                f"{model_id} is a Llama without <|sound_XXXX|> tokens: not an Ichigo checkpoint, "
                "and plain Llamas cannot hear audio"
            )
        self.tokenizer.padding_side = "left"
        if self.tokenizer.pad_token is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        self.quantizer = QUANTIZERS[quantizer](device if device != "auto" else "cpu")
        self.revision_parts = (f"quantizer={self.quantizer.revision}",)
        self.model = self._place(AutoModelForCausalLM.from_pretrained(model_id, **load))

    def batches(self, requests: Sequence[Request]) -> Iterator[dict[str, Any]]:
        """One batch: sound tokens then the instruction in one user turn."""
        texts = [
            self.tokenizer.apply_chat_template(
                [{"role": "user",
                  "content": f"{sound_tokens(self.quantizer.encode(r.audio))}\n{r.prompt}"}],
                add_generation_prompt=True, tokenize=False,
            )
            for r in requests
        ]
        yield self.tokenizer(texts, return_tensors="pt", padding=True,
                             add_special_tokens=False).to(self.input_device)
