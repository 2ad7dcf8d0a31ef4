"""PAVOQUE: expressive German speech of one male actor (marytts/pavoque-data, release v0.2).

The repository holds ``pavoque-<style>.yaml`` per style (angry, happy, neutral, poker, sad; plus
outtakes); the audio is one long FLAC per style (``pavoque-<style>.flac``, 44.1 kHz), a release
asset placed in the same folder or below it. Each YAML row (``prompt``, ``text``, ``style``,
``start``, ``end``, phone ``segments``) is one utterance, the slice [start, end) s of its style's
FLAC. CAMEO uses the five style files; every outtakes row is reported as skipped. A clip's origin
is ``pavoque-<prompt>-<style>`` (unique across all files). The distribution names no speaker:
``speaker_id`` is ours, ``pavoque_1``, gender male, age unknown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from cameo_bench.corpora._files import ClipMeta, emit
from cameo_bench.corpora.base import Corpus, find_root
from cameo_bench.errors import InputError
from cameo_bench.records import AudioSource, Skipped, SourceClip

__all__ = ["Adapter", "parse_row", "origin_of", "load_rows", "STYLES"]

STYLES = ("angry", "happy", "neutral", "poker", "sad")
OUTTAKES = "outtakes"
SPEAKER = "pavoque_1"
#: Phone segment lines (``  - {lab: H#, end: 0.28}``): dropped before parsing, 25× faster.
_SEGMENT_LINE = re.compile(r"^[ \t]+- \{lab: .*\}\r?\n", re.M)


def load_rows(path: Path) -> list[dict[str, Any]]:
    """The utterance rows of a PAVOQUE YAML file, without their phone segments."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        rows = yaml.load(_SEGMENT_LINE.sub("", path.read_text(encoding="utf-8")), Loader=loader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(path, f"not a PAVOQUE YAML file ({str(exc).splitlines()[0]})") from exc
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise InputError(path, "expected a YAML list of utterances (prompt, text, style, ...)")
    return rows


def origin_of(row: Mapping[str, Any]) -> str:
    """The segment key of a row: ``pavoque-<prompt>-<style>``."""
    return f"pavoque-{row.get('prompt')}-{row.get('style')}"


def parse_row(row: Mapping[str, Any]) -> ClipMeta | str:
    """Metadata of one utterance row of a style file, or why it is left out."""
    start, end = row.get("start"), row.get("end")
    if not isinstance(start, (int, float)) or not isinstance(end, (int, float)):
        return "the row has no numeric start/end"
    if end <= start:
        return f"empty segment [{start}, {end})"
    text = row.get("text")
    return ClipMeta(
        raw_label=str(row.get("style")),
        speaker_id=SPEAKER,
        gender="male",
        transcription=str(text).strip() if text is not None else None,
    )


def _flac(root: Path, style: str) -> Path | None:
    name = f"pavoque-{style}.flac"
    if (root / name).is_file():
        return root / name
    return next(iter(sorted(root.rglob(name))), None)


class Adapter(Corpus):
    """PAVOQUE: a checkout of marytts/pavoque-data plus its v0.2 release FLACs."""

    split = "pavoque"
    label_map = {
        "angry": "anger", "happy": "happiness", "neutral": "neutral",
        "poker": "poker", "sad": "sadness",
    }
    download = ("https://github.com/marytts/pavoque-data (YAML) + release v0.2 assets "
                "pavoque-<style>.flac")
    layout = "pavoque-<style>.yaml and pavoque-<style>.flac for angry happy neutral poker sad"
    max_seconds = 120.0  # longest real clip: 20.7 s

    @classmethod
    def detect(cls, root: Path) -> Path | None:
        """The folder holding the PAVOQUE style YAML files, at or under ``root``."""
        return find_root(root, lambda d: any((d / f"pavoque-{s}.yaml").is_file() for s in STYLES))

    def scan(self) -> Iterator[SourceClip | Skipped]:
        """Every utterance of the style files (a segment of its FLAC) and every outtake,
        sorted by segment key."""
        items: list[SourceClip | Skipped] = []
        for style in STYLES:
            yaml_path, flac = self.root / f"pavoque-{style}.yaml", _flac(self.root, style)
            if not yaml_path.is_file():  # the style's utterances are unknown: say so
                what = f"{flac.name} has no {yaml_path.name} beside it" if flac else "missing"
                items.append(Skipped(self.split, yaml_path.name, f"{what}: style left out"))
                continue
            try:
                rows = load_rows(yaml_path)
            except InputError as exc:  # one damaged style file costs that style only
                items.append(Skipped(self.split, yaml_path.name, f"{exc.problem}: style left out"))
                continue
            for row in rows:
                origin = origin_of(row)
                if flac is None:
                    items.append(Skipped(self.split, origin, f"pavoque-{style}.flac not found"))
                    continue
                parsed = parse_row(row)
                source = (AudioSource(flac, start=float(row["start"]), end=float(row["end"]))
                          if not isinstance(parsed, str) else AudioSource(flac))
                items.append(emit(self, origin, source, parsed))
        outtakes = self.root / f"pavoque-{OUTTAKES}.yaml"
        if outtakes.is_file():
            reason = "outtake: CAMEO uses the five style files only"
            items += [Skipped(self.split, origin_of(r), reason) for r in load_rows(outtakes)]
        yield from sorted(items, key=lambda item: item.origin)
