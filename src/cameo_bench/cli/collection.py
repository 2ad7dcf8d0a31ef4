"""Commands of the collection: ``cameo corpora``, ``cameo build``, ``cameo stats``."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cameo_bench.cli.app import app, console, err_console

__all__ = ["corpora", "build", "stats"]


@app.command()
def corpora() -> None:
    """List the 13 corpora: language, license, labels, where to download, expected layout."""
    from cameo_bench.builder.collect import load_adapter
    from cameo_bench.errors import CameoError
    from cameo_bench.vocab import CORPORA

    table = Table(title="CAMEO corpora", show_lines=True)
    for column in ("split", "corpus", "language", "license", "labels", "download", "layout"):
        table.add_column(column, overflow="fold")
    for split, info in CORPORA.items():
        try:
            adapter = load_adapter(split)
            where, layout = adapter.download, adapter.layout
        except CameoError as exc:  # a partial install: say so in the row, list the others
            where, layout = "", f"[red]{exc}[/red]"
        table.add_row(split, info.name, info.language, info.license, " ".join(info.labels),
                      where, layout)
    console.print(table)


@app.command()
def build(
    root: Annotated[Path, typer.Argument(help="Folder holding the downloaded, unpacked corpora.")],
    out: Annotated[Path, typer.Option("--out", help="Folder to write the collection into.")],
    corpus: Annotated[list[str] | None, typer.Option(
        "--corpus", help="Build only this corpus (repeatable); default: every one found.")] = None,
    jobs: Annotated[int, typer.Option(
        "--jobs", "-j", help="Worker processes (default: all cores).")] = 0,
) -> None:
    """Build the collection from the original corpora (rerun to resume after a kill).

    Writes 16 kHz FLAC parquet per corpus, metadata.jsonl, a dataset card and build_report.json.
    """
    from cameo_bench.builder import WORK_DIR, build_collection

    try:
        report = build_collection(root, out, corpora=corpus or None,
                                  jobs=jobs or os.cpu_count() or 1, progress=True,
                                  log=lambda line: err_console.print(line, markup=False))
    except KeyboardInterrupt:
        err_console.print(f"stopped: run the same command again to resume (converted audio is "
                          f"kept in {out / WORK_DIR})", markup=False)
        raise
    table = Table(title=f"Built {out}")
    for column in ("split", "kept", "removed", "flagged"):
        table.add_column(column, justify="left" if column == "split" else "right")
    for split, n in report.kept.items():
        table.add_row(split, str(n), str(sum(d.corpus == split for d in report.dropped)),
                      str(sum(f.corpus == split for f in report.flagged)))
    table.add_row("total", str(report.total), str(len(report.dropped)), str(len(report.flagged)))
    console.print(table)
    if report.problems:
        console.print(f"{len(report.problems)} problem(s): folders or corpora that could not be "
                      "read (listed above and in the report)", style="yellow")
    console.print(f"Removals, problems and notes with reasons: {out / 'build_report.json'}")


@app.command()
def stats(
    location: Annotated[str, typer.Argument(
        help="A built collection folder, or hf://owner/name[@revision].")],
    json_out: Annotated[Path | None, typer.Option(
        "--json", help="Also write the statistics as JSON to this file.")] = None,
) -> None:
    """Show the paper's Table 1 and the collection's shares of English, emotions, speakers.

    Per corpus: samples, speakers (F/M), distinct utterances, duration of the 16 kHz audio.
    """
    from cameo_bench.collection import open_collection
    from cameo_bench.collection.stats import collection_stats, hms
    from cameo_bench.fileio import atomic_write
    from cameo_bench.tables import TextTable, print_table

    result = collection_stats(open_collection(location))
    rows = [[c.split, c.dataset, c.language, str(c.samples),
             f"{c.speakers} ({c.female_speakers}/{c.male_speakers})" if c.speakers else "–",
             str(c.utterances), hms(c.seconds)] for c in result.corpora]
    rows.append(["total", "", "", str(result.samples), "", "", hms(result.seconds)])
    print_table(console, TextTable(
        "CAMEO statistics (Table 1)", ["split", "dataset", "language", "samples",
                                       "speakers (F/M)", "utterances", "duration"],
        rows, keys=frozenset({0, 1})))
    print_table(console, TextTable("Shares of all samples", ["share", "%"],
                                   [[name, f"{value:.2f}"]
                                    for name, value in result.percent.items()]))
    if json_out:
        text = json.dumps(result.to_dict(), ensure_ascii=False, indent=1) + "\n"
        atomic_write(json_out, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
