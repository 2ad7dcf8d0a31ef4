import hashlib
import io
import os
import struct

import numpy as np
import pytest
import soundfile as sf

from cameo_bench.audio import (
    AudioDecodeError,
    convert,
    decode_flac,
    encode_flac,
    flac_frames,
    pcm_file_id,
    resample,
    to_pcm16,
)
from cameo_bench.records import AudioSource
from support.corpus_trees.synth import write_webm_opus


def _tone(rate, seconds, channels=1, seed=0):
    rng = np.random.default_rng(seed)
    n = int(rate * seconds)
    t = np.arange(n) / rate
    x = 0.3 * np.sin(2 * np.pi * 220 * t)[:, None] + 0.01 * rng.standard_normal((n, channels))
    return x.astype(np.float32)


@pytest.mark.parametrize("rate", [16000, 24000, 44100, 48000])
def test_resampling_keeps_duration_within_one_sample(tmp_path, rate):
    x = _tone(rate, 1.2345)
    path = tmp_path / "a.wav"
    sf.write(path, x, rate, subtype="PCM_24")
    norm = convert(AudioSource(path))
    assert abs(len(norm.pcm) - len(x) * 16000 / rate) <= 1
    assert norm.pcm.dtype == np.int16
    assert norm.source_frames == len(x) and norm.source_rate == rate


def test_16k_pcm16_input_is_kept_bit_exact_and_id_is_sha256_of_pcm(tmp_path):
    pcm = (np.random.default_rng(1).integers(-20000, 20000, 8000)).astype("<i2")
    path = tmp_path / "a.wav"
    sf.write(path, pcm, 16000, subtype="PCM_16")
    norm = convert(AudioSource(path))
    assert np.array_equal(norm.pcm, pcm)
    assert norm.file_id == hashlib.sha256(pcm.tobytes()).hexdigest() + ".flac"


def test_downmix_averages_channels(tmp_path):
    left = _tone(16000, 0.5)[:, 0]
    stereo = np.stack([left, np.zeros_like(left)], axis=1)
    path = tmp_path / "s.wav"
    sf.write(path, stereo, 16000, subtype="FLOAT")
    norm = convert(AudioSource(path))
    expect = np.clip(np.rint(left / 2 * 32768), -32768, 32767).astype(np.int16)
    assert np.array_equal(norm.pcm, expect)


def test_flac_round_trip_is_lossless():
    pcm = (np.random.default_rng(2).integers(-32768, 32767, 16000)).astype("<i2")
    x, rate = decode_flac(encode_flac(pcm))
    assert rate == 16000
    assert pcm_file_id(np.rint(x * 32768).astype("<i2")) == pcm_file_id(pcm)


def test_segment_of_long_file(tmp_path):
    rate = 44100
    x = _tone(rate, 3.0)
    path = tmp_path / "long.flac"
    sf.write(path, x, rate)
    seg = convert(AudioSource(path, start=1.0, end=2.5))
    assert abs(len(seg.pcm) - 1.5 * 16000) <= 1
    assert seg.source_frames == round(2.5 * rate) - round(1.0 * rate)


def test_webm_opus_through_pyav(tmp_path):
    path = tmp_path / "a.webm"
    write_webm_opus(path, 48000, 1.0)
    norm = convert(AudioSource(path))
    assert abs(len(norm.pcm) / 16000 - 1.0) < 0.05


@pytest.mark.parametrize(
    "content, problem",
    [(b"", "empty"), (b"hello, this is text", "cannot decode"), (None, "cannot decode")],
)
def test_bad_files_raise_one_clear_line(tmp_path, content, problem):
    path = tmp_path / "bad.wav"
    if content is None:  # truncated: a valid header cut inside
        sf.write(path, _tone(16000, 0.5), 16000)
        path.write_bytes(path.read_bytes()[:30])
    else:
        path.write_bytes(content)
    with pytest.raises(AudioDecodeError) as info:
        convert(AudioSource(path))
    msg = str(info.value)
    assert msg.startswith(str(path)) and problem in msg and "\n" not in msg


# --- damaged headers and odd files: refused with the reason, before decoding ---------------


