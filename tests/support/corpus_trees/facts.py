"""Facts read straight from the SPEC and the shared layouts (not from the adapters), for the
fake trees and the tests' expectations."""

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


def notes_section(layouts: Path, heading: str) -> str:
    """The text of the CORPORA_NOTES section whose heading starts ``## <heading>``."""
    text = (layouts.parent / "CORPORA_NOTES.md").read_text(encoding="utf-8")
    return text.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]


def quoted_items(text: str, key: str) -> dict[str, str]:
    """``key "sentence"`` pairs in ``text`` (``key`` a regex for the item's name)."""
    return dict(re.findall(rf'\b({key}) "([^"]+)"', text))


def inventory(layouts: Path, split: str) -> list[dict[str, str]]:
    """All rows of the real ``layouts/<split>/inventory.tsv`` (relpath, emo, sample_rate, ...)."""
    with open(layouts / split / "inventory.tsv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def second_listing(layouts: Path, split: str) -> dict[str, dict[str, str]]:
    """The rows of ``layouts/<split>/nkululeko.csv`` (a third party's listing of the same
    files) by file name."""
    with open(layouts / split / "nkululeko.csv", encoding="utf-8", newline="") as f:
        return {r["file"].rsplit("/", 1)[1]: r for r in csv.DictReader(f)}
