"""Read, validate and write ``predictions.jsonl`` (schema: resources/predictions.schema.json).

Every line is untrusted text (a model server, a user or a submitter wrote it): it is parsed by
:func:`cameo_bench.untrusted.load_json` (no NaN, duplicate keys, deep nesting, control or
bidirectional characters in names, lone surrogates), then checked against the schema; each
problem is one :class:`~cameo_bench.errors.InputError` naming ``FILE:LINE``. Only ``response``
and ``error`` (a model's raw output, kept verbatim) are free text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from operator import itemgetter
from pathlib import Path

from cameo_bench.errors import InputError
from cameo_bench.fileio import append_synced, atomic_write
from cameo_bench.records import Prediction
from cameo_bench.untrusted import UntrustedInput, load_json, read_lines

__all__ = [
    "FREE_TEXT", "schema", "row_error", "parse_line", "read_predictions", "write_predictions",
    "append_predictions", "to_lines",
]

#: The fields of a predictions line that hold a model's raw output: free text, not names.
FREE_TEXT = ("response", "error")


@lru_cache(maxsize=1)
def schema() -> dict:
    """The JSON Schema of one predictions line."""
    text = resources.files("cameo_bench").joinpath("resources/predictions.schema.json").read_text()
    return json.loads(text)


@lru_cache(maxsize=1)
def _validator():
    import jsonschema

    return jsonschema.Draft202012Validator(schema())


@lru_cache(maxsize=1)
def _fast_check():
    """The schema compiled to Python by fastjsonschema, and the exception it raises."""
    import fastjsonschema

    return fastjsonschema.compile(schema()), fastjsonschema.JsonSchemaException


def row_error(obj: object) -> str | None:
    """``None`` when ``obj`` is a valid predictions line, else the first schema violation as
    ``"<json path or 'line'>: <message>"``.

    Valid rows are checked by the schema compiled with fastjsonschema (~30x cheaper than
    jsonschema); only a rejected row is re-checked by jsonschema, which words the message and
    has the last say.
    """
    check, rejected = _fast_check()
    try:
        check(obj)
        return None
    except rejected:
        pass
    error = next(iter(_validator().iter_errors(obj)), None)
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path) or "line"
    return f"{where}: {error.message}"


#: The keys every predictions line holds, and those it may hold.
_REQUIRED = frozenset(("file_id", "dataset", "language", "emotion", "labels", "model",
                       "model_revision", "temperature", "prompt_id", "response"))
_FIELDS = _REQUIRED | {"parsed", "prompt_hash", "seconds", "error"}
_NUMBER = (int, float)  # JSON numbers as parsed (bool, a subclass of int, is not one)
_TEXT_OR_NULL = (str, type(None))
#: Key orders and offered label lists found valid (a file has a few of each): checked once.
_VALID_KEYS: set[tuple] = set()
_VALID_LABELS: set[tuple] = set()
_REMEMBERED = 256  # the most of each kept


def _valid_labels(labels: list) -> bool:
    """Whether ``labels`` is what the schema's ``labels`` admits."""
    return 0 < len(labels) <= 17 and all(type(x) is str and 0 < len(x) <= 100 for x in labels)


def _surely_valid(obj: dict) -> bool:
    """True only when the schema accepts ``obj`` (a dict): the schema's rules written out, with
    the key order and the offered labels checked once per distinct value, ~10x cheaper than the
    compiled schema. False says nothing: the schema decides (and words the error)."""
    keys, labels = tuple(obj), obj.get("labels")
    if keys not in _VALID_KEYS:
        if not _REQUIRED <= obj.keys() <= _FIELDS:
            return False
        if len(_VALID_KEYS) < _REMEMBERED:
            _VALID_KEYS.add(keys)
    if type(labels) is not list:
        return False
    try:
        offered = tuple(labels)
        known = offered in _VALID_LABELS
    except TypeError:  # unhashable items: not strings
        return False
    if not known:
        if not _valid_labels(labels):
            return False
        if len(_VALID_LABELS) < _REMEMBERED:
            _VALID_LABELS.add(offered)
    file_id, model, revision = obj["file_id"], obj["model"], obj["model_revision"]
    dataset, language, emotion, prompt = (obj["dataset"], obj["language"], obj["emotion"],
                                          obj["prompt_id"])
    temperature, seconds, hash_ = obj["temperature"], obj.get("seconds"), obj.get("prompt_hash")
    return (type(file_id) is type(model) is type(dataset) is type(language) is type(emotion)
            is type(prompt) is type(obj["response"]) is str
            and 0 < len(file_id) <= 200 and 0 < len(model) <= 200 and 0 < len(dataset) <= 100
            and 0 < len(language) <= 100 and 0 < len(emotion) <= 100 and 0 < len(prompt) <= 100
            and (revision is None or type(revision) is str and len(revision) <= 200)
            and type(temperature) in _NUMBER and temperature >= 0
            and type(obj.get("parsed")) in _TEXT_OR_NULL
            and type(obj.get("error")) in _TEXT_OR_NULL
            and (hash_ is None or type(hash_) is str and len(hash_) <= 64)
            and (seconds is None or type(seconds) in _NUMBER and seconds >= 0))


