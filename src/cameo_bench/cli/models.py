"""``cameo models``: every model alias, the backends that run it, its Hub id and its needs."""

from __future__ import annotations

import typer
from rich.table import Table

from cameo_bench.backends.models import MODELS
from cameo_bench.cli.app import app, console

__all__ = ["models_command", "HEADER"]

HEADER = ("alias", "backends", "hub id", "needs")


def _rows() -> list[tuple[str, str, str, str]]:
    return [(m.alias + (" *" if m.paper else ""), ", ".join(m.backends), m.hub_id, m.needs)
            for m in MODELS]


@app.command("models")
def models_command() -> None:
    """List the model aliases (* = the CAMEO paper's four): backends, Hub id, what each needs.

    Use an alias as --model (the hf backend) or after a backend (vllm:ALIAS, openai:ALIAS).
    """
    if not console.is_terminal:
        for row in (HEADER, *_rows()):
            typer.echo("\t".join(row))
        return
    table = Table(title="cameo-bench models (* = the CAMEO paper's four)", title_justify="left",
                  caption="hf extra = transformers 4.57; openai = a vllm serve (or other "
                  "OpenAI-compatible) server of the model", caption_justify="left")
    table.add_column("alias", no_wrap=True)
    table.add_column("backends", no_wrap=True)
    table.add_column("hub id", overflow="fold", ratio=1)
    table.add_column("needs", overflow="fold", ratio=1)
    for row in _rows():
        table.add_row(*row)
    console.print(table)
