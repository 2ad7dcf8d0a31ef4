"""Build the static leaderboard site: one ``index.html`` that opens from disk or any static host.

The data is embedded as JSON in a ``<script type="application/json">`` block with ``<``, ``>``,
``&`` and the JavaScript line separators escaped, so no value can close the block; the page's
script renders it with ``textContent`` only, and a Content-Security-Policy allows nothing but
the page's own script and style (by hash), so even an injected tag could not run.
"""

from __future__ import annotations

import base64
import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any

from cameo_bench.fileio import atomic_write

__all__ = ["embed_json", "render_site", "write_site"]

_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
            "\u2029": "\\u2029"}


def embed_json(data: Any) -> str:
    """``data`` as JSON safe to place inside ``<script type="application/json">``: the same
    value once parsed, with no ``<``, ``>`` or ``&`` characters left in the text."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False)
    for char, escaped in _ESCAPES.items():
        text = text.replace(char, escaped)
    return text


def _template(name: str) -> str:
    return resources.files("cameo_bench").joinpath(f"resources/leaderboard/{name}").read_text(
        encoding="utf-8")


def _sha256(text: str) -> str:
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
    return f"'sha256-{digest}'"


def render_site(data: dict[str, Any]) -> str:
    """The complete ``index.html`` for board ``data`` (:meth:`board.Board.to_json`)."""
    css, js = _template("leaderboard.css"), _template("leaderboard.js")
    csp = (f"default-src 'none'; script-src {_sha256(js)}; style-src {_sha256(css)}; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    page = _template("index.html")
    for marker, value in (("@@CSP@@", csp), ("@@CSS@@", css), ("@@JS@@", js)):
        page = page.replace(marker, value)
    return page.replace("@@DATA@@", embed_json(data))


def write_site(data: dict[str, Any], out_dir: str | Path) -> Path:
    """Write the site for ``data`` into ``out_dir`` (``index.html``, atomically); same data,
    same bytes. Returns the page's path."""
    page = render_site(data)
    return atomic_write(Path(out_dir) / "index.html",
                        lambda tmp: Path(tmp).write_text(page, encoding="utf-8", newline="\n"))
