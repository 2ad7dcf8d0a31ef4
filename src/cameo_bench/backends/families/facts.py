"""What a family sends to its model, recorded per family so run.json and docs/models.md can say
it: the exact prompt, the audio handling, the batching, the decoding notes and the upstream
source followed."""

from __future__ import annotations

from dataclasses import asdict, dataclass

__all__ = ["FamilyFacts", "QWEN2_AUDIO", "ULTRAVOX", "ICHIGO"]


@dataclass(frozen=True)
class FamilyFacts:
    """One family's inference recipe in words. ``prompt`` is the text the tokenizer sees, with
    ``{audio}`` where the audio placeholder goes and ``{instruction}`` for the benchmark's
    instruction."""

    model: str
    prompt: str
    audio: str
    batching: str
    decoding: str
    source: str

    def as_dict(self) -> dict[str, str]:
        """The facts as a plain dict (for run.json)."""
        return asdict(self)


#: The checkpoint decides the decoding extras; the benchmark sets sampling, temperature, seed
#: and the token cap (see docs/models.md, Decoding).
_CHECKPOINT_DECODING = "the checkpoint's generation_config.json, greedy at temperature 0"

QWEN2_AUDIO = FamilyFacts(
    model="Qwen2-Audio-7B-Instruct / SeaLLMs-Audio-7B",
    prompt=("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n"
            "Audio 1: <|audio_bos|>{audio}<|audio_eos|>\n{instruction}<|im_end|>\n"
            "<|im_start|>assistant\n"),
    audio="16 kHz, Whisper features; the processor truncates at 30 s",
    batching="whole batch, left padded",
    decoding=_CHECKPOINT_DECODING,
    source="Qwen2-Audio-7B-Instruct model card (processor.apply_chat_template + processor)",
)
ULTRAVOX = FamilyFacts(
    model="Ultravox v0.5",
    prompt="Llama 3.1 chat template; user turn '<|audio|>\\n{instruction}'",
    audio="16 kHz; the Hub processor chunks audio into 30 s windows",
    batching="one clip per call (the Hub processor takes one audio)",
    decoding=_CHECKPOINT_DECODING,
    source="fixie-ai/ultravox-v0_5 model card (trust_remote_code pipeline inputs)",
)
ICHIGO = FamilyFacts(
    model="Ichigo llama3.1-s v0.4",
    prompt=("Llama 3.1 chat template; user turn "
            "'<|sound_start|><|sound_XXXX|>...<|sound_end|>\\n{instruction}'"),
    audio="16 kHz; WhisperVQ sound tokens (quantizer option)",
    batching="whole batch, left padded",
    decoding=_CHECKPOINT_DECODING,
    source="janhq/ichigo demo (WhisperVQ codes as <|sound_XXXX|> text)",
)
