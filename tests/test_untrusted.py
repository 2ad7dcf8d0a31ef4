"""Untrusted JSON and text: each attack of the integrity pass is refused with one line naming
the file and line, by every command that reads predictions (score, parse, compare, leaderboard
submit), never with a traceback; legitimate text (an answer with U+2028, a bidi mark inside a
model's answer, a ``\\r`` inside an answer) still reads."""

from __future__ import annotations

import json
import random

import pytest

from cameo_bench.cli import run
from cameo_bench.errors import InputError
from cameo_bench.predictions import read_predictions
from cameo_bench.untrusted import MAX_DEPTH, UntrustedInput, load_json, read_lines, text_problem
from support.leaderboard_data import make_predictions, write_collection


@pytest.mark.parametrize(("text", "reason"), [
    ('{"a": NaN}', "NaN is not a number JSON allows"),
    ('{"a": [1, -Infinity]}', "-Infinity is not a number JSON allows"),
    ('{"a": Infinity}', "Infinity is not a number JSON allows"),
    ('{"a": 1e999}', "number 1e999 is beyond the float range"),
    ('{"a": -1.5e400}', "number -1.5e400 is beyond the float range"),
    ('{"a": 1' + "0" * 400 + "}", "is beyond the float range"),
    ('{"a": ' + "9" * 4301 + "}", "a number of 4,301 digits (the limit is 4,300)"),
    ('{"a": 0.' + "1" * 4300 + "}", "(the limit is 4,300 digits)"),
    ('{"a": 1, "b": 2, "a": 3}', "key 'a' appears twice in one object"),
    ('{"a": {"b": 1, "b": 1}}', "key 'b' appears twice in one object"),
    # repeated keys hidden among colons inside strings, escapes and empty objects
    ('{"a": "x:y", "b": ":", "a": 1}', "key 'a' appears twice in one object"),
    ('{"a:b": 1, "a:b": ":"}', "key 'a:b' appears twice in one object"),
    ('{"a": ["x:y", ":"], "a": ["q"]}', "key 'a' appears twice in one object"),
    ('{"a": "\\u003a\\u003a", "a": 1}', "key 'a' appears twice in one object"),
    ('{"\\u003a": 1, "b": "::", ":": 2}', "key ':' appears twice in one object"),
    ('{"a": {}, "a": {}}', "key 'a' appears twice in one object"),
    ("[" * 30_000 + "]" * 30_000, f"JSON nests deeper than {MAX_DEPTH} levels"),
    ('{"a": ' + "[" * (MAX_DEPTH) + "]" * MAX_DEPTH + "}", f"deeper than {MAX_DEPTH} levels"),
    ('{"a": "x\u202ey"}', "a: holds a bidirectional control character U+202E"),
    ('{"a": ["ok", "x\\u2067y"]}', "a/1: holds a bidirectional control character U+2067"),
    ('{"a": "\\ud800"}', "a: holds a lone surrogate U+D800"),
    ('{"a": "\\udc00\\ud800"}', "a: holds a lone surrogate U+DC00"),
    ('{"a": "\\u001b[2J"}', "a: holds a control character U+001B"),
    ('{"a": "x\x85"}', "a: holds a control character U+0085"),
    ('{"a": "x\x7f"}', "a: holds a control character U+007F"),
    ('{"x\u2066": 1}', "object: a key holds a bidirectional control character U+2066"),
    ('{"a": 1', "not valid JSON (Expecting ',' delimiter at the end)"),
    ('{"a": \n', "not valid JSON (Expecting value at the end)"),
    ('{"a": 1,\n\n x}', "not valid JSON (Expecting property name enclosed in double quotes at "
                         "line 3 column 2)"),
    ('{"a": 1} {}', "not valid JSON (Extra data at column 10)"),
])
def test_refused_with_the_reason(text, reason):
    with pytest.raises(UntrustedInput) as info:
        load_json(text)
    assert reason in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("text", [
    '{"a": 1e308, "b": -0.0, "c": ' + "9" * 300 + "}",
    '{"a": "' + "[" * 100 + '"}',  # brackets inside a string do not nest
    "[" * MAX_DEPTH + "]" * MAX_DEPTH,
    '{"a": "\\ud83d\\ude00 \u00e9\u0142 \u4e2d", "b": "\\\\u202e"}',  # a pair, a backslash
    '{"a": {"b": ":"}, "c": ":", "d": ["e:", ":"], "f:": {}}',
])
def test_accepted(text):
    assert load_json(text) == json.loads(text)