def _wav_with_rate(path, rate, frames=2400):
    """A valid 16-bit WAV whose header says ``rate`` (soundfile refuses to write odd rates)."""
    sf.write(path, np.full(frames, 1000, dtype=np.int16), 16000, subtype="PCM_16")
    data = bytearray(path.read_bytes())
    assert data[24:28] == (16000).to_bytes(4, "little")  # fmt: sample rate, then byte rate
    data[24:28] = rate.to_bytes(4, "little")
    data[28:32] = (rate * 2).to_bytes(4, "little")
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("rate", [1, 3999, 384001, 768000])
def test_implausible_sample_rates_are_refused(tmp_path, rate):
    """A header claiming 1 Hz made a 2,400-sample file a 40-minute clip (issue 11)."""
    path = tmp_path / "odd.wav"
    _wav_with_rate(path, rate)
    with pytest.raises(AudioDecodeError, match=f"implausible sample rate {rate} Hz"):
        convert(AudioSource(path))


@pytest.mark.parametrize("rate", [4000, 384000])
def test_the_extreme_plausible_rates_decode(tmp_path, rate):
    path = tmp_path / "edge.wav"
    _wav_with_rate(path, rate)
    assert convert(AudioSource(path)).source_rate == rate


def test_a_clip_longer_than_the_corpus_maximum_is_refused_from_its_header(tmp_path, monkeypatch):
    path = tmp_path / "long.wav"
    sf.write(path, np.zeros(16000 * 31, dtype=np.int16) + 7, 16000)
    decoded = []
    real = np.empty
    monkeypatch.setattr(np, "empty", lambda *a, **k: decoded.append(a) or real(*a, **k))
    with pytest.raises(AudioDecodeError, match=r"31\.0 s long, more than the corpus's longest "
                                               r"plausible clip \(30 s\)"):
        convert(AudioSource(path), max_seconds=30)
    assert decoded == []  # refused before a sample buffer was made
    assert len(convert(AudioSource(path), max_seconds=32).pcm) == 16000 * 31


def test_a_long_webm_stops_decoding_past_the_maximum(tmp_path):
    path = tmp_path / "long.webm"
    write_webm_opus(path, 48000, 3.0)
    with pytest.raises(AudioDecodeError, match="more than the corpus's longest plausible clip"):
        convert(AudioSource(path), max_seconds=1.0)
    assert abs(len(convert(AudioSource(path), max_seconds=5.0).pcm) / 16000 - 3.0) < 0.05


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("subtype", ["FLOAT", "DOUBLE"])
def test_float_wavs_with_nan_or_infinite_samples_are_refused(tmp_path, bad, subtype):
    """They were kept with 68 ms zeroed around the bad sample (issue 11)."""
    x = _tone(24000, 0.5)
    x[1000] = bad
    path = tmp_path / "f.wav"
    sf.write(path, x, 24000, subtype=subtype)
    with pytest.raises(AudioDecodeError, match="NaN or infinite samples"):
        convert(AudioSource(path))


def test_files_that_are_not_regular_are_named_for_what_they_are(tmp_path):
    loop, fifo, device = tmp_path / "loop.wav", tmp_path / "fifo.wav", tmp_path / "dev.wav"
    broken, folder = tmp_path / "broken.wav", tmp_path / "folder.wav"
    nowhere = tmp_path / "nowhere.wav"
    loop.symlink_to(loop.name)
    os.mkfifo(fifo)  # opening it would block the build forever
    device.symlink_to("/dev/zero")
    broken.symlink_to(nowhere)
    folder.mkdir()
    expected = {loop: "a symbolic link loop, not an audio file",
                fifo: "a FIFO (named pipe), not an audio file",
                device: "a character device, not an audio file",
                broken: f"a broken symbolic link (to {nowhere}), not an audio file",
                folder: "a folder, not an audio file"}
    for path, reason in expected.items():
        with pytest.raises(AudioDecodeError) as info:
            convert(AudioSource(path))
        assert info.value.problem == reason


# --- the direct 16-bit WAV reader gives libsndfile's samples bit for bit ---------------------


def _riff(fmt: bytes, chunks: list[tuple[bytes, bytes]]) -> bytes:
    body = b"WAVE" + b"".join(
        name + len(data).to_bytes(4, "little") + data + (b"\0" if len(data) % 2 else b"")
        for name, data in [(b"fmt ", fmt), *chunks])
    return b"RIFF" + len(body).to_bytes(4, "little") + body


