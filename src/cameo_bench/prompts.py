"""Versioned prompt templates (SPEC §2). Every prediction carries a prompt id and its text hash."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from cameo_bench.errors import UnknownNameError
from cameo_bench.vocab import corpus_info

__all__ = ["PromptTemplate", "PROMPTS", "DEFAULT_PROMPT", "get_prompt", "offered_labels"]

_PAPER_INSTRUCTION = (
    "You are an audio emotion recognizer. Based only on the tone, pitch, rhythm, and intonation "
    "of the speaker in the audio, identify the speaker's emotional state. Respond with exactly "
    "one word from the following list: <labels>. Do not explain. Do not use synonyms."
)


@dataclass(frozen=True)
class PromptTemplate:
    """An instruction with a ``<labels>`` placeholder, identified by ``id`` and a content hash."""

    id: str
    text: str

    @property
    def hash(self) -> str:
        """First 16 hex digits of the sha256 of the template text: changes iff the text does."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]

    def render(self, labels: Iterable[str]) -> str:
        """The instruction with ``<labels>`` replaced by ``labels`` joined by ``", "``."""
        return self.text.replace("<labels>", ", ".join(labels))


#: Registered templates by id. Never edit a template's text: add a new id.
PROMPTS: dict[str, PromptTemplate] = {
    p.id: p for p in (PromptTemplate("cameo-v1", _PAPER_INSTRUCTION),)
}
DEFAULT_PROMPT = "cameo-v1"


def get_prompt(prompt_id: str = DEFAULT_PROMPT) -> PromptTemplate:
    """Return the registered template ``prompt_id``; an unknown id raises with a hint."""
    try:
        return PROMPTS[prompt_id]
    except KeyError:
        raise UnknownNameError("prompt", prompt_id, PROMPTS) from None


def offered_labels(split: str) -> tuple[str, ...]:
    """The labels offered for a clip of corpus ``split``: its label set, alphabetical (SPEC §2)."""
    return corpus_info(split).labels
