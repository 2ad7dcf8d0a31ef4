"""The dataset card (README.md) of the built-in demo: plainly synthetic, crediting eSpeak NG."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from cameo_bench.builder.card import front_matter
from cameo_bench.demo.spec import DEMO_VERSION, DemoSize
from cameo_bench.records import ClipRecord
from cameo_bench.vocab import DEMO_CORPORA, DEMO_LABELS

__all__ = ["demo_card"]


def demo_card(size: DemoSize, records: Sequence[ClipRecord]) -> str:
    """A Hub-style card: YAML header with one config and one split per corpus, then a summary
    that says, first, that the audio is synthetic and not part of CAMEO."""
    per_dataset = Counter(r.dataset for r in records)
    splits = [c for c in DEMO_CORPORA.values() if c.name in per_dataset]
    header = front_matter({c.split: per_dataset[c.name] for c in splits}, license="cc0-1.0",
                          license_name=None, license_details=None,
                          pretty_name="cameo-bench demo (SYNTHETIC speech)")
    rows = [f"| {c.split} | {c.name} | {c.language} | {per_dataset[c.name]} |" for c in splits]
    body = f"""
# cameo-bench demo collection (SYNTHETIC)

**This is synthetic speech, not emotional speech and not part of CAMEO.** It exists so that the
whole cameo-bench pipeline (evaluate, score, report) runs offline on a laptop in a minute.
Numbers measured on it say nothing about a model's ability to recognize emotion.

- Generator: cameo-bench demo v{DEMO_VERSION}, size `{size.name}` ({size.voices} voices x
  {size.sentences} sentences x {len(DEMO_LABELS)} emotions per language).
- Synthesizer: eSpeak NG (GPL-3.0-or-later, https://github.com/espeak-ng/espeak-ng), its
  libraries and voice data as bundled by the `espeakng-loader` package. Speakers are eSpeak NG
  voice variants; emotions ({", ".join(DEMO_LABELS)}) are rendered only as prosody (speaking
  rate, pitch, pitch range and loudness) with a seeded per-clip jitter.
- Format: the CAMEO collection format (16 kHz 16-bit mono FLAC in parquet, `metadata.jsonl`).

| split | dataset | language | clips |
|---|---|---|---|
""" + "\n".join(rows) + "\n"
    return header + body
