"""Transcription alignment for sentence-list corpora (SPEC §1.3 step 4).

Some corpora (Oréau) give their transcriptions only as a list of sentences, without saying which
file speaks which. As the paper did, a speech recognizer transcribes every clip and the clip gets
the listed sentence closest to that hypothesis. Closeness is the character error rate computed as
rapidfuzz's normalized Levenshtein distance (edit distance / length of the longer string) between
the normalized texts (:func:`normalize_text`); ties go to the earlier sentence.

The result is an alignment file (``alignment.tsv``, format in
:mod:`cameo_bench.corpora.alignment_file`) kept beside the corpus, where its adapter reads it; it
is meant to be reviewed, and a corrected ``sentence`` column is what the collection uses.
Recognizers are pluggable through :data:`RECOGNIZERS`; the default is Whisper
(``openai/whisper-large-v2``, as in the paper) through transformers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from cameo_bench.audio import TARGET_SR
from cameo_bench.corpora.alignment_file import (
    ALIGNMENT_FILE,
    Alignment,
    append_alignment,
    read_alignment,
    write_alignment,
)
from cameo_bench.errors import CameoError, MissingDependencyError
from cameo_bench.records import SourceClip
from cameo_bench.registry import Registry

__all__ = [
    "DEFAULT_MODEL", "RECOGNIZERS", "Recognizer", "WhisperRecognizer", "normalize_text",
    "closest_sentence", "align", "make_recognizer", "AlignmentRun", "align_corpus",
]

DEFAULT_MODEL = "openai/whisper-large-v2"

#: Recognizer name → class, constructed as ``cls(model=..., language=..., device=...,
#: batch_size=...)``.
RECOGNIZERS: Registry[type[Recognizer]] = Registry(
    "recognizer", {"whisper": "cameo_bench.align:WhisperRecognizer"}
)


class Recognizer(Protocol):
    """A speech recognizer: ``name`` says which (recorded per row), ``transcribe`` maps 16 kHz
    mono float32 clips to one text each, in order."""

    name: str

    def transcribe(self, audio: Sequence[np.ndarray]) -> list[str]: ...


def normalize_text(text: str) -> str:
    """Text as compared: Unicode NFKC, lowercase, every non-word character a space, single
    spaces, stripped."""
    text = unicodedata.normalize("NFKC", text).lower()
    return " ".join(re.sub(r"\W", " ", text).split())


def closest_sentence(hypothesis: str, sentences: Sequence[str]) -> tuple[int, float]:
    """The 1-based index of the sentence closest to ``hypothesis`` and its CER (ties: earlier)."""
    from rapidfuzz.distance import Levenshtein

    if not sentences:
        raise CameoError("the sentence list is empty: nothing to align to")
    hyp = normalize_text(hypothesis)
    cers = [Levenshtein.normalized_distance(hyp, normalize_text(s)) for s in sentences]
    best = min(range(len(cers)), key=lambda i: (cers[i], i))
    return best + 1, cers[best]


def align(
    clips: Iterable[SourceClip],
    sentences: Sequence[str],
    recognizer: Recognizer,
    *,
    batch_size: int = 8,
    on_batch: Callable[[list[Alignment]], None] | None = None,
) -> Iterator[Alignment]:
    """Transcribe ``clips`` in batches and align each to ``sentences``, in clip order.

    ``on_batch`` is called with every finished batch (to save it before the next one starts).
    """
    from cameo_bench.audio import convert

    def flush(batch: list[SourceClip]) -> list[Alignment]:
        audio = [convert(c.source).pcm.astype(np.float32) / 32768.0 for c in batch]
        hypotheses = recognizer.transcribe(audio)
        if len(hypotheses) != len(batch):
            raise CameoError(f"recognizer {recognizer.name} returned {len(hypotheses)} texts "
                             f"for {len(batch)} clips")
        out = []
        for clip, hyp in zip(batch, hypotheses, strict=True):
            index, cer = closest_sentence(hyp, sentences)
            out.append(Alignment(clip.origin, index, sentences[index - 1], cer, hyp.strip(),
                                 recognizer.name))
        if on_batch is not None:
            on_batch(out)
        return out

    batch: list[SourceClip] = []
    for clip in clips:
        batch.append(clip)
        if len(batch) == batch_size:
            yield from flush(batch)
            batch = []
    if batch:
        yield from flush(batch)


class WhisperRecognizer:
    """Whisper through transformers' ``automatic-speech-recognition`` pipeline (lazy import).

    ``model`` is a Hub id or a local folder; ``language`` an English language name
    (``"French"``) to skip language detection; ``device`` as transformers takes it.
    """

    def __init__(self, model: str = DEFAULT_MODEL, *, language: str | None = None,
                 device: str | int | None = None, batch_size: int = 8):
        self.model, self.language, self.device = model, language, device
        self.batch_size = batch_size
        self.name = f"whisper:{model}"
        self._pipe = None

    def load(self):
        """Load the pipeline once; failures become one :class:`CameoError` line with the fix."""
        if self._pipe is None:
            try:
                from transformers import pipeline
            except ImportError as exc:
                raise MissingDependencyError("transformers", "hf", "to run Whisper") from exc
            try:
                self._pipe = pipeline("automatic-speech-recognition", model=self.model,
                                      device=self.device)
            except Exception as exc:  # offline, missing, or not a speech model
                detail = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
                raise CameoError(
                    f"cannot load speech recognizer {self.model!r} ({detail}); download it "
                    f"while online (`huggingface-cli download {self.model}`) or pass --model "
                    "a local folder"
                ) from exc
        return self._pipe

    def transcribe(self, audio: Sequence[np.ndarray]) -> list[str]:
        """One text per 16 kHz mono float32 clip."""
        pipe = self.load()
        kwargs = {"task": "transcribe"}
        if self.language:
            kwargs["language"] = self.language.lower()
        inputs = [{"raw": a, "sampling_rate": TARGET_SR} for a in audio]
        outputs = pipe(inputs, batch_size=self.batch_size, generate_kwargs=kwargs)
        return [o["text"] for o in outputs]


def make_recognizer(name: str, **options) -> Recognizer:
    """The recognizer registered as ``name``, constructed with ``options``."""
    return RECOGNIZERS[name](**options)


@dataclass(frozen=True)
class AlignmentRun:
    """What :func:`align_corpus` did: the file written, every clip's alignment (sorted by
    origin) and how many came from an earlier, interrupted run."""

    path: Path
    alignments: list[Alignment]
    reused: int


def align_corpus(
    split: str,
    folder: str | Path,
    recognizer: Recognizer,
    *,
    output: str | Path | None = None,
    batch_size: int = 8,
    progress: Callable[[int, int], None] | None = None,
) -> AlignmentRun:
    """Align every clip of sentence-list corpus ``split`` found at or under ``folder``.

    Writes ``alignment.tsv`` in the corpus root (or ``output``). Resumable: rows already in the
    output are kept and their clips not transcribed again; each batch is appended as it finishes
    and the file is rewritten sorted at the end. ``progress(advance, total)`` is called as clips
    are done (first with the number reused).
    """
    from cameo_bench.corpora import get_adapter

    cls = get_adapter(split)
    root = cls.detect(Path(folder))
    if root is None:
        raise CameoError(f"no {cls.info().name} found at or under {folder} "
                         f"(expected {cls.layout})")
    adapter = cls(root)
    if not hasattr(adapter, "sentences"):
        raise CameoError(f"{cls.info().name} names its transcriptions itself: only sentence-list "
                         "corpora (oreau) need aligning")
    sentences = adapter.sentences()
    path = Path(output) if output is not None else root / ALIGNMENT_FILE
    clips = [c for c in adapter.scan() if isinstance(c, SourceClip)]
    known = {c.origin for c in clips}
    done = {o: a for o, a in read_alignment(path).items() if o in known} if path.is_file() else {}
    todo = [c for c in clips if c.origin not in done]
    if progress is not None:
        progress(len(done), len(clips))

    def save(batch: list[Alignment]) -> None:
        append_alignment(path, batch)
        if progress is not None:
            progress(len(batch), len(clips))

    new = list(align(todo, sentences, recognizer, batch_size=batch_size, on_batch=save))
    alignments = sorted([*done.values(), *new], key=lambda a: a.origin)
    write_alignment(path, alignments)
    return AlignmentRun(path, alignments, len(done))