def _strict(pairs):
    if len({k for k, _ in pairs}) != len(pairs):
        raise ValueError("repeated key")
    return dict(pairs)


def test_repeated_keys_refused_whatever_the_colons_in_strings():
    """Random flat objects whose keys and strings hold colons (raw or escaped), some with a key
    written twice: refused exactly when the standard decoder with a strict hook refuses them."""
    rng = random.Random(0)
    parts = ["a", "b", ":", "\\u003a", " ", "\\\"", "{"]
    refused = 0
    for _ in range(3000):
        keys = ["".join(rng.choices(parts, k=rng.randint(0, 3))) for _ in range(rng.randint(1, 5))]
        if rng.random() < 0.5:
            keys.insert(rng.randrange(len(keys) + 1), rng.choice(keys))
        values = [rng.choice(['"' + "".join(rng.choices(parts, k=rng.randint(0, 4))) + '"',
                              "1", "[]", '[":", "x"]', "{}", '{"' + rng.choice(parts) + '": 1}'])
                  for _ in keys]
        text = "{" + ", ".join(f'"{k}": {v}' for k, v in zip(keys, values, strict=True)) + "}"
        try:
            expected = json.loads(text, object_pairs_hook=_strict)
        except ValueError:
            refused += 1
            with pytest.raises(UntrustedInput, match="appears twice in one object"):
                load_json(text)
        else:
            assert load_json(text) == expected
    assert refused > 500


def test_free_text_keys_may_hold_bidi_and_controls_but_never_lone_surrogates():
    answer = '{"response": "x\u202e\\n\\u001by", "error": "\u2067", "model": "m"}'
    assert load_json(answer, free_text=("response", "error"))["response"] == "x\u202e\n\x1by"
    with pytest.raises(UntrustedInput, match="^model: holds a bidirectional"):
        load_json('{"response": "", "model": "m\u202e"}', free_text=("response",))
    with pytest.raises(UntrustedInput, match="^response: holds a lone surrogate U\\+DFFF"):
        load_json('{"response": "\\udfff"}', free_text=("response",))
    with pytest.raises(UntrustedInput, match="^a/response: holds a bidi"):  # free: top only
        load_json('{"a": {"response": "\u202a"}}', free_text=("response",))


def test_text_problem():
    assert text_problem("Qwen2-Audio-7B (ß, é, 中)") is None
    assert text_problem("a\u2028b") == "holds a control character U+2028"
    assert text_problem("a\nb", free=True) is None
    assert text_problem("\u202d", free=True) is None


def test_read_lines_splits_only_at_newline(tmp_path):
    path = tmp_path / "f.jsonl"
    path.write_bytes(b"a\rb\xe2\x80\xa8c\xc2\x85d\n\ne")
    assert list(read_lines(path)) == [(1, "a\rb\u2028c\x85d\n"), (2, "\n"), (3, "e")]
    path.write_bytes(b"ok\n\xed\xa0\x80\n")  # a surrogate encoded as if it were UTF-8
    with pytest.raises(InputError, match=r"f\.jsonl:2: not valid UTF-8 \(byte 0xed at column 1\)"):
        list(read_lines(path))
    path.write_bytes(b"12345\n" + b"x" * 100 + b"\n")
    with pytest.raises(InputError, match=r"f\.jsonl:2: line longer than 10 bytes"):
        list(read_lines(path, max_line_bytes=10))
    with pytest.raises(InputError, match=r"f\.jsonl:2: more than 1 lines"):
        list(read_lines(path, max_lines=1))


# --- every reader of predictions uses the check: score, parse, compare, leaderboard submit ---

def _row(**change) -> str:
    obj = make_predictions()[2].to_dict() | change
    return json.dumps(obj, ensure_ascii=False)


