"""``cameo align``: transcriptions for sentence-list corpora (Oréau) by ASR + closest sentence."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cameo_bench.cli.app import app, console
from cameo_bench.progress import progress

#: Alignments with a CER above this are listed for review.
REVIEW_CER = 0.3


@app.command()
def align(
    split: Annotated[str, typer.Argument(
        help="Corpus split to align (sentence-list corpora: oreau).")],
    folder: Annotated[Path, typer.Argument(
        help="Folder holding the original corpus (searched).")],
    recognizer: Annotated[str, typer.Option(help="Speech recognizer (registry name).")] = "whisper",
    model: Annotated[str, typer.Option(
        help="Recognizer checkpoint (Hub id or local folder).")] = "openai/whisper-large-v2",
    device: Annotated[str | None, typer.Option(
        help="Device for the recognizer, e.g. cpu, cuda:0.")] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Clips per recognizer call.")] = 8,
    output: Annotated[Path | None, typer.Option(
        help="Alignment TSV to write (default: alignment.tsv in the corpus root, where the "
        "adapter reads it).")] = None,
) -> None:
    """Transcribe every clip of a sentence-list corpus and give it the closest listed sentence.

    Writes a reviewable TSV (origin, sentence_index, sentence, cer, hypothesis, recognizer);
    an interrupted run resumes where it stopped.
    """
    from cameo_bench import align as alignment
    from cameo_bench.vocab import corpus_info

    asr = alignment.make_recognizer(recognizer, model=model, language=corpus_info(split).language,
                                    device=device, batch_size=batch_size)
    with progress(None, f"aligning {split}", console=console) as tracker:

        def advance(n: int, total: int) -> None:
            tracker.update(completed=tracker.done + n, total=total)

        run = alignment.align_corpus(split, folder, asr, output=output, batch_size=batch_size,
                                     progress=advance)
    cers = [a.cer for a in run.alignments]
    review = [a for a in run.alignments if a.cer > REVIEW_CER]
    table = Table(title=f"{split} alignment ({asr.name})")
    for column in ("clips", "reused", "mean CER", f"CER > {REVIEW_CER}", "sentences used"):
        table.add_column(column, justify="right")
    table.add_row(str(len(cers)), str(run.reused), f"{sum(cers) / max(len(cers), 1):.3f}",
                  str(len(review)), str(len({a.sentence_index for a in run.alignments})))
    console.print(table)
    for a in review[:20]:
        console.print(f"review: {a.origin} (CER {a.cer:.2f}) heard {a.hypothesis!r}",
                      markup=False, highlight=False)
    console.print(f"wrote {run.path}", markup=False, highlight=False)
