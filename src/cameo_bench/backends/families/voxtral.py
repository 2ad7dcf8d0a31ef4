"""Voxtral Mini / Small: the audio goes in as a base64 WAV content part, as the model card's chat
example passes it; mistral-common renders the prompt and encodes the audio."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from typing import Any

import numpy as np

from cameo_bench.audio import TARGET_SR
from cameo_bench.backends.base import Request
from cameo_bench.backends.families.base import ProcessorFamily
from cameo_bench.backends.families.facts import FamilyFacts

__all__ = ["VoxtralFamily", "wav_base64"]


def wav_base64(audio: np.ndarray) -> str:
    """``audio`` (16 kHz float32 mono) as a base64 WAV file (32-bit float, no resampling)."""
    import soundfile as sf

    buffer = io.BytesIO()
    sf.write(buffer, audio, TARGET_SR, format="WAV", subtype="FLOAT")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


class VoxtralFamily(ProcessorFamily):
    """Voxtral-Mini-3B-2507 and Voxtral-Small-24B-2507: ``VoxtralForConditionalGeneration`` with
    ``VoxtralProcessor.apply_chat_template`` (mistral-common's tekken tokenizer); batched, left
    padded."""

    model_class = "VoxtralForConditionalGeneration"
    packages = ("mistral_common",)
    facts = FamilyFacts(
        model="Voxtral",
        prompt="<s>[INST][BEGIN_AUDIO]{audio}{instruction}[/INST]",
        audio=("16 kHz WAV; mistral-common pads each clip to a multiple of 30 s and the "
               "processor splits it into 30 s windows (375 audio tokens each)"),
        batching="whole batch, left padded",
        decoding=("the checkpoint's generation_config.json (the card suggests temperature 0.2, "
                  "top_p 0.95 for chat; the benchmark's temperatures apply)"),
        source=("mistralai/Voxtral-Mini-3B-2507 model card (transformers: audio + text "
                "instruct, batched inference) and transformers docs model_doc/voxtral.md"),
    )

    def inputs(self, requests: Sequence[Request]) -> Any:
        """One conversation per clip: the audio part, then the instruction, in one user turn."""
        conversations = [
            [{"role": "user", "content": [{"type": "audio", "base64": wav_base64(r.audio)},
                                          {"type": "text", "text": r.prompt}]}]
            for r in requests
        ]
        return self.processor.apply_chat_template(conversations)
