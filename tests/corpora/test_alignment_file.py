"""The alignment TSV (``cameo align`` → Oréau's transcriptions): only ``\\n`` ends a line."""

from __future__ import annotations

from cameo_bench.corpora.alignment_file import (
    Alignment,
    append_alignment,
    read_alignment,
    write_alignment,
)
from cameo_bench.corpora.oreau import read_sentences


def test_line_and_paragraph_separators_inside_a_cell_survive(tmp_path):
    """A recognizer's answer with U+2028, U+2029 or U+0085 split the line under
    ``str.splitlines()`` and made the file unreadable (issue 11)."""
    odd = Alignment("f/sessa/01a01Ca.wav", 3, "Une phrase.", 0.125,
                    "une\u2028phrase\u0085 dite\u2029ici\x1c", "whisper")
    plain = Alignment("m/sessb/02a02Na.wav", 1, "Deux.", 0.0, "deux", "whisper")
    write_alignment(tmp_path / "a.tsv", [odd])
    append_alignment(tmp_path / "a.tsv", [plain])
    assert read_alignment(tmp_path / "a.tsv") == {odd.origin: odd, plain.origin: plain}


def test_sentence_lists_split_only_at_line_ends(tmp_path):
    path = tmp_path / "contents.txt"
    path.write_bytes("1. Premi\u00e8re\u2028phrase.\r\n2. Deuxi\u00e8me.\r3. Trois.\n".encode())
    assert read_sentences(path) == ["Premi\u00e8re\u2028phrase.", "Deuxi\u00e8me.", "Trois."]
