"""Fake original corpus trees built from ``shared/layouts``: one module per corpus split.

Each module exposes ``make_tree(dest: Path, layouts: Path) -> list[dict]``: it writes a small
original-looking tree (real relative paths and metadata formats, short synthetic audio in the
original container and sample rate) under ``dest`` and returns the records the collection must
contain, one dict per kept clip with the keys ``origin, emotion, transcription, speaker_id,
gender, age``.
"""
