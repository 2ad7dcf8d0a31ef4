"""Fake original corpus trees built from ``shared/layouts``: one module per corpus split.

Each module exposes ``ROOT`` (where the corpus root lies under ``dest``; ``""`` for ``dest``
itself) and ``make_tree(dest: Path, layouts: Path) -> list[dict]``: it writes a small
original-looking tree (real relative paths and metadata formats, short synthetic audio in the
original container and sample rate) under ``dest`` and returns the records the collection must
contain, one dict per kept clip with the keys ``origin, emotion, transcription, speaker_id,
gender, age``. ``synth`` writes the audio, ``facts`` reads the SPEC and layouts, ``expect``
turns a scan into comparable records.
"""
