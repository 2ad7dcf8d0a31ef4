"""The model registry: every short name (alias) cameo-bench knows, its Hub id, the backends that
can run it and what each needs. ``cameo models`` prints it; model specs resolve aliases with
:data:`ALIASES`; docs/models.md describes each family's prompt, audio and decoding."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ModelEntry", "MODELS", "ALIASES", "series_of"]


@dataclass(frozen=True)
class ModelEntry:
    """One model: ``alias`` → ``hub_id``; ``series`` groups its sizes and versions (the
    leaderboard's family); ``backends`` that run it (``hf`` through the family registered for
    config.json ``model_type``); ``needs``: what to install and what hardware."""

    alias: str
    name: str
    series: str
    hub_id: str
    backends: tuple[str, ...]
    model_type: str | None
    needs: str
    paper: bool = False


_HF = "hf extra"
#: The four systems of the CAMEO paper first, then newer audio LLMs ("hf extra" pins
#: transformers 4.57); openai means a ``vllm serve`` (or other OpenAI-compatible) server.
MODELS: tuple[ModelEntry, ...] = (
    ModelEntry("qwen2-audio", "Qwen2-Audio-7B-Instruct", "Qwen2-Audio",
               "Qwen/Qwen2-Audio-7B-Instruct",
               ("hf", "vllm", "openai"), "qwen2_audio",
               f"{_HF}; GPU 24 GB", paper=True),
    ModelEntry("seallms-audio", "SeaLLMs-Audio-7B", "SeaLLMs-Audio", "SeaLLMs/SeaLLMs-Audio-7B",
               ("hf", "vllm", "openai"), "qwen2_audio",
               f"{_HF}; GPU 24 GB", paper=True),
    ModelEntry("ultravox", "Ultravox v0.5 (Llama 3.1 8B)", "Ultravox",
               "fixie-ai/ultravox-v0_5-llama-3_1-8b",
               ("hf", "vllm", "openai"), "ultravox",
               f"{_HF}, Hub remote code (transformers < 5); GPU 24 GB", paper=True),
    ModelEntry("ichigo", "Ichigo llama3.1-s v0.4", "Ichigo",
               "homebrewltd/Ichigo-llama3.1-s-instruct-v0.4",
               ("hf",), "llama",
               f"{_HF} + ichigo extra (WhisperVQ); GPU 24 GB", paper=True),
    ModelEntry("qwen2.5-omni", "Qwen2.5-Omni-7B (thinker)", "Qwen-Omni", "Qwen/Qwen2.5-Omni-7B",
               ("hf", "vllm", "openai"), "qwen2_5_omni",
               f"{_HF} + torchvision; GPU 24 GB"),
    ModelEntry("qwen3-omni", "Qwen3-Omni-30B-A3B-Instruct", "Qwen-Omni",
               "Qwen/Qwen3-Omni-30B-A3B-Instruct",
               ("vllm", "openai"), None,
               "vllm extra; GPU 80 GB (30B MoE in bf16)"),
    ModelEntry("voxtral-mini", "Voxtral-Mini-3B-2507", "Voxtral", "mistralai/Voxtral-Mini-3B-2507",
               ("hf", "vllm", "openai"), "voxtral",
               f"{_HF} (mistral-common); GPU 12 GB"),
    ModelEntry("voxtral-small", "Voxtral-Small-24B-2507", "Voxtral",
               "mistralai/Voxtral-Small-24B-2507",
               ("hf", "vllm", "openai"), "voxtral",
               f"{_HF} (mistral-common); GPU 60 GB"),
    ModelEntry("phi-4-multimodal", "Phi-4-multimodal-instruct", "Phi-4",
               "microsoft/Phi-4-multimodal-instruct",
               ("hf", "vllm", "openai"), "phi4_multimodal",
               f"{_HF} (peft) + torchvision; transformers-format weights; GPU 16 GB"),
    ModelEntry("granite-speech", "granite-speech-3.3-8b", "Granite-Speech",
               "ibm-granite/granite-speech-3.3-8b",
               ("hf", "vllm", "openai"), "granite_speech",
               f"{_HF} (peft) + torchaudio; GPU 24 GB"),
    ModelEntry("granite-speech-2b", "granite-speech-3.3-2b", "Granite-Speech",
               "ibm-granite/granite-speech-3.3-2b",
               ("hf", "vllm", "openai"), "granite_speech",
               f"{_HF} (peft) + torchaudio; GPU 8 GB"),
    ModelEntry("kimi-audio", "Kimi-Audio-7B-Instruct", "Kimi-Audio",
               "moonshotai/Kimi-Audio-7B-Instruct",
               ("vllm", "openai"), "kimi_audio",
               "vllm extra (a vLLM with Kimi-Audio); no transformers class; GPU 24 GB"),
    ModelEntry("gemma-3n", "Gemma 3n E4B (instruction-tuned)", "Gemma 3n", "google/gemma-3n-E4B-it",
               ("hf", "vllm", "openai"), "gemma3n",
               f"{_HF} + timm, torchvision; GPU 16 GB"),
    ModelEntry("audio-flamingo-3", "Audio Flamingo 3", "Audio Flamingo",
               "nvidia/audio-flamingo-3-hf",
               ("vllm", "openai"), "audioflamingo3",
               "vllm extra; hf needs transformers >= 5 (a separate environment); GPU 24 GB"),
    ModelEntry("midashenglm", "MiDashengLM-7B", "MiDashengLM", "mispeech/midashenglm-7b",
               ("vllm", "openai"), "midashenglm",
               "vllm extra (Hub remote code for transformers); GPU 24 GB"),
)

#: Alias → Hub id, for model specs.
ALIASES: dict[str, str] = {m.alias: m.hub_id for m in MODELS}


def series_of(model_id: str) -> str | None:
    """The series of a run's model id (an alias, a Hub id, or a local folder named like the Hub
    id's last part; case-insensitive), or None for a model the registry does not know."""
    key = model_id.strip().lower()
    for m in MODELS:
        if key in (m.alias, m.hub_id.lower(), m.hub_id.rpartition("/")[2].lower()):
            return m.series
    return None
