"""eNTERFACE'05 audio-visual emotion database, audio of the AVIs (SPEC §1.4, NOTES §5).

Layout: ``subject N/<emotion>/sentence K/<name>.avi`` (audio track 48 kHz, decoded by PyAV).
Subject, emotion and sentence come from the folders, never from the file names, which are
unreliable: subject 11's files are named ``s12_*``, subject 3's partly ``s_3_*``, and one is
``s16_su_3avi.avi``. Non-AVI files (``Thumbs.db``) are not clips and are ignored.

Left out, each reported as skipped (decisions that reproduce Table 1: 42 subjects, 1,257 clips,
0:58:40 of audio, which the real inventory without subjects 6 and 12 matches to the second):

- subject 6: one long file per emotion holding all five sentences, no sentence folders;
- subject 12: its file names are the same as subject 11's misnamed ``s12_*`` files, and CAMEO
  kept only one of the two folders (the one whose durations add up to Table 1: subject 11).

Metadata conventions (decisions):

- ``speaker_id`` is ``enterface_`` + the folder's subject number (``enterface_11``).
- gender is unknown: the corpus distributes none, Table 1 gives no female/male split for it,
  and the collection's gender coverage (92.87%) only adds up with eNTERFACE's clips lacking
  one. (An unofficial hand annotation marks subjects 4 5 7 26 28 29 31 33 44 female.)
- no ages; transcription = the reaction of the emotion's table in the eNTERFACE'05 paper at
  the sentence folder's number (happiness in the paper's order; a third-party copy orders
  items 3–5 differently).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from cameo_bench.corpora._files import ClipMeta, emit, files_under
from cameo_bench.corpora.base import Corpus, find_root
from cameo_bench.records import AudioSource, Skipped, SourceClip

__all__ = ["Adapter", "parse_path"]

PATH = re.compile(r"^subject (\d+)/([a-z]+)/sentence ([1-5])/[^/]+\.avi$", re.IGNORECASE)
SUBJECT = re.compile(r"^subject (\d+)$", re.IGNORECASE)

LABELS = {
    "anger": "anger",
    "disgust": "disgust",
    "fear": "fear",
    "happiness": "happiness",
    "sadness": "sadness",
    "surprise": "surprise",
}

#: Subjects left out → why (see the module docstring).
EXCLUDED = {
    "6": "subject 6 has one long file per emotion holding all five sentences (left out, "
    "as in CAMEO)",
    "12": "subject 12's file names duplicate subject 11's s12_* files; CAMEO keeps subject 11 "
    "only (Table 1: 42 subjects, 1,257 clips)",
}

#: Emotion folder → the five reactions, by sentence number (eNTERFACE'05 paper).
SENTENCES = {
    "anger": (
        "What??? No, no, no, listen! I need this money!",
        "I don't care about your coffee! Please serve me!",
        "I can have you fired you know!",
        "Is your coffee more important than my money?",
        "You're getting paid to work, not drink coffee!",
    ),
    "disgust": (
        "That's horrible! I'll never eat noodles again.",
        "Something is moving inside my plate!",
        "Aaaaah a cockroach!!!",
        "Eeeek, this is disgusting!!!",
        "That's gross!",
    ),
    "fear": (
        "Oh my god, there is someone in the house!",
        "Someone is climbing up the stairs",
        "Please don't kill me...",
        "I'm not alone! Go away!",
        "I have nothing to give you! Please don't hurt me!",
    ),
    "happiness": (
        "That's great, I'm rich now!!!",
        "I won: this is great! I'm so happy!!",
        "Wahoo... This is so great.",
        "I'm so lucky!",
        "I'm so excited!",
    ),
    "sadness": (
        "Life won't be the same now",
        "Oh no, tell me this is not true, please!",
        "Everything was so perfect! I just don't understand!",
        "I still loved him (her)",
        "He (she) was my life",
    ),
    "surprise": (
        "You have never told me that!",
        "I didn't expect that!",
        "Wahoo, I would never have believed this!",
        "I never saw that coming!",
        "Oh my God, that's so weird!",
    ),
}


def parse_path(relpath: str) -> ClipMeta | str:
    """Metadata of an AVI's path relative to the corpus root, from its folders only (gender
    and age unknown), or the reason the file is left out (an excluded subject, or a path that
    does not match ``subject N/<emotion>/sentence K/*.avi``)."""
    subject = SUBJECT.match(relpath.split("/", 1)[0])
    if subject and subject.group(1) in EXCLUDED:
        return EXCLUDED[subject.group(1)]
    m = PATH.match(relpath)
    if m is None:
        return "path does not match subject N/<emotion>/sentence K/*.avi"
    number, emotion, sentence = m.groups()
    emotion = emotion.lower()
    texts = SENTENCES.get(emotion)
    return ClipMeta(
        raw_label=emotion,
        speaker_id=f"enterface_{int(number)}",
        transcription=texts[int(sentence) - 1] if texts else None,
    )


def _is_enterface_root(d: Path) -> bool:
    return any(
        SUBJECT.match(s.name) and any((s / e).is_dir() for e in LABELS)
        for s in d.glob("subject *")
    )


class Adapter(Corpus):
    """eNTERFACE'05 read from the unpacked database (AVI videos)."""

    split = "enterface"
    label_map = LABELS
    download = "https://www.enterface.net/enterface05/ (eNTERFACE05 emotion database)"
    layout = "subject N/<emotion>/sentence K/sN_xx_K.avi (audio track 48 kHz)"
    max_seconds = 30.0  # longest real clip: 6.8 s, subject 6's long files left out

    @classmethod
    def detect(cls, root: Path) -> Path | None:
        """The folder holding the ``subject N/<emotion>/`` folders."""
        return find_root(root, _is_enterface_root)

    def scan(self) -> Iterator[SourceClip | Skipped]:
        """Every ``.avi`` under the root, sorted by relative path, parsed from its folders."""
        for origin, path in files_under(self.root, ".avi"):
            yield emit(self, origin, AudioSource(path), parse_path(origin))