_VALUES = itemgetter("file_id", "dataset", "language", "emotion", "labels", "model",
                     "model_revision", "temperature", "prompt_id", "response")


def _prediction(obj: dict) -> Prediction:
    """The :class:`Prediction` of a schema-valid row (``Prediction(**obj)``, with less work)."""
    pred = Prediction(*_VALUES(obj), obj.get("parsed"), obj.get("prompt_hash"),
                      obj.get("seconds"), obj.get("error"))
    pred.temperature = float(pred.temperature) + 0.0  # + 0.0: -0.0 is the run 0.0
    return pred


def parse_line(path: str | Path, n: int, line: str) -> Prediction | None:
    """One line of a predictions file as a :class:`Prediction` (``None`` for a blank line);
    a line that is not safe JSON (:func:`~cameo_bench.untrusted.load_json`) or breaks the
    schema raises :class:`InputError` naming ``path:n``."""
    if not line or line.isspace():
        return None
    try:
        obj = load_json(line, free_text=FREE_TEXT)
    except UntrustedInput as exc:
        raise InputError(path, str(exc), line=n) from None
    if type(obj) is not dict or not _surely_valid(obj):
        error = row_error(obj)
        if error is not None:
            raise InputError(path, error, line=n)
    return _prediction(obj)


def read_predictions(path: str | Path, *, allow_duplicates: bool = False,
                     max_line_bytes: int | None = None,
                     max_lines: int | None = None) -> list[Prediction]:
    """Read and validate a predictions file, lines split only at ``\\n``.

    Raises :class:`InputError` naming the file and line for a line that is not UTF-8, not safe
    JSON, breaks the schema or passes ``max_line_bytes`` / ``max_lines``
    (:func:`~cameo_bench.untrusted.read_lines`), for an empty file, and for a repeated
    (file_id, model, temperature, prompt_id) unless ``allow_duplicates``.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "no such file")
    out: list[Prediction] = []
    seen: dict[tuple, dict[str, int]] = {}  # run -> file_id -> line (no tuple kept per row)
    for n, line in read_lines(path, max_line_bytes=max_line_bytes, max_lines=max_lines):
        pred = parse_line(path, n, line)
        if pred is None:
            continue
        if not allow_duplicates:
            first = seen.setdefault((pred.model, pred.temperature, pred.prompt_id),
                                    {}).setdefault(pred.file_id, n)
            if first != n:
                raise InputError(
                    path, f"duplicate row for (file_id, model, temperature, prompt_id) = "
                    f"{pred.key} (first at line {first})", line=n)
        out.append(pred)
    if not out:
        raise InputError(path, "the file has no predictions")
    return out


def _line(pred: Prediction) -> str:
    return json.dumps(pred.to_dict(), ensure_ascii=False, sort_keys=False) + "\n"


def to_lines(preds: Iterable[Prediction]) -> str:
    """``preds`` as predictions.jsonl lines (each ends with a newline), as every writer of
    predictions files writes them."""
    return "".join(_line(p) for p in preds)


def write_predictions(path: str | Path, preds: Iterable[Prediction]) -> Path:
    """Write ``preds`` to ``path`` atomically (temp file + rename)."""
    text = to_lines(preds)
    return atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def append_predictions(path: str | Path, preds: Iterable[Prediction]) -> None:
    """Append ``preds`` to ``path`` and flush + fsync, so a crash loses no written line."""
    append_synced(path, to_lines(preds))
