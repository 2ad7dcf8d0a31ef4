"""The CAMEO vocabulary as data: the 13 corpora, the 17 labels and the 8 languages (SPEC §1.1).

This is the one place these facts live; every other module imports them from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from cameo_bench.errors import UnknownNameError

__all__ = [
    "PRIMARY_EMOTIONS",
    "SECONDARY_EMOTIONS",
    "EMOTIONS",
    "CorpusInfo",
    "CORPORA",
    "SPLITS",
    "LANGUAGES",
    "HUB_REPO",
    "HUB_REVISION",
    "corpus_info",
    "corpus_by_name",
    "DEMO_LABELS",
    "DEMO_CORPORA",
]

PRIMARY_EMOTIONS: tuple[str, ...] = (
    "anger", "disgust", "fear", "happiness", "neutral", "sadness", "surprise",
)
SECONDARY_EMOTIONS: tuple[str, ...] = (
    "anxiety", "apology", "assertiveness", "calm", "concern",
    "encouragement", "enthusiasm", "excitement", "poker", "sarcasm",
)
#: All 17 unified labels, alphabetical.
EMOTIONS: tuple[str, ...] = tuple(sorted(PRIMARY_EMOTIONS + SECONDARY_EMOTIONS))

HUB_REPO = "amu-cai/CAMEO"
#: The revision others pin (SPEC §1.2): the Hub layout changed over time.
HUB_REVISION = "38e9e968deb4636377e76b28bbb2062f92b898ab"


@dataclass(frozen=True)
class CorpusInfo:
    """Facts about one corpus from the paper's Table 1 (``speakers`` None where unknown)."""

    split: str
    name: str
    language: str
    license: str
    labels: tuple[str, ...]
    samples: int
    speakers: int | None
    female: int | None
    male: int | None
    utterances: int
    duration: str  # h:mm:ss as in Table 1


def _c(split, name, language, license, labels, samples, speakers, female, male, utts, dur):
    return CorpusInfo(
        split, name, language, license, tuple(sorted(labels.split())),
        samples, speakers, female, male, utts, dur,
    )


_P7 = "anger disgust fear happiness neutral sadness surprise"

#: The 13 corpora in split order (SPEC §1.1).
CORPORA: dict[str, CorpusInfo] = {
    c.split: c
    for c in (
        _c("cafe", "CaFE", "French", "CC BY-NC-SA 4.0", _P7, 936, 12, 6, 6, 6, "1:09:17"),
        _c("crema_d", "CREMA-D", "English", "Open Database License",
           "anger disgust fear happiness neutral sadness", 7442, 91, 43, 48, 12, "5:15:24"),
        _c("emns", "EMNS", "English", "Apache 2.0",
           "anger disgust excitement happiness neutral sadness sarcasm surprise",
           1205, 1, 1, 0, 1205, "2:44:56"),
        _c("emozionalmente", "Emozionalmente", "Italian", "CC BY 4.0", _P7,
           6902, 431, 299, 131, 18, "6:18:18"),
        _c("enterface", "eNTERFACE", "English", "MIT",
           "anger disgust fear happiness sadness surprise", 1257, 42, None, None, 31, "0:58:40"),
        _c("jl_corpus", "JL-Corpus", "English", "CC0: Public Domain",
           "anger anxiety apology assertiveness concern encouragement excitement happiness "
           "neutral sadness", 2400, 4, 2, 2, 28, "1:24:43"),
        _c("mesd", "MESD", "Spanish", "CC BY 4.0",
           "anger disgust fear happiness neutral sadness", 862, None, None, None, 205, "0:10:23"),
        _c("nemo", "nEMO", "Polish", "CC BY-NC-SA 4.0",
           "anger fear happiness neutral sadness surprise", 4481, 9, 4, 5, 90, "3:04:21"),
        _c("oreau", "Oréau", "French", "CC BY 4.0", _P7, 502, 32, 7, 25, 79, "0:23:10"),
        _c("pavoque", "PAVOQUE", "German", "CC BY-NC-SA 4.0",
           "anger happiness neutral poker sadness", 5442, 1, 0, 1, 3703, "8:36:15"),
        _c("ravdess", "RAVDESS", "English", "CC BY-NC-SA 4.0",
           "anger calm disgust fear happiness neutral sadness surprise",
           1440, 24, 12, 12, 2, "1:28:49"),
        _c("resd", "RESD", "Russian", "MIT",
           "anger disgust enthusiasm fear happiness neutral sadness",
           1396, None, None, None, 1390, "2:20:29"),
        _c("subesco", "SUBESCO", "Bengali", "CC BY 4.0", _P7, 7000, 20, 10, 10, 10, "7:49:56"),
    )
}

SPLITS: tuple[str, ...] = tuple(CORPORA)
LANGUAGES: tuple[str, ...] = tuple(sorted({c.language for c in CORPORA.values()}))

#: The six emotions the built-in synthetic demo renders as prosody (``cameo_bench.demo``).
DEMO_LABELS: tuple[str, ...] = ("anger", "fear", "happiness", "neutral", "sadness", "surprise")
_DEMO_CODES = {"Bengali": "bn", "English": "en", "French": "fr", "German": "de",
               "Italian": "it", "Polish": "pl", "Russian": "ru", "Spanish": "es"}
#: The built-in demo: one synthetic corpus per CAMEO language, never part of CAMEO itself.
#: Counts are those of the full-size demo (6 emotions x 4 voices x 2 sentences per language).
DEMO_CORPORA: dict[str, CorpusInfo] = {
    c.split: c
    for c in (
        _c(f"demo_{code}", f"Demo {language} (synthetic)", language, "CC0: Public Domain",
           " ".join(DEMO_LABELS), 48, 4, 2, 2, 2, "0:01:15")
        for language, code in sorted(_DEMO_CODES.items())
    )
}

_KNOWN = {**CORPORA, **DEMO_CORPORA}
_BY_NAME = {c.name: c for c in _KNOWN.values()}


def corpus_info(split: str) -> CorpusInfo:
    """Return the facts of corpus ``split`` (e.g. ``"cafe"``, or a demo split such as
    ``"demo_pl"``); unknown names raise with a hint."""
    try:
        return _KNOWN[split]
    except KeyError:
        raise UnknownNameError("corpus", split, CORPORA) from None


def corpus_by_name(name: str) -> CorpusInfo:
    """The corpus whose dataset name (the ``dataset`` column, e.g. ``"CaFE"``) is ``name``."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise UnknownNameError("dataset", name, _BY_NAME) from None