#: (name, text of line 3 of a predictions file, the reason the error gives).
ATTACKS = [
    ("bidi control in model name", _row(model="org/mod\u202eel"),
     "model: holds a bidirectional control character U+202E"),
    ("escaped bidi isolate in label", _row(labels=["anger", "\\u2066x"]).replace("\\\\", "\\"),
     "labels/1: holds a bidirectional control character U+2066"),
    ("terminal escape in model name", _row(model="\x1b[2J"),
     "model: holds a control character U+001B"),
    ("lone surrogate in answer", _row(response="x").replace('"x"', '"\\ud800"'),
     "response: holds a lone surrogate U+D800"),
    ("NaN temperature", _row().replace('"temperature": 0.0', '"temperature": NaN'),
     "NaN is not a number JSON allows"),
    ("Infinity seconds", _row()[:-1] + ', "seconds": Infinity}',
     "Infinity is not a number JSON allows"),
    ("temperature beyond float range", _row().replace('"temperature": 0.0',
                                                      '"temperature": 1e400'),
     "number 1e400 is beyond the float range"),
    ("400-digit integer temperature", _row().replace('"temperature": 0.0',
                                                     '"temperature": 1' + "0" * 399),
     "is beyond the float range"),
    ("5,000-digit number", _row().replace('"temperature": 0.0', '"temperature": ' + "1" * 5000),
     "a number of 5,000 digits (the limit is 4,300)"),
    ("duplicate key", _row()[:-1] + ', "temperature": 0.7}',
     "key 'temperature' appears twice in one object"),
    ("nesting 30,000 deep", "[" * 30_000 + "]" * 30_000, "JSON nests deeper than 8 levels"),
    ("not JSON", '{"file_id": ', "not valid JSON (Expecting value at the end)"),
    ("not JSON inside", '{"file_id": x}', "not valid JSON (Expecting value at column 13)"),
]


def _attack_file(tmp_path, line: str | bytes):
    lines = [json.dumps(p.to_dict(), ensure_ascii=False).encode() for p in make_predictions()]
    lines[2] = line if isinstance(line, bytes) else line.encode("utf-8", "surrogatepass")
    path = tmp_path / "attack.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def _commands(path, tmp_path) -> dict[str, list[str]]:
    meta = tmp_path / "meta.json"
    meta.write_text('{"name": "x"}', encoding="utf-8")
    collection = write_collection(tmp_path / "collection")
    return {
        "score": ["score", str(path), "--resamples", "0"],
        "parse": ["parse", str(path), "--out", str(tmp_path / "parsed.jsonl")],
        "compare": ["compare", str(path), str(path)],
        "submit": ["leaderboard", "submit", str(path), "--meta", str(meta), "--results",
                   str(tmp_path / "store"), "--collection", str(collection)],
    }


@pytest.mark.parametrize(("name", "line", "reason"), ATTACKS + [
    ("invalid UTF-8", _row().encode().replace(b"French", b"Fr\xffnch"),
     "not valid UTF-8 (byte 0xff"),
    ("CESU-8 surrogate bytes", _row().encode().replace(b"French", b"\xed\xa0\x80"),
     "not valid UTF-8 (byte 0xed"),
], ids=lambda v: v if isinstance(v, str) and len(v) < 40 else None)
def test_every_reader_refuses_with_one_line(tmp_path, capsys, name, line, reason):
    path = _attack_file(tmp_path, line)
    for command, argv in _commands(path, tmp_path).items():
        assert run(argv) == 2, (name, command)
        err = capsys.readouterr().err
        where = "attack.jsonl:3: " if command == "submit" else f"{path}:3: "
        assert err.startswith(f"error: {where}"), (command, err)
        assert reason in err and err.count("\n") == 1, (command, err)
    assert not (tmp_path / "parsed.jsonl").exists()
    assert not (tmp_path / "store" / "submissions").exists()


def test_answers_keep_their_own_text(tmp_path):
    """A model's answer is free text: U+2028, U+0085, a bare \\r, a bidi mark and a terminal
    escape inside it are read back verbatim (only names are held to the strict rules)."""
    answer = "anger\u2028\x85\r\u202e\x1b[0m"
    preds = make_predictions()
    line = json.dumps(preds[2].to_dict() | {"response": answer}, ensure_ascii=False)
    assert read_predictions(_attack_file(tmp_path, line))[2].response == answer
