#!/usr/bin/env python3
"""Fixture for HarpLatentTests' training-step parity: one Music2Latent consistency-training step
(tools/latent/consistency_training.py, on the music2latent package's modules) on a tiny random
configuration, with the loss, both branches and the gradient of every parameter.

Writes DIR/config.json, DIR/model.safetensors (the weights before the step, the package's names)
and DIR/step.safetensors (clean spectrogram, noise, uniform draws, dt, loss, student, teacher,
grad.<name>). Needs torch, safetensors and music2latent (`pip install --no-deps music2latent`).

    python tools/latent/make_training_fixture.py -o Tests/HarpLatentTests/Fixtures/training
"""
import argparse
import json
import math
import os
import sys

import torch
from safetensors.torch import save_file

sys.path.insert(0, os.path.dirname(__file__))
import consistency_training as ct  # noqa: E402

TINY = dict(hop=32, base_channels=8, multipliers_list=[1, 1, 2, 2, 2], layers_list=[1, 1, 1, 1, 1],
            attention_list=[0, 0, 0, 1, 1], layers_list_encoder=[1, 1, 1, 1, 1],
            attention_list_encoder=[0, 0, 0, 0, 1], freq_downsample_list=[1, 0, 0, 0],
            bottleneck_base_channels=16, num_bottleneck_layers=1, heads=2, cond_channels=16,
            bottleneck_channels=8)


def randomize(model, gen):
    """Every parameter random (the package zero-initialises many, whose gradients would then be
    trivially zero); residual branches scaled down so the maps stay O(1)."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() >= 2:
                fan_in = p[0].numel()
                p.copy_((torch.rand(p.shape, generator=gen) * 2 - 1) / math.sqrt(fan_in))
            elif name.endswith("norm1.weight") or name.endswith("norm2.weight") or ".norm" in name and name.endswith("weight"):
                p.copy_(1 + 0.1 * torch.randn(p.shape, generator=gen))
            else:
                p.copy_(0.1 * torch.randn(p.shape, generator=gen))
            if ".conv2." in name:
                p.mul_(0.3)
        for name, p in model.named_parameters():
            if name.endswith("gain.scale"):
                p.copy_(1 + 0.1 * torch.randn(p.shape, generator=gen))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-o", "--out", required=True)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    torch.set_num_threads(2)
    gen = torch.Generator().manual_seed(a.seed)
    previous = ct.patch(TINY)
    try:
        models, _, audio, _ = ct.modules()
        cfg = ct.config_of(TINY)
        model = models.UNet()
        randomize(model, gen)
        hop, frames, batch = cfg["hop"], 16, 2
        n = (frames + 3) * hop
        t = torch.arange(n, dtype=torch.float32) / 44100
        wave = torch.stack([0.5 * torch.sin(2 * math.pi * 440 * t) + 0.1 * torch.randn(n, generator=gen),
                            0.3 * torch.sin(2 * math.pi * 1800 * t * (1 + t))])
        x0 = audio.to_representation_encoder(wave)                      # (2, 2, 64, frames)
        assert x0.shape == (batch, 2, 2 * hop, frames), x0.shape
        noise = torch.randn(x0.shape, generator=gen)
        u = torch.tensor([0.02, 0.6], dtype=torch.float32)
        dt = ct.time_step(300, 1000)
        loss, student, teacher = ct.consistency_loss(model, x0, noise, u, dt, cfg)
        model.zero_grad()
        loss.backward()
        tensors = dict(clean=x0, noise=noise, uniform=u, time_step=torch.tensor([dt], dtype=torch.float32),
                       loss=loss.detach().reshape(1), student=student.detach(), teacher=teacher.detach())
        for name, p in model.named_parameters():
            tensors["grad." + name] = p.grad if p.grad is not None else torch.zeros_like(p)
        os.makedirs(a.out, exist_ok=True)
        with torch.no_grad():
            # the weights before the step (backward does not change them)
            save_file({k: v.contiguous() for k, v in model.state_dict().items()},
                      os.path.join(a.out, "model.safetensors"), metadata={"format": "pt"})
        save_file({k: v.contiguous() for k, v in tensors.items()}, os.path.join(a.out, "step.safetensors"))
        with open(os.path.join(a.out, "config.json"), "w") as fh:
            json.dump(cfg, fh, indent=2)
        nonzero = sum(int(p.grad is not None and p.grad.abs().max() > 0) for p in model.parameters())
        print(f"loss {loss.item():.6g}  dt {dt:.4g}  {sum(p.numel() for p in model.parameters())} parameters, "
              f"{nonzero}/{len(list(model.parameters()))} with non-zero gradients")
    finally:
        ct.patch(previous)


if __name__ == "__main__":
    main()
