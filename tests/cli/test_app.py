import typer.main

from cameo_bench import __version__
from cameo_bench.cli import app, run


def _commands(group, prefix: str = ""):
    for name, cmd in group.commands.items():
        yield f"{prefix}{name}", cmd
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, f"{prefix}{name} ")


def test_every_command_has_help_text():
    group = typer.main.get_command(app)
    names = dict(_commands(group))
    assert "version" in names
    for name, cmd in names.items():
        assert (cmd.help or "").strip(), f"`cameo {name}` has no help text"


def test_version_command(capsys):
    assert run(["version"]) == 0
    assert capsys.readouterr().out.strip() == __version__


def test_unknown_command_is_a_usage_error(capsys):
    assert run(["no-such-command"]) == 2
    assert "No such command" in capsys.readouterr().err


def _app_with(monkeypatch, command):
    """Make ``run`` drive a fresh typer app holding ``command`` (and ``version``)."""
    import sys

    import typer

    module = sys.modules["cameo_bench.cli.app"]  # the package's ``app`` is the Typer object
    fresh = typer.Typer(pretty_exceptions_enable=False)
    fresh.command()(command)
    fresh.command("version")(lambda: None)
    monkeypatch.setattr(module, "app", fresh)


def test_the_exit_code_a_command_asks_for_is_the_processs(monkeypatch):
    """Before: ``run`` dropped the code typer returns for ``typer.Exit(130)``, so an
    interrupted ``cameo evaluate`` exited 0 and ``cameo evaluate ... && cameo score ...``
    scored a partial run."""
    import typer

    def stop(code: int) -> None:
        """Exit with ``code``; 0 stands for Ctrl-C."""
        if code == 0:
            raise KeyboardInterrupt
        raise typer.Exit(code)

    _app_with(monkeypatch, stop)
    assert run(["stop", "130"]) == 130
    assert run(["stop", "3"]) == 3
    assert run(["stop", "0"]) == 130  # typer turns Ctrl-C into Exit(130)
    assert run(["version"]) == 0


def test_an_os_error_no_command_expected_is_one_line(monkeypatch, capsys, tmp_path):
    def read_it(path: str) -> None:
        """Read a file."""
        open(path).close()

    _app_with(monkeypatch, read_it)
    assert run(["read-it", str(tmp_path / "missing")]) == 1
    err = capsys.readouterr().err
    assert err.strip() == f"error: {tmp_path / 'missing'}: No such file or directory"


def test_controls_takes_an_optional_sample_size():
    from cameo_bench.cli.app import _with_optional_values

    base = ["evaluate", "-m", "random"]
    assert _with_optional_values([*base, "--controls"]) == [*base, "--controls", "200"]
    assert _with_optional_values([*base, "--controls", "50"]) == [*base, "--controls", "50"]
    assert _with_optional_values([*base, "--controls", "-5"]) == [*base, "--controls", "-5"]
    assert _with_optional_values([*base, "--controls", "-t", "0.7"]) == [
        *base, "--controls", "200", "-t", "0.7"]
    assert _with_optional_values(["score", "--controls"]) == ["score", "--controls"]
    assert _with_optional_values(["evaluate", "--", "--controls"]) == [
        "evaluate", "--", "--controls"]
    assert _with_optional_values([]) == []
