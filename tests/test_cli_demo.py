from cameo_bench.cli import run


def test_demo_command_generates_once_and_says_synthetic(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CAMEO_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("CAMEO_DEMO_DIR", raising=False)
    assert run(["demo", "--size", "small"]) == 0
    out = capsys.readouterr()
    assert out.out.strip() == str(tmp_path / "demo-v1-small")
    assert "generated" in out.err and "SYNTHETIC" in out.err
    assert run(["demo", "--size", "small"]) == 0
    again = capsys.readouterr()
    assert "generated" not in again.err and "SYNTHETIC" in again.err


def test_unknown_demo_size_is_a_clear_error(capsys):
    assert run(["demo", "--size", "tiny"]) == 2
    assert "Unknown demo size 'tiny'" in capsys.readouterr().err
