"""Helpers shared by the tests (fake corpus trees, collections, predictions, a tiny model, a
headless browser); not tests themselves."""

from pathlib import Path

#: The repository root.
REPO = Path(__file__).resolve().parents[2]
