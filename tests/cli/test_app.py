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
