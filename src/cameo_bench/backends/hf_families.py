"""How each audio-LLM family turns requests into model inputs (used by the ``hf`` backend).

A family loads its model and processor and yields batches of ready ``generate`` inputs. The text
of a turn is the benchmark's instruction; the audio comes first, as in the models' own examples.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from cameo_bench.backends.base import Request
from cameo_bench.backends.families.facts import ICHIGO, QWEN2_AUDIO, ULTRAVOX
from cameo_bench.errors import CameoError, MissingDependencyError
from cameo_bench.registry import Registry

__all__ = ["Qwen2AudioFamily", "UltravoxFamily", "IchigoFamily", "QUANTIZERS", "sound_tokens"]

_SR = 16_000

#: Ichigo's audio tokenizers: name → class with ``encode(audio) -> list[int]`` and a ``revision``
#: string (part of the model revision, so answers made with another quantizer are never reused).
QUANTIZERS = Registry(
    "sound quantizer", {"whisperspeech": "cameo_bench.backends.hf_families:WhisperSpeechVQ"}
)


class _Family:
    """Shared loading: ``load`` kwargs for ``from_pretrained`` and the target device.
    ``revision_parts`` name what else the answers depend on (recorded in the model revision)."""

    model: Any
    tokenizer: Any
    revision_parts: tuple[str, ...] = ()

    def __init__(self, model_id: str, load: dict[str, Any], *, device: str):
        self.model_id, self.load, self.device = model_id, load, device

    def _place(self, model):
        if "device_map" not in self.load:
            model = model.to(self.device)
        self.input_device = model.device
        return model.eval()

    @property
    def pad_token_id(self) -> int:
        """The id used for left padding (the tokenizer's pad token, else its end of sequence)."""
        tok = self.tokenizer
        return tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id


class Qwen2AudioFamily(_Family):
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
                                sampling_rate=_SR, return_tensors="pt", padding=True)
        inputs = inputs.to(self.input_device)
        inputs["input_features"] = inputs["input_features"].to(self.model.dtype)
        yield inputs


def _transformers_major() -> int:
    import transformers

    return int(transformers.__version__.split(".")[0])


class UltravoxFamily(_Family):
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
            inputs = self.processor(text=text, audio=r.audio, sampling_rate=_SR,
                                    return_tensors="pt").to(self.input_device)
            if "audio_values" in inputs:
                inputs["audio_values"] = inputs["audio_values"].to(self.model.dtype)
            yield inputs


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


class IchigoFamily(_Family):
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
