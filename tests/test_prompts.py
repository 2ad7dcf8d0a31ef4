import pytest

from cameo_bench.errors import UnknownNameError
from cameo_bench.prompts import PROMPTS, get_prompt, offered_labels

PAPER = (
    "You are an audio emotion recognizer. Based only on the tone, pitch, rhythm, and intonation "
    "of the speaker in the audio, identify the speaker's emotional state. Respond with exactly "
    "one word from the following list: anger, fear, happiness, neutral, sadness, surprise. "
    "Do not explain. Do not use synonyms."
)


def test_paper_instruction_rendered_for_nemo():
    assert get_prompt().render(offered_labels("nemo")) == PAPER


def test_prompt_hash_depends_on_text_only():
    p = get_prompt("cameo-v1")
    assert len(p.hash) == 16
    assert p.hash == type(p)("other-id", p.text).hash
    assert p.hash != type(p)("cameo-v1", p.text + " ").hash
    assert len({t.hash for t in PROMPTS.values()}) == len(PROMPTS)


def test_unknown_prompt():
    with pytest.raises(UnknownNameError, match="cameo-v1"):
        get_prompt("cameo-v2x")
