"""A stored submission is typed in memory and JSON only at the file's edge: reading a stored
file and writing it back gives the same bytes."""

from __future__ import annotations

import json

from cameo_bench.leaderboard.results_store import open_store
from cameo_bench.leaderboard.submission import Submission
from support.leaderboard_data import make_predictions, write_collection, write_submission


def test_stored_file_round_trips_through_the_dataclass(tmp_path):
    store = open_store(tmp_path / "store", write_collection(tmp_path / "collection"))
    path, _ = write_submission(tmp_path, make_predictions(temperatures=(0.0, 0.7)))
    entry = store.submit(path, {"name": "X", "url": "https://x.org"}, n_resamples=10)
    stored = store.root / "submissions" / f"{entry['id']}.json"
    sub = store.load(entry["id"])
    assert [(r.temperature, r.prompt_id) for r in sub.runs] == [(0.0, "cameo-v1"),
                                                               (0.7, "cameo-v1")]
    assert sub.confusion["0.7|cameo-v1"]["overall"].n == 26
    again = json.dumps(Submission.from_json(sub.to_json()).to_json(), ensure_ascii=False,
                       sort_keys=True, indent=1) + "\n"
    assert again == stored.read_text(encoding="utf-8")
