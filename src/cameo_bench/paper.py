"""The paper's published numbers (Tables 4-7), read from the packaged ``paper_results.tsv``.

Shared by the leaderboard (reported rows) and ``cameo score`` (a reported column beside a run
of a paper system). These are *reported* values: they are shown beside verified results and
never mixed into them, and only beside a run on the full collection (the paper's 41,265
clips): beside a subset they would read as comparable when they are not. Groups are mapped to
the collection's names: ``"CaFE (fr)"`` -> ``"CaFE"``, ``"Oreau (fr)"`` -> ``"Oréau"``; the
tables' ``All`` groups repeat Table 4's overall macro-F1 and are left out.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path

from cameo_bench.backends.models import ALIASES
from cameo_bench.collection.coverage import Coverage
from cameo_bench.errors import InputError
from cameo_bench.prompts import DEFAULT_PROMPT
from cameo_bench.vocab import CORPORA

__all__ = ["PAPER_PROMPT", "ReportedValue", "Reported", "read_paper_results", "reported_for",
           "reported_for_runs", "comparable_reported"]

#: The paper's instruction is the registered default prompt.
PAPER_PROMPT = DEFAULT_PROMPT
_COLUMNS = ["table", "model", "model_id", "temperature", "scope", "group", "metric", "value",
            "ci95_halfwidth"]


@dataclass(frozen=True)
class ReportedValue:
    """One published number: which system (paper name and Hub id) at which temperature, which
    scope, group and metric, its value and the half-width of its reported 95% interval."""

    model: str
    model_id: str
    temperature: float
    scope: str
    group: str
    metric: str
    value: float
    half_width: float

    def to_dict(self) -> dict:
        """Plain dict in field order."""
        return asdict(self)


#: Run (model, temperature, prompt_id) -> its paper numbers keyed by (scope, group, metric).
Reported = dict[tuple, dict[tuple[str, str, str], ReportedValue]]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


_DATASETS = {_ascii(c.name): c.name for c in CORPORA.values()}


def _group(scope: str, group: str) -> str:
    if scope == "dataset":
        name = re.sub(r"\s*\([a-z]{2}\)$", "", group)
        return _DATASETS.get(_ascii(name), name)
    return group


def read_paper_results(path: str | Path | None = None) -> list[ReportedValue]:
    """Every reported number in ``path`` (default: the packaged paper_results.tsv) in file
    order, groups in the collection's names, ``All`` rows left out. Raises InputError naming
    the file and line on a wrong header or a non-numeric cell."""
    if path is None:
        text = resources.files("cameo_bench").joinpath("resources/paper_results.tsv").read_text(
            encoding="utf-8")
        source = "paper_results.tsv"
    else:
        text, source = Path(path).read_text(encoding="utf-8"), str(path)
    reader = csv.DictReader(io.StringIO(text), delimiter="\t")
    if reader.fieldnames != _COLUMNS:
        raise InputError(source, f"expected the columns {', '.join(_COLUMNS)}", line=1)
    out: list[ReportedValue] = []
    for n, row in enumerate(reader, start=2):
        if row["group"] == "All":
            continue
        try:
            temperature, value = float(row["temperature"]), float(row["value"])
            half = float(row["ci95_halfwidth"])
        except ValueError:
            raise InputError(source, "temperature, value and ci95_halfwidth must be numbers",
                             line=n) from None
        out.append(ReportedValue(row["model"], row["model_id"], temperature, row["scope"],
                                 _group(row["scope"], row["group"]), row["metric"], value, half))
    return out


def reported_for(model: str, temperature: float | None, prompt_id: str | None,
                 values: list[ReportedValue] | None = None) -> dict[tuple[str, str, str],
                                                                    ReportedValue]:
    """The paper's numbers for a run of ``model`` (a Hub id, or an alias such as
    ``qwen2-audio``) at ``temperature`` with the paper's prompt, keyed by (scope, group,
    metric); empty when the paper has no such run. ``values`` defaults to the packaged
    table."""
    if temperature is None or prompt_id != PAPER_PROMPT:
        return {}
    model_id = ALIASES.get(model, model)
    return {(v.scope, v.group, v.metric): v
            for v in (read_paper_results() if values is None else values)
            if v.model_id == model_id and v.temperature == temperature}


def reported_for_runs(runs: Iterable[tuple[str, float | None, str | None]]) -> Reported:
    """The paper's numbers for each (model, temperature, prompt_id) run that matches a paper
    system (see :func:`reported_for`); runs without a match are left out."""
    values = read_paper_results()
    found = {run: reported_for(*run, values=values) for run in sorted(set(runs), key=str)}
    return {run: cells for run, cells in found.items() if cells}


def comparable_reported(
    reported: Reported, coverage: Mapping[tuple, Coverage | None],
) -> tuple[Reported, dict[tuple, Coverage | None]]:
    """``reported`` split by the ``coverage`` of each run: the numbers of runs on the full
    collection (the paper's clips: only there are ours and the paper's comparable), and the
    other runs that have paper numbers, with their coverage (``None``: unknown)."""
    shown: Reported = {}
    hidden: dict[tuple, Coverage | None] = {}
    for run, cells in reported.items():
        cov = coverage.get(run)
        if cov is not None and cov.full:
            shown[run] = cells
        else:
            hidden[run] = cov
    return shown, hidden
