"""The import graph points one way: each package or top-level module of cameo_bench imports only
from layers below its own, so there are no cycles and no lower layer reaches up (issue 10)."""

from __future__ import annotations

import ast

from support import REPO

SRC = REPO / "src" / "cameo_bench"

#: Layers from the bottom up; a unit may import from its own layer's earlier units and from any
#: lower layer, never from a later unit or a higher layer.
LAYERS: list[list[str]] = [
    ["errors", "__version__", "fileio", "registry", "untrusted", "paths", "progress"],
    ["vocab", "records"],
    ["prompts", "audio", "parse"],
    ["corpora", "collection", "baseline", "metrics", "bootstrap"],
    ["backends", "builder", "align", "predictions", "scores"],
    ["evaluation", "paper", "diagnostics", "presentation", "compare", "plots", "tables",
     "provenance", "demo"],
    ["report", "html_report", "compare_report", "leaderboard"],
    ["cli", "__main__"],
]
RANK = {unit: (i, j) for i, layer in enumerate(LAYERS) for j, unit in enumerate(layer)}


def _unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports() -> set[tuple[str, str, str]]:
    """(importing unit, imported unit, file) for every cameo_bench import between units."""
    edges = set()
    for path in SRC.rglob("*.py"):
        module = "cameo_bench." + ".".join(path.relative_to(SRC).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("cameo_bench"):
                names = [node.module] if node.module != "cameo_bench" else [
                    f"cameo_bench.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names if a.name.startswith("cameo_bench")]
            else:
                continue
            for name in names:
                a, b = _unit(module), _unit(name)
                if a != b and a != "__init__":
                    edges.add((a, b, str(path.relative_to(SRC))))
    return edges


def test_every_unit_has_a_layer():
    units = {p.stem if p.is_file() else p.name for p in SRC.iterdir()
             if (p.suffix == ".py" or (p / "__init__.py").is_file()) and p.name != "__init__.py"}
    assert units - set(RANK) == set(), "put the new module in a layer of LAYERS"


def test_imports_point_down():
    upward = sorted(f"{file}: {a} imports {b}" for a, b, file in _imports()
                    if RANK[b] >= RANK[a])
    assert upward == []
