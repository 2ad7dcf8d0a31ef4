"""Post-processing (SPEC §2): map a model's free-text answer to one offered label, or ``unparsed``.

The rule, exactly as the paper's:

1. an answer that is exactly one of the offered labels is that label;
2. otherwise the answer is normalized (Unicode NFKC, lowercase, every non-word character becomes a
   space) and split into words;
3. every (label, word) pair gets the indel similarity ``1 - d / (len(label) + len(word))``
   (insertions and deletions cost 1, a substitution 2: ``Levenshtein.ratio``);
4. similarities below 0.57 are dropped, the rest summed per label; the highest sum wins;
5. ties (sums equal to 1e-9) go to the label with the highest single-word similarity, then to the
   earlier offered label; an answer where no label scores is ``unparsed`` (never a guess).

Known artefacts, kept for comparability: "hear", "year", "clear" → fear; "natural" → neutral;
"danger" → anger; "madness" → sadness.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from copy import copy
from operator import attrgetter

from rapidfuzz.distance import Indel

from cameo_bench.records import UNPARSED, Prediction

__all__ = [
    "PARSER_VERSION", "THRESHOLD", "answer_words", "similarity", "label_scores", "parse_answer",
    "parse_predictions",
]

#: Changes whenever the rule's output could change; recorded with scores.
PARSER_VERSION = "cameo-parse-1"
#: Similarities below this are dropped (SPEC §2 step 4).
THRESHOLD = 0.57
_TIE = 1e-9
_NON_WORD = re.compile(r"\W+")


def answer_words(text: str) -> list[str]:
    """The answer's words: NFKC, lowercase, non-word characters as separators (SPEC §2 step 2)."""
    return _NON_WORD.sub(" ", unicodedata.normalize("NFKC", text).lower()).split()


def similarity(label: str, word: str) -> float:
    """Indel similarity ``1 - d / (len(label) + len(word))`` (``Levenshtein.ratio``), in [0, 1]."""
    return Indel.normalized_similarity(label, word)


def label_scores(response: str, labels: Sequence[str]) -> list[tuple[float, float]]:
    """Per offered label, ``(sum, peak)`` of its word similarities that reach ``THRESHOLD``
    (SPEC §2 steps 2-4), in offered order. Explains :func:`parse_answer`'s choice."""
    words = answer_words(response)
    out = []
    for label in labels:
        target = label.lower()
        total = peak = 0.0
        for word in words:
            s = Indel.normalized_similarity(target, word)
            if s >= THRESHOLD:
                total += s
                peak = max(peak, s)
        out.append((total, peak))
    return out


def parse_answer(response: str, labels: Sequence[str]) -> str:
    """The offered label that ``response`` names under the SPEC §2 rule, or ``UNPARSED``.

    Pure: depends only on its arguments. An empty answer, or one where no (label, word)
    similarity reaches ``THRESHOLD``, is ``UNPARSED``.
    """
    if response in labels:
        return response
    best, best_total, best_peak = UNPARSED, 0.0, 0.0
    for label, (total, peak) in zip(labels, label_scores(response, labels), strict=True):
        # a later label must beat the best strictly: earlier labels win exact ties
        if total > 0 and (total > best_total + _TIE
                          or (total > best_total - _TIE and peak > best_peak)):
            best, best_total, best_peak = label, total, peak
    return best


_PARSED = attrgetter("parsed")


def parse_predictions(preds: list[Prediction], *, overwrite: bool = False) -> list[Prediction]:
    """``preds`` with ``parsed`` filled, in a new list: where missing (those rows copied), or on
    every row if ``overwrite``. A failed clip (``error`` set) is ``UNPARSED``. Answers repeated
    with the same offered labels are parsed once; rows parsed already are kept as they are."""
    if not overwrite and None not in map(_PARSED, preds):  # as `cameo evaluate` writes them
        return list(preds)
    cache: dict[tuple[str, tuple[str, ...]], str] = {}
    out: list[Prediction] = []
    for p in preds:
        if p.parsed is not None and not overwrite:
            out.append(p)
            continue
        if p.error is not None:
            parsed = UNPARSED
        else:
            key = (p.response, tuple(p.labels))
            parsed = cache.get(key)
            if parsed is None:
                parsed = cache[key] = parse_answer(p.response, key[1])
        row = copy(p)  # a shallow copy: several times cheaper than dataclasses.replace
        row.parsed = parsed
        out.append(row)
    return out
