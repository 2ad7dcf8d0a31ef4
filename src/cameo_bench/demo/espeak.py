"""Drive the eSpeak NG library bundled by ``espeakng-loader`` through ctypes (no system package).

eSpeak NG keeps synthesis state (pitch flutter phase, random generator) across calls inside one
process, and that state survives ``espeak_Terminate``: a clip's samples depend on every clip the
process synthesized before it. :func:`synthesize_batch` therefore promises byte-identical output
only for the same list of jobs synthesized in a *fresh* process, which is how the demo calls it.
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cameo_bench.errors import CameoError, MissingDependencyError

__all__ = ["Prosody", "SynthJob", "synthesize_batch"]

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
# espeak_PARAMETER values (speak_lib.h)
_RATE, _VOLUME, _PITCH, _RANGE = 1, 2, 3, 4
_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


@dataclass(frozen=True)
class Prosody:
    """eSpeak NG prosody parameters: words per minute, base pitch and pitch range (0–100),
    volume (0–200, 100 normal)."""

    rate: int
    pitch: int
    range: int
    volume: int


@dataclass(frozen=True)
class SynthJob:
    """One sentence to speak with ``voice`` (an eSpeak voice name, e.g. ``"pl+f2"``)."""

    voice: str
    text: str
    prosody: Prosody


def _load():
    try:
        import espeakng_loader
    except ImportError as exc:
        raise MissingDependencyError("espeakng-loader", "baseline", "the demo synthesizer") from exc
    lib = ctypes.CDLL(espeakng_loader.get_library_path())
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_Initialize.restype = ctypes.c_int
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.espeak_ng_SetRandSeed.argtypes = [ctypes.c_long]
    lib.espeak_Synth.argtypes = [
        ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
        ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
    ]
    rate = lib.espeak_Initialize(
        _AUDIO_OUTPUT_SYNCHRONOUS, 0, espeakng_loader.get_data_path().encode(), 0
    )
    if rate <= 0:
        raise CameoError(f"eSpeak NG failed to start ({rate}): reinstall espeakng-loader")
    return lib, rate


def synthesize_batch(jobs: Sequence[SynthJob], seed: int = 0) -> tuple[list[np.ndarray], int]:
    """Speak every job in order; return int16 mono sample arrays and their sample rate.

    Each job is synthesized with eSpeak's random generator reset to ``seed``. Call it in a fresh
    process for reproducible bytes (see the module docstring).
    """
    lib, rate = _load()
    chunks: list[np.ndarray] = []

    def collect(wav, n, _events):
        if n > 0:
            chunks.append(np.ctypeslib.as_array(wav, shape=(n,)).copy())
        return 0

    callback = _CALLBACK(collect)  # kept alive for the duration of the calls below
    lib.espeak_SetSynthCallback(callback)
    out: list[np.ndarray] = []
    for job in jobs:
        chunks.clear()
        if lib.espeak_SetVoiceByName(job.voice.encode()) != 0:
            raise CameoError(f"eSpeak NG has no voice {job.voice!r}: reinstall espeakng-loader")
        p = job.prosody
        for param, value in ((_RATE, p.rate), (_VOLUME, p.volume), (_PITCH, p.pitch),
                             (_RANGE, p.range)):
            lib.espeak_SetParameter(param, value, 0)
        lib.espeak_ng_SetRandSeed(seed)
        text = job.text.encode("utf-8") + b"\0"
        status = lib.espeak_Synth(text, len(text), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
        lib.espeak_Synchronize()
        if status != 0 or not chunks:
            raise CameoError(f"eSpeak NG produced no audio for {job.text!r} ({status})")
        out.append(np.concatenate(chunks).astype(np.int16, copy=False))
    lib.espeak_Terminate()
    return out, rate
