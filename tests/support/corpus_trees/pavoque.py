"""Fake PAVOQUE tree: the first real rows of each style YAML (verbatim, segments included), a
synthesized neutral YAML in the same format (the real one is too large to carry) from the real
neutral segment times, the outtakes rows, and one long 44.1 kHz FLAC per style."""

from __future__ import annotations

from pathlib import Path

import yaml

from support.corpus_trees.facts import inventory
from support.corpus_trees.synth import write_audio

ROOT = "pavoque-data"
RATE = 44100
ROWS = 3  # utterances per style
LABELS = {"angry": "anger", "happy": "happiness", "neutral": "neutral", "poker": "poker",
          "sad": "sadness"}


def first_entries(text: str, n: int) -> str:
    """The first ``n`` list entries of a YAML file, verbatim."""
    starts = [i for i, line in enumerate(text.splitlines(keepends=True))
              if line.startswith("- prompt:")]
    lines = text.splitlines(keepends=True)
    return "".join(lines[: starts[n]] if len(starts) > n else lines)


def neutral_yaml(layouts: Path) -> str:
    """A neutral YAML in the real format, from the first real neutral segments."""
    rows = [r for r in inventory(layouts, "pavoque")
            if r["flac"] == "pavoque-neutral.flac"][:ROWS]
    out = []
    for r in rows:
        prompt = r["key"].removeprefix("pavoque-").removesuffix("-neutral")
        length = float(r["end"]) - float(r["start"])
        out.append(
            f"- prompt: {prompt}\n  text: Das ist Satz {prompt}.\n  style: neutral\n"
            f"  start: {r['start']}\n  end: {r['end']}\n  segments:\n"
            f"  - {{lab: H#, end: 0.2}}\n  - {{lab: _, end: {length:.2f}}}\n"
        )
    return "".join(out)


def make_tree(dest: Path, layouts: Path) -> list[dict]:
    """Write the tree under ``dest/pavoque-data`` and return the expected records."""
    root = dest / ROOT
    root.mkdir(parents=True, exist_ok=True)
    expected = []
    for style in (*LABELS, "outtakes"):
        if style == "neutral":
            text = neutral_yaml(layouts)
        else:
            real = (layouts / "pavoque" / f"pavoque-{style}.yaml").read_text(encoding="utf-8")
            text = first_entries(real, ROWS)
        (root / f"pavoque-{style}.yaml").write_text(text, encoding="utf-8")
        if style == "outtakes":
            continue
        rows = yaml.safe_load(text)
        write_audio(root / f"pavoque-{style}.flac", RATE, seconds=rows[-1]["end"] + 0.5)
        expected += [
            {"origin": f"pavoque-{r['prompt']}-{r['style']}", "emotion": LABELS[r["style"]],
             "transcription": r["text"], "speaker_id": "pavoque_1", "gender": "male",
             "age": None}
            for r in rows
        ]
    return sorted(expected, key=lambda r: r["origin"])


def outtake_keys(dest: Path) -> list[str]:
    """Segment keys of the outtakes written by :func:`make_tree`."""
    rows = yaml.safe_load((dest / ROOT / "pavoque-outtakes.yaml").read_text(encoding="utf-8"))
    return [f"pavoque-{r['prompt']}-{r['style']}" for r in rows]