def _fmt(channels, rate, bits=16, tag=1):
    align = channels * bits // 8
    return struct.pack("<HHIIHH", tag, channels, rate, rate * align, align, bits)


def _expected(path):
    """The pipeline with soundfile as the only reader (the reference for the direct reader)."""
    x, rate = sf.read(path, dtype="float32", always_2d=True)
    mono = x[:, 0] if x.shape[1] == 1 else x.mean(axis=1, dtype=np.float64).astype(np.float32)
    return to_pcm16(resample(mono, rate)), rate, len(x)


@pytest.mark.parametrize("case", ["mono", "stereo", "six", "list-first", "odd-chunk",
                                  "odd-data", "extensible", "24-bit", "trailing-chunk"])
def test_direct_wav_reading_equals_libsndfile(tmp_path, case, monkeypatch):
    rng = np.random.default_rng(len(case))
    channels = {"stereo": 2, "six": 6, "extensible": 2}.get(case, 1)
    pcm = rng.integers(-32768, 32767, (24000 * channels) + 3, dtype=np.int16)
    pcm = pcm[: len(pcm) - len(pcm) % channels]
    data = pcm.astype("<i2").tobytes()
    chunks = [(b"data", data)]
    fmt = _fmt(channels, 24000)
    if case == "list-first":
        chunks.insert(0, (b"LIST", b"INFOISFT\x05\x00\x00\x00Lavf\x00\x00"))
    if case == "odd-chunk":
        chunks.insert(0, (b"junk", b"abc"))  # padded to an even size
    if case == "odd-data":
        chunks = [(b"data", data + b"\x01")]
    if case == "trailing-chunk":
        chunks.append((b"LIST", b"INFOICMT\x04\x00\x00\x00hey\x00"))
    if case == "extensible":  # WAVE_FORMAT_EXTENSIBLE: read by libsndfile, not directly
        fmt = _fmt(channels, 24000, tag=0xFFFE) + struct.pack("<HHI", 22, 16, 3) + \
            bytes.fromhex("0100000000001000800000aa00389b71")
    path = tmp_path / f"{case}.wav"
    if case == "24-bit":
        sf.write(path, pcm.astype(np.float32) / 32768, 24000, subtype="PCM_24")
    else:
        path.write_bytes(_riff(fmt, chunks))
    want_pcm, want_rate, want_frames = _expected(path)
    if case not in ("extensible", "24-bit"):  # plain 16-bit PCM: libsndfile is not asked
        monkeypatch.setattr(sf, "SoundFile", None)
    got = convert(AudioSource(path))
    assert (got.source_rate, got.source_frames) == (want_rate, want_frames)
    assert np.array_equal(got.pcm, want_pcm)


def test_many_channels_are_downmixed_block_by_block_like_all_at_once(tmp_path):
    x = _tone(48000, 3.0, channels=3)  # more frames than one block
    path = tmp_path / "three.wav"
    sf.write(path, x, 48000, subtype="PCM_24")
    want_pcm, _, _ = _expected(path)
    assert np.array_equal(convert(AudioSource(path)).pcm, want_pcm)


def test_the_reused_resampler_gives_soxrs_samples_bit_for_bit():
    """audio.resample keeps one soxr stream per rate and clears it between clips."""
    import soxr

    rng = np.random.default_rng(5)
    for rate in (4000, 8000, 11025, 22050, 24000, 44100, 48000, 96000, 384000):
        for n in (1, 2, 7, 1000, int(rng.integers(2000, 150_000))):
            x = (0.3 * rng.standard_normal(n)).astype(np.float32)
            want = soxr.resample(x, rate, 16000, quality="VHQ")
            assert np.array_equal(resample(x, rate), want), (rate, n)


@pytest.mark.parametrize("frames", [1, 4_095, 4_096, 160_001])
def test_flac_frames_reads_the_length_without_decoding(frames):
    pcm = (np.random.default_rng(frames).uniform(-0.5, 0.5, frames) * 32767).astype("<i2")
    data = encode_flac(pcm)
    assert flac_frames(data) == frames == len(sf.read(io.BytesIO(data))[0])
    wav = io.BytesIO()
    sf.write(wav, pcm, 16000, format="WAV")
    assert flac_frames(wav.getvalue()) == frames  # not FLAC: soundfile reads the header
