"""Facts read straight from the SPEC and the layouts (not from the adapters), for expectations."""

from __future__ import annotations

import csv
import re
from pathlib import Path


def spec_bullet(layouts: Path, corpus: str) -> str:
    """The text of SPEC §1.4's bullet for ``corpus`` (e.g. ``"CaFE"``), lines joined."""
    text = (layouts.parent / "SPEC.md").read_text(encoding="utf-8")
    start = text.index(f"- **{corpus}**")
    end = text.find("\n- **", start + 1)
    return " ".join(line.strip() for line in text[start:end].splitlines())


def quoted_items(text: str, key: str) -> dict[str, str]:
    """``key "sentence"`` pairs in ``text`` (``key`` a regex for the item's name)."""
    return dict(re.findall(rf'\b({key}) "([^"]+)"', text))


def inventory(layouts: Path, split: str) -> list[dict[str, str]]:
    """The rows of ``layouts/<split>/inventory.tsv`` (relpath, emo, sample_rate, dur_s)."""
    with open(layouts / split / "inventory.tsv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def second_listing(layouts: Path, split: str) -> list[dict[str, str]]:
    """The rows of ``layouts/<split>/nkululeko.csv``: a third party's listing of the same files."""
    with open(layouts / split / "nkululeko.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))
