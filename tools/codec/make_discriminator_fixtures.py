#!/usr/bin/env python3
"""Writes Tests/HarpCodecTests/Fixtures/discriminator.safetensors: EnCodec's multi-scale STFT
discriminator and the adversarial losses at a tiny size, in PyTorch, for HarpCodec's parity test.

The discriminator is re-created here from facebookresearch/encodec `encodec/msstftd.py`
(DiscriminatorSTFT: torchaudio's Spectrogram(normalized=True, center=False, power=None) is
torch.stft divided by the window's L2 norm, since torchaudio does not import beside torch here),
with torch.nn.utils.weight_norm convolutions under EnCodec's names (`discriminators.{k}.convs.{i}.conv.weight_g`).
Weights are seeded random; g is perturbed so the weight norm's gradient is tested.

Stored: state/<name> (the state dict), input/real, input/generated [2, 1, 1200],
output/{k}/logits, output/{k}/feature{i} for the real input, loss/{hinge,ls}_{discriminator,generator},
loss/feature_matching, and gradients: grad/generated (of hinge G + feature matching w.r.t. the
generated audio) and grad/state/<name> (of the hinge discriminator loss w.r.t. every parameter).

Run: /work/venv/bin/python tools/codec/make_discriminator_fixtures.py
"""
import pathlib

import torch
from torch import nn
from safetensors.torch import save_file

OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests/HarpCodecTests/Fixtures/discriminator.safetensors"
FILTERS, FFTS = 4, [64, 128, 32]


class NormConv2d(nn.Module):
    def __init__(self, cin, cout, kernel, stride=(1, 1), dilation=(1, 1)):
        super().__init__()
        padding = ((kernel[0] - 1) * dilation[0] // 2, (kernel[1] - 1) * dilation[1] // 2)
        self.conv = torch.nn.utils.weight_norm(nn.Conv2d(cin, cout, kernel, stride=stride, dilation=dilation,
                                                         padding=padding))

    def forward(self, x):
        return self.conv(x)


class DiscriminatorSTFT(nn.Module):
    def __init__(self, filters, n_fft, hop, kernel=(3, 9), dilations=(1, 2, 4)):
        super().__init__()
        self.n_fft, self.hop = n_fft, hop
        self.convs = nn.ModuleList([NormConv2d(2, filters, kernel)])
        for d in dilations:
            self.convs.append(NormConv2d(filters, filters, kernel, stride=(1, 2), dilation=(d, 1)))
        self.convs.append(NormConv2d(filters, filters, (kernel[0], kernel[0])))
        self.conv_post = NormConv2d(filters, 1, (kernel[0], kernel[0]))

    def forward(self, x):
        window = torch.hann_window(self.n_fft)
        b, c, t = x.shape
        z = torch.stft(x.reshape(b * c, t), self.n_fft, self.hop, self.n_fft, window, center=False,
                       return_complex=True) / window.pow(2).sum().sqrt()
        z = z.reshape(b, c, *z.shape[1:])
        z = torch.cat([z.real, z.imag], dim=1).transpose(2, 3)   # b c w t -> b c t w
        features = []
        for conv in self.convs:
            z = nn.functional.leaky_relu(conv(z), 0.2)
            features.append(z)
        return self.conv_post(z), features


class MultiScale(nn.Module):
    def __init__(self):
        super().__init__()
        self.discriminators = nn.ModuleList([DiscriminatorSTFT(FILTERS, n, n // 4) for n in FFTS])

    def forward(self, x):
        return [d(x) for d in self.discriminators]


def hinge_d(real, fake):
    return sum(torch.relu(1 - r).mean() + torch.relu(1 + f).mean() for r, f in zip(real, fake)) / len(real)


def hinge_g(fake):
    return sum(torch.relu(1 - f).mean() for f in fake) / len(fake)


def ls_d(real, fake):
    return sum((1 - r).pow(2).mean() + f.pow(2).mean() for r, f in zip(real, fake)) / len(real)


def ls_g(fake):
    return sum((1 - f).pow(2).mean() for f in fake) / len(fake)


def feature_matching(real, fake):
    terms = [(f - r.detach()).abs().mean() / (r.detach().abs().mean() + 1e-8)
             for rs, fs in zip(real, fake) for r, f in zip(rs, fs)]
    return sum(terms) / len(terms)


def main():
    torch.manual_seed(0)
    model = MultiScale()
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("weight_g"):
                p.mul_(torch.exp(0.2 * torch.randn_like(p)))
            elif name.endswith("bias"):
                p.copy_(0.1 * torch.randn_like(p))
    t = torch.arange(1200) / 8000.0
    real = torch.stack([0.5 * torch.sin(2 * torch.pi * 440 * t), 0.3 * torch.sin(2 * torch.pi * 97 * t)])[:, None]
    real = real + 0.05 * torch.randn_like(real)
    generated = (0.8 * real + 0.1 * torch.randn_like(real)).requires_grad_(True)

    tensors = {f"state/{k}": v.detach().clone() for k, v in model.state_dict().items()}
    tensors["input/real"], tensors["input/generated"] = real, generated.detach().clone()
    real_out = model(real)
    for k, (logits, features) in enumerate(real_out):
        tensors[f"output/{k}/logits"] = logits.detach()
        for i, f in enumerate(features):
            tensors[f"output/{k}/feature{i}"] = f.detach()

    fake_out = model(generated)
    real_logits, real_features = [o[0] for o in real_out], [o[1] for o in real_out]
    fake_logits, fake_features = [o[0] for o in fake_out], [o[1] for o in fake_out]
    generator_objective = hinge_g(fake_logits) + feature_matching(real_features, fake_features)
    tensors["loss/hinge_generator"] = hinge_g(fake_logits).detach().reshape(1)
    tensors["loss/ls_generator"] = ls_g(fake_logits).detach().reshape(1)
    tensors["loss/feature_matching"] = feature_matching(real_features, fake_features).detach().reshape(1)
    tensors["grad/generated"] = torch.autograd.grad(generator_objective, generated, retain_graph=True)[0]

    detached_logits = [o[0] for o in model(generated.detach())]
    d_loss = hinge_d(real_logits, detached_logits)
    tensors["loss/hinge_discriminator"] = d_loss.detach().reshape(1)
    tensors["loss/ls_discriminator"] = ls_d(real_logits, detached_logits).detach().reshape(1)
    model.zero_grad()
    d_loss.backward()
    for name, p in model.named_parameters():
        tensors[f"grad/state/{name}"] = p.grad.detach().clone()
    save_file({k: v.contiguous().float() for k, v in tensors.items()}, str(OUT),
              metadata={"format": "harp-discriminator-fixture", "torch": torch.__version__})
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(tensors)} tensors)")


if __name__ == "__main__":
    main()
