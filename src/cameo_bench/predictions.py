"""Read, validate and write ``predictions.jsonl`` (schema: resources/predictions.schema.json)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path

from cameo_bench.errors import InputError
from cameo_bench.fileio import append_synced, atomic_write
from cameo_bench.records import Prediction

__all__ = [
    "schema", "row_error", "parse_line", "read_predictions", "write_predictions",
    "append_predictions", "to_lines",
]


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


def parse_line(path: str | Path, n: int, line: str) -> Prediction | None:
    """One line of a predictions file as a :class:`Prediction` (``None`` for a blank line);
    a line that is not JSON or breaks the schema raises :class:`InputError` naming ``path:n``."""
    if not line.strip():
        return None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"not valid JSON ({exc.msg})", line=n) from None
    error = row_error(obj)
    if error is not None:
        raise InputError(path, error, line=n)
    pred = Prediction.from_dict(obj)
    pred.temperature = float(pred.temperature)
    return pred


def read_predictions(path: str | Path, *, allow_duplicates: bool = False) -> list[Prediction]:
    """Read and validate a predictions file.

    Raises :class:`InputError` naming the file and line for a line that is not JSON or breaks
    the schema, for an empty file, and for a repeated (file_id, model, temperature, prompt_id)
    unless ``allow_duplicates``.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "no such file")
    out: list[Prediction] = []
    seen: dict[tuple, int] = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            pred = parse_line(path, n, line)
            if pred is None:
                continue
            if not allow_duplicates:
                if pred.key in seen:
                    raise InputError(
                        path, f"duplicate row for (file_id, model, temperature, prompt_id) = "
                        f"{pred.key} (first at line {seen[pred.key]})", line=n)
                seen[pred.key] = n
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
