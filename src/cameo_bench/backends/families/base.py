"""The shared shape of a processor-driven family: load the checkpoint's processor and model class
as its model card does, turn requests into one (or, per clip, several) ``generate`` inputs."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar

from cameo_bench.backends.base import Request
from cameo_bench.backends.families.facts import FamilyFacts
from cameo_bench.errors import CameoError

__all__ = ["Family", "ProcessorFamily", "missing_packages"]


class Family:
    """What every family shares: ``load`` kwargs for ``from_pretrained``, the target device, the
    loaded ``model`` and ``tokenizer``, and ``facts`` (what is sent to the model, for run.json).
    ``revision_parts`` name what else the answers depend on (recorded in the model revision).
    Subclasses implement ``batches(requests)``, yielding ready ``generate`` inputs."""

    facts: ClassVar[FamilyFacts]
    model: Any
    tokenizer: Any
    revision_parts: tuple[str, ...] = ()

    def __init__(self, model_id: str, load: dict[str, Any], *, device: str):
        self.model_id, self.load, self.device = model_id, load, device

    def _place(self, model):
        if "device_map" not in self.load:
            model = model.to(self.device)
        self.input_device = model.device
        return model.eval()

    @property
    def pad_token_id(self) -> int:
        """The id used for left padding (the tokenizer's pad token, else its end of sequence)."""
        tok = self.tokenizer
        return tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id


@contextmanager
def missing_packages(name: str, packages: Sequence[str]) -> Iterator[None]:
    """Turn an ImportError raised while loading ``name`` into one line naming the packages of
    ``packages`` that are not installed and the pip command that installs them."""
    try:
        yield
    except ImportError as exc:
        missing = [p for p in packages if importlib.util.find_spec(p) is None]
        what = " ".join(missing) if missing else (exc.name or "a missing package")
        raise CameoError(f"{name} needs {what} beside the hf extra: pip install {what}") from None


class ProcessorFamily(Family):
    """A family whose inputs come from the checkpoint's own processor (``AutoProcessor``) and whose
    model is the transformers class ``model_class``.

    Subclasses set ``facts``, ``model_class``, ``packages`` (import names the model needs beyond
    the ``hf`` extra, named in the error when one is missing) and implement :meth:`inputs`.
    ``one_clip_per_call`` sends each clip alone when padding a batch would change an answer.
    """

    model_class: ClassVar[str]
    packages: ClassVar[tuple[str, ...]] = ()
    one_clip_per_call: ClassVar[bool] = False

    def __init__(self, model_id: str, load: dict[str, Any], **kw):
        super().__init__(model_id, load, **kw)
        import transformers

        with missing_packages(self.facts.model, self.packages):
            self.processor = transformers.AutoProcessor.from_pretrained(
                model_id, revision=load.get("revision"))
            model = getattr(transformers, self.model_class).from_pretrained(model_id, **load)
        self.tokenizer = self.processor.tokenizer
        self.tokenizer.padding_side = "left"
        self.model = self._place(model)

    def inputs(self, requests: Sequence[Request]) -> Any:
        """The processor's ``BatchFeature`` for ``requests`` (one clip and the instruction each)."""
        raise NotImplementedError

    def batches(self, requests: Sequence[Request]) -> Iterator[Any]:
        """``generate`` inputs on the model's device, floating tensors in the model's dtype."""
        groups = [[r] for r in requests] if self.one_clip_per_call else [list(requests)]
        for group in groups:
            yield self.inputs(group).to(self.input_device, dtype=self.model.dtype)
