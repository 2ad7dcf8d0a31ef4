"""Generate src/cameo_bench/resources/example_predictions.jsonl: a small, clearly synthetic
predictions file (two made-up models on 240 made-up clips of six corpora) that
`cameo score --example` scores. Deterministic: running it again writes the same bytes.

    PYTHONPATH=src python scripts/make_example_predictions.py
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

from cameo_bench.predictions import write_predictions
from cameo_bench.prompts import DEFAULT_PROMPT, get_prompt, offered_labels
from cameo_bench.records import Prediction
from cameo_bench.vocab import corpus_info

OUT = Path(__file__).resolve().parents[1] / "src/cameo_bench/resources/example_predictions.jsonl"
SPLITS = ("cafe", "crema_d", "jl_corpus", "nemo", "pavoque", "subesco")
CLIPS_PER_CORPUS = 40
#: (model, probability of naming the gold emotion)
MODELS = (("example/accurate-model", 0.7), ("example/noisy-model", 0.35))
ADJECTIVE = {"anger": "angry", "disgust": "disgusted", "fear": "fearful", "happiness": "happy",
             "sadness": "sad", "surprise": "surprised", "anxiety": "anxious"}
TEMPLATES = ("{label}", "{Label}", "{Label}.", " {label}\n", "{adjective}",
             "The speaker sounds {adjective}.", "I would say {label}.")
NON_ANSWERS = ("", "I cannot tell from this audio.", "Sorry, I can't help with that.")


def answer(rng: random.Random, label: str) -> str:
    """A free-text answer naming ``label`` in one of the ways models do."""
    template = rng.choice(TEMPLATES)
    return template.format(label=label, Label=label.capitalize(),
                           adjective=ADJECTIVE.get(label, label))


def main() -> None:
    """Write the example file."""
    rng = random.Random(20250101)
    prompt = get_prompt(DEFAULT_PROMPT)
    rows = []
    for model, skill in MODELS:
        for split in SPLITS:
            info, labels = corpus_info(split), list(offered_labels(split))
            for i in range(CLIPS_PER_CORPUS):
                file_id = hashlib.sha256(f"example-{split}-{i}".encode()).hexdigest() + ".flac"
                gold = labels[i % len(labels)]
                roll = rng.random()
                if roll < 0.05:
                    response = rng.choice(NON_ANSWERS)
                else:
                    response = answer(rng, gold if roll < skill else rng.choice(labels))
                rows.append(Prediction(
                    file_id=file_id, dataset=info.name, language=info.language, emotion=gold,
                    labels=labels, model=model, model_revision=None, temperature=0.0,
                    prompt_id=prompt.id, response=response, prompt_hash=prompt.hash,
                    seconds=round(rng.uniform(0.2, 0.9), 3)))
    write_predictions(OUT, rows)
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main()
