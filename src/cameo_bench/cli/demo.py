"""``cameo demo`` and the no-argument default of ``cameo evaluate``: the synthetic demo."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cameo_bench.cli.app import app, console, err_console

__all__ = ["demo_command", "prepare_demo", "demo_run_defaults", "DEMO_MODEL", "DEMO_SIZE"]

#: What ``cameo evaluate`` runs when given neither a model nor data, and on which demo size.
DEMO_MODEL = "egemaps-logreg"
DEMO_SIZE = "full"


def prepare_demo(size: str = "full", out: Path | None = None,
                 console: Console = err_console) -> Path:
    """Return the demo folder, generating it (with a progress bar) on first use; says plainly
    that it is synthetic."""
    from cameo_bench.demo import ensure_demo
    from cameo_bench.demo.generate import demo_dir, demo_size, is_complete
    from cameo_bench.demo.spec import plan
    from cameo_bench.progress import progress

    spec = demo_size(size)
    root = out if out is not None else demo_dir(spec)
    if is_complete(root, spec):
        console.print(f"demo collection (SYNTHETIC speech, not CAMEO data): {root}",
                      highlight=False)
        return root
    with progress(len(plan(spec)), "generating the synthetic demo (eSpeak NG)",
                  console=console) as tracker:
        root = ensure_demo(spec, root=root, on_split=lambda _: tracker.advance())
    console.print(f"generated the demo collection (SYNTHETIC speech, not CAMEO data): {root}",
                  highlight=False)
    return root


def demo_run_defaults(out: Path | None) -> tuple[str, Path, Path]:
    """``(model, data, run folder)`` for ``cameo evaluate`` without ``--model``/``--data``:
    ``egemaps-logreg`` on the demo, run folder ``out`` or
    ``<cache>/runs/demo-v<N>-<size>-egemaps-logreg`` (a rerun resumes: nothing to answer)."""
    from cameo_bench.demo import DEMO_VERSION
    from cameo_bench.paths import user_cache_dir

    data = prepare_demo(DEMO_SIZE)
    run = out if out is not None else (
        user_cache_dir() / "runs" / f"demo-v{DEMO_VERSION}-{DEMO_SIZE}-{DEMO_MODEL}")
    return DEMO_MODEL, data, run


@app.command("demo")
def demo_command(
    size: Annotated[str, typer.Option(
        "--size", help="full (8 languages, 384 clips) or small (2 languages, 36 clips).")] = "full",
    out: Annotated[Path | None, typer.Option(
        "--out", help="Folder to write it to (default: the user cache).")] = None,
) -> None:
    """Generate the built-in SYNTHETIC demo collection (offline) and print its folder."""
    console.print(str(prepare_demo(size, out)), highlight=False)
