#!/usr/bin/env python3
"""Writes Tests/HarpCodecTests/Fixtures/seanet_training.safetensors: a tiny EnCodec from
`transformers` (the independent reference for Harp's trainable SEANet), one batch through its
encoder and decoder, the training losses and the gradient of every parameter.

The model is `transformers.EncodecModel` with the configuration of `CodecTrainerTests`'s tiny codec
(4 filters, ratios [5, 4, 2], hidden 8, one LSTM layer, weight norm, causal, reflect padding),
random weights (biases and weight-norm magnitudes drawn too, so nothing is trivially 1 or 0).
The loss Harp's `CodecTrainer` uses without the quantiser (which has its own parity test):
    total = mel_distance(decoder(encoder(x)), x) + mean|decoder(encoder(x)) − x|
where mel_distance is DAC's (Slaney mel filters on |STFT|, windows 32…2048, log10 clamped at
1e-5, mean |Δ| per scale, summed) — as in tools/make_dsp_fixtures.py.

Stored: state/<name> (weight-norm parameters as weight_g/weight_v, the old naming Harp's state
dict uses), input/x [2, 1, 2400], output/embeddings, output/reconstruction, loss/mel, loss/waveform,
loss/total, grad/<name> for every parameter.

Run: /work/venv/bin/python tools/codec/make_seanet_fixtures.py
"""
import pathlib

import librosa
import numpy as np
import torch
from safetensors.torch import save_file
from transformers import EncodecConfig, EncodecModel

OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests/HarpCodecTests/Fixtures/seanet_training.safetensors"
SR = 24000


def harp_name(name):
    """transformers' parametrised weight norm → the `weight_g`/`weight_v` naming."""
    return name.replace("parametrizations.weight.original0", "weight_g").replace(
        "parametrizations.weight.original1", "weight_v")


def mel_distance(estimate, reference):
    total = 0
    for n, mels in zip([32, 64, 128, 256, 512, 1024, 2048], [5, 10, 20, 40, 80, 160, 320]):
        fb = torch.tensor(librosa.filters.mel(sr=SR, n_fft=n, n_mels=mels), dtype=torch.float32)
        window = torch.hann_window(n)

        def logmel(v):
            flat = v.reshape(-1, v.shape[-1])
            spec = torch.stft(flat, n, n // 4, n, window, center=True, pad_mode="reflect", return_complex=True).abs()
            return torch.log10(torch.clamp(fb @ spec, min=1e-5))
        total = total + (logmel(estimate) - logmel(reference)).abs().mean()
    return total


def main():
    torch.manual_seed(11)
    config = EncodecConfig(num_filters=4, hidden_size=8, upsampling_ratios=[5, 4, 2], codebook_size=16,
                           num_lstm_layers=1, target_bandwidths=[4.8, 9.6], sampling_rate=SR, audio_channels=1,
                           use_causal_conv=True, pad_mode="reflect", norm_type="weight_norm", normalize=False)
    model = EncodecModel(config).float()
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("bias"):
                p.copy_(torch.randn_like(p) * 0.1)
            elif name.endswith("original0"):
                p.mul_(torch.rand_like(p) + 0.5)
    params = {harp_name(n): p for n, p in model.named_parameters() if not n.startswith("quantizer")}

    t = torch.arange(2400) / SR
    x = torch.stack([0.5 * torch.sin(2 * np.pi * 330 * t) + 0.05 * torch.randn(2400),
                     0.3 * torch.sign(torch.sin(2 * np.pi * 110 * t)) + 0.05 * torch.randn(2400)])[:, None, :]
    embeddings = model.encoder(x)
    reconstruction = model.decoder(embeddings)[..., :x.shape[-1]]
    mel = mel_distance(reconstruction, x)
    waveform = (reconstruction - x).abs().mean()
    total = mel + waveform
    total.backward()

    tensors = {"input/x": x, "output/embeddings": embeddings.detach(), "output/reconstruction": reconstruction.detach(),
               "loss/mel": mel.detach().reshape(1), "loss/waveform": waveform.detach().reshape(1),
               "loss/total": total.detach().reshape(1)}
    for name, p in params.items():
        tensors[f"state/{name}"] = p.detach()
        tensors[f"grad/{name}"] = p.grad
    save_file({k: v.contiguous().float() for k, v in tensors.items()}, str(OUT))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(params)} parameters)")


if __name__ == "__main__":
    main()
