"""What the built-in demo says and how: sentences, voices and the prosody of each emotion.

The demo is synthetic speech from eSpeak NG, one corpus per CAMEO language
(``vocab.DEMO_CORPORA``). Emotions are rendered only as prosody (rate, pitch, pitch range,
loudness), each clip jittered by a seeded amount so classes overlap a little: it exercises the
pipeline, it is not emotional speech.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, fields

from cameo_bench.demo.espeak import Prosody, SynthJob
from cameo_bench.records import ClipRecord
from cameo_bench.vocab import DEMO_CORPORA, DEMO_LABELS, CorpusInfo

__all__ = ["DEMO_VERSION", "DemoSize", "SIZES", "DemoClip", "plan"]

#: Bump when anything below changes the generated audio or metadata.
DEMO_VERSION = "1"

#: eSpeak NG voice of each language and three sentences of neutral content per language.
_LANGUAGE_VOICE = {"Bengali": "bn", "English": "en", "French": "fr", "German": "de",
                   "Italian": "it", "Polish": "pl", "Russian": "ru", "Spanish": "es"}
_SENTENCES = {
    "Bengali": ("আজ আবহাওয়া খুব ভালো।", "আমি কাল সকালে বাজারে যাব।", "দরজাটা খোলা আছে।"),
    "English": ("The weather is nice today.", "I will go to the market tomorrow morning.",
                "The door is open."),
    "French": ("Il fait beau aujourd'hui.", "J'irai au marché demain matin.",
               "La porte est ouverte."),
    "German": ("Heute ist schönes Wetter.", "Ich gehe morgen früh auf den Markt.",
               "Die Tür ist offen."),
    "Italian": ("Oggi fa bel tempo.", "Domani mattina andrò al mercato.", "La porta è aperta."),
    "Polish": ("Dzisiaj jest ładna pogoda.", "Jutro rano pójdę na targ.", "Drzwi są otwarte."),
    "Russian": ("Сегодня хорошая погода.", "Завтра утром я пойду на рынок.", "Дверь открыта."),
    "Spanish": ("Hoy hace buen tiempo.", "Mañana por la mañana iré al mercado.",
                "La puerta está abierta."),
}
#: eSpeak voice variants used as speakers, with their gender.
_VARIANTS = (("m1", "male"), ("f2", "female"), ("m3", "male"), ("f4", "female"),
             ("m7", "male"), ("f5", "female"))
#: Prosody of each emotion (eSpeak units) and the seeded jitter added per clip.
_EMOTION_PROSODY = {
    "neutral": Prosody(rate=160, pitch=50, range=40, volume=100),
    "anger": Prosody(rate=190, pitch=42, range=75, volume=170),
    "happiness": Prosody(rate=185, pitch=68, range=90, volume=120),
    "sadness": Prosody(rate=120, pitch=32, range=12, volume=65),
    "fear": Prosody(rate=215, pitch=72, range=25, volume=85),
    "surprise": Prosody(rate=165, pitch=80, range=100, volume=125),
}
_JITTER = Prosody(rate=15, pitch=8, range=10, volume=15)


@dataclass(frozen=True)
class DemoSize:
    """How big a demo to generate: languages (all 8 by default), voices and sentences each."""

    name: str
    voices: int
    sentences: int
    languages: tuple[str, ...] = tuple(sorted(_LANGUAGE_VOICE))


#: ``full`` is what ``cameo evaluate`` runs by default; ``small`` keeps tests fast.
SIZES: dict[str, DemoSize] = {
    "full": DemoSize("full", voices=4, sentences=2),
    "small": DemoSize("small", voices=3, sentences=1, languages=("English", "Polish")),
}


@dataclass(frozen=True)
class DemoClip:
    """One planned clip: its corpus, metadata (``file_id`` still unknown) and synthesis job."""

    corpus: CorpusInfo
    emotion: str
    speaker: str
    gender: str
    sentence: str
    job: SynthJob

    def record(self, file_id: str) -> ClipRecord:
        """The clip's collection record once its audio (and so its ``file_id``) exists."""
        c = self.corpus
        return ClipRecord(file_id, self.emotion, self.sentence, self.speaker, self.gender, None,
                          c.name, c.language, c.license)


def _jittered(emotion: str, key: str) -> Prosody:
    base = _EMOTION_PROSODY[emotion]
    rng = random.Random(hashlib.sha256(key.encode()).digest())
    return Prosody(*(max(0, getattr(base, f.name) + rng.randint(-getattr(_JITTER, f.name),
                                                                 getattr(_JITTER, f.name)))
                     for f in fields(Prosody)))


def plan(size: DemoSize) -> dict[str, list[DemoClip]]:
    """Every clip of a demo of ``size`` by split, in a fixed order (sentence, voice, emotion)."""
    by_language = {c.language: c for c in DEMO_CORPORA.values()}
    out: dict[str, list[DemoClip]] = {}
    for language in sorted(size.languages):
        corpus, code = by_language[language], _LANGUAGE_VOICE[language]
        clips = []
        for sentence in _SENTENCES[language][: size.sentences]:
            for variant, gender in _VARIANTS[: size.voices]:
                voice = f"{code}+{variant}"
                for emotion in DEMO_LABELS:
                    key = f"{DEMO_VERSION}|{voice}|{sentence}|{emotion}"
                    job = SynthJob(voice, sentence, _jittered(emotion, key))
                    clips.append(DemoClip(corpus, emotion, f"{corpus.split}_{variant}", gender,
                                          sentence, job))
        out[corpus.split] = clips
    return out
