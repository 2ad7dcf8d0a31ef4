"""Fetch a CAMEO collection from the Hugging Face Hub (``hf://owner/name@revision``) into the
local Hugging Face cache, so the folder reader can read it (no torch, no ``datasets``)."""

from __future__ import annotations

from pathlib import Path

from cameo_bench.errors import CameoError
from cameo_bench.vocab import HUB_REPO, HUB_REVISION

__all__ = ["HUB_PREFIX", "HUB_FILES", "is_hub_location", "parse_hub_location", "fetch_hub"]

HUB_PREFIX = "hf://"
#: What a reader needs from the dataset repository.
HUB_FILES = ["data/*.parquet", "metadata.jsonl", "README.md"]


def is_hub_location(location: str | Path) -> bool:
    """Whether ``location`` names a Hub dataset (``hf://...``) rather than a folder."""
    return isinstance(location, str) and location.startswith(HUB_PREFIX)


def parse_hub_location(location: str) -> tuple[str, str]:
    """``hf://owner/name@revision`` → ``(repo, revision)``; ``hf://`` alone is CAMEO at the
    pinned revision, and a missing ``@revision`` means the pinned one for CAMEO, ``main``
    otherwise."""
    spec = location[len(HUB_PREFIX):].strip("/")
    repo, _, revision = spec.partition("@")
    repo = repo or HUB_REPO
    if repo.startswith("datasets/"):
        repo = repo[len("datasets/"):]
    if repo.count("/") != 1:
        raise CameoError(f"{location}: expected hf://owner/name[@revision], "
                         f"e.g. hf://{HUB_REPO}@{HUB_REVISION}")
    return repo, revision or (HUB_REVISION if repo == HUB_REPO else "main")


def fetch_hub(location: str) -> Path:
    """Download (or find in the local cache) the parquet shards, ``metadata.jsonl`` and card of
    the Hub dataset at ``location``; return the local snapshot folder. Offline and not cached,
    or an unknown repository or revision, raise a one-line :class:`CameoError`."""
    from huggingface_hub import constants, snapshot_download
    from huggingface_hub.errors import (
        HfHubHTTPError,
        LocalEntryNotFoundError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    repo, revision = parse_hub_location(location)
    where = f"hf://{repo}@{revision}"
    try:
        folder = snapshot_download(repo, repo_type="dataset", revision=revision,
                                   allow_patterns=HUB_FILES)
    except LocalEntryNotFoundError:
        why = ("the Hub is offline (HF_HUB_OFFLINE=1)" if constants.HF_HUB_OFFLINE
               else "the Hub cannot be reached")
        raise CameoError(f"{where}: not in the local Hugging Face cache and {why}; go online "
                         "once to download it, or pass a built collection folder") from None
    except RevisionNotFoundError:
        raise CameoError(f"{where}: revision {revision!r} does not exist in {repo}") from None
    except RepositoryNotFoundError:
        raise CameoError(f"{where}: no such dataset repository (or it is private)") from None
    except HfHubHTTPError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CameoError(f"{where}: download failed ({first})") from None
    return Path(folder)
