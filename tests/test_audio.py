import hashlib

import numpy as np
import pytest
import soundfile as sf

from cameo_bench.audio import (
    AudioDecodeError,
    convert,
    decode_flac,
    encode_flac,
    pcm_file_id,
)
from cameo_bench.records import AudioSource


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
    import av
    path = tmp_path / "a.webm"
    x = _tone(48000, 1.0)
    with av.open(str(path), "w", format="webm") as out:
        stream = out.add_stream("libopus", rate=48000, layout="mono")
        frame = av.AudioFrame.from_ndarray(x.T.copy(), format="fltp", layout="mono")
        frame.sample_rate = 48000
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
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
