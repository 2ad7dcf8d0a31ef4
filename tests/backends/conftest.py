"""Fixtures of the backend tests."""

from __future__ import annotations

import pytest

from support.openai_server import Server


@pytest.fixture
def server():
    """A local chat-completions server (``support.openai_server``), closed after the test."""
    s = Server()
    yield s
    s.close()
