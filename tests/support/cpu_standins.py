"""Stand-ins for the three libraries this CPU test machine cannot install beside torch 2.13's CPU
build (torchvision and torchaudio wheels on the index are built against other torch releases;
timm imports torchvision). Each replaces only a part the audio path of a family never runs, or,
for torchaudio, the one mel-spectrogram transform, through transformers' own registration hooks
and class attributes; pytest's monkeypatch undoes every change after the test module.

- Qwen2.5-Omni: the processor's video part (it reads only ``merge_size``) is an image processor.
- Phi-4-multimodal: the processor's image part (never called without images) is a slow one.
- Granite-Speech: ``torchaudio.transforms.MelSpectrogram`` computed with torch.stft and an HTK
  mel filter bank (torchaudio's defaults: Hann window, centred reflect padding, power 2).
- Gemma 3n: the timm vision tower (never called without images) is a tiny module registered
  for ``Gemma3nVisionConfig`` with ``AutoModel``.
"""

from __future__ import annotations

import math
import types

import pytest

__all__ = ["without_vision_libraries", "MelSpectrogram"]


class MelSpectrogram:
    """torchaudio.transforms.MelSpectrogram's defaults for the arguments Granite passes."""

    def __init__(self, sample_rate: int, n_fft: int, win_length: int, hop_length: int,
                 n_mels: int):
        import torch

        self.n_fft, self.win_length, self.hop_length = n_fft, win_length, hop_length
        self.window = torch.hann_window(win_length)
        self.fbank = _htk_mel_filters(n_fft // 2 + 1, n_mels, sample_rate)

    def to(self, device):
        """Move the window and the filter bank to ``device``."""
        self.window, self.fbank = self.window.to(device), self.fbank.to(device)
        return self

    def __call__(self, audio):
        import torch

        spec = torch.stft(audio, self.n_fft, self.hop_length, self.win_length, self.window,
                          center=True, pad_mode="reflect", return_complex=True).abs() ** 2
        return torch.matmul(spec.transpose(-1, -2), self.fbank).transpose(-1, -2)


def _htk_mel_filters(n_freqs: int, n_mels: int, sample_rate: int):
    """Triangular filters equally spaced on the HTK mel scale from 0 Hz to Nyquist, no norm."""
    import torch

    def mel(f):
        return 2595.0 * math.log10(1.0 + f / 700.0)

    freqs = torch.linspace(0, sample_rate // 2, n_freqs)
    m_pts = torch.linspace(mel(0.0), mel(sample_rate / 2), n_mels + 2)
    f_pts = 700.0 * (10 ** (m_pts / 2595.0) - 1.0)
    slopes = f_pts.unsqueeze(0) - freqs.unsqueeze(1)
    f_diff = f_pts[1:] - f_pts[:-1]
    down = -slopes[:, :-2] / f_diff[:-1]
    up = slopes[:, 2:] / f_diff[1:]
    return torch.clamp(torch.min(down, up), min=0.0)


def _tiny_vision_tower():
    import torch
    from transformers import Gemma3nVisionConfig, PreTrainedModel

    class TinyVisionTower(PreTrainedModel):
        config_class = Gemma3nVisionConfig

        def __init__(self, config):
            super().__init__(config)
            self.proj = torch.nn.Linear(3, config.hidden_size)

        def forward(self, pixel_values, **_):
            raise AssertionError("the audio path never calls the vision tower")

    return TinyVisionTower


@pytest.fixture(scope="module")
def without_vision_libraries():
    """Module-scoped: the stand-ins above, in place while the module's tests build and load."""
    import transformers
    from transformers import AutoModel, Gemma3nVisionConfig
    from transformers.models.granite_speech import feature_extraction_granite_speech
    from transformers.utils import import_utils

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(transformers.Qwen2_5OmniProcessor, "video_processor_class",
                   "Qwen2VLImageProcessor")
        mp.setattr(transformers.Phi4MultimodalProcessor, "image_processor_class",
                   "SiglipImageProcessor")
        mp.setattr(import_utils, "_torchaudio_available", True)
        mp.setattr(feature_extraction_granite_speech, "torchaudio",
                   types.SimpleNamespace(transforms=types.SimpleNamespace(
                       MelSpectrogram=MelSpectrogram)), raising=False)
        mp.setitem(AutoModel._model_mapping._extra_content, Gemma3nVisionConfig,
                   _tiny_vision_tower())
        yield
