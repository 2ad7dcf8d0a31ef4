"""Fixtures of the backend tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.eval_collections import make_collection
from support.family_runs import LAYOUT
from support.openai_server import Server


@pytest.fixture(scope="module")
def collection(tmp_path_factory) -> Path:
    """A small built collection (``support.family_runs.LAYOUT``), one per test module."""
    return make_collection(tmp_path_factory.mktemp("collection"), LAYOUT)


@pytest.fixture
def server():
    """A local chat-completions server (``support.openai_server``), closed after the test."""
    s = Server()
    yield s
    s.close()
