"""The ``hf`` extra installs what the hf backend's families import."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

from packaging.requirements import Requirement

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: pytest's own dependency
    import tomli as tomllib

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def _hf_extra() -> dict[str, Requirement]:
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    requirements = (Requirement(r) for r in project["optional-dependencies"]["hf"])
    return {r.name: r for r in requirements}


def test_the_hf_extra_provides_peft_in_the_installed_version():
    """Issue 9, defect 5: Ultravox's Hub code (``ultravox_model.py``) imports peft, so without it
    ``from_pretrained(..., trust_remote_code=True)`` fails before loading a weight."""
    peft = _hf_extra()["peft"]
    assert peft.specifier.contains(version("peft"))
