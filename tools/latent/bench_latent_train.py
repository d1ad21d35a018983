#!/usr/bin/env python3
"""Reference side of `harp bench latent-train`: the same consistency-training step as Harp
(tools/latent/consistency_training.py on the music2latent package's modules) from the same
weights (--folder: config.json + model.safetensors written by Harp) on the same batch
(--batch: .npy [batch, samples]): spectrogram, encoder, decoder, student and no-grad teacher,
pseudo-Huber loss, backward, Adam step. One warm-up step, then the median of --steps.

Prints one JSON object: step_seconds, steps, threads, peak_rss_bytes.
Needs torch, numpy, safetensors and music2latent (`pip install --no-deps music2latent`).
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time

import numpy as np
import torch
from safetensors.torch import load_file

sys.path.insert(0, os.path.dirname(__file__))
import consistency_training as ct  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--folder", required=True)
    ap.add_argument("--batch", required=True)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    with open(os.path.join(a.folder, "config.json")) as fh:
        cfg = json.load(fh)
    ct.patch({k: v for k, v in cfg.items()})
    models, _, audio, _ = ct.modules()
    model = models.UNet()
    model.load_state_dict(load_file(os.path.join(a.folder, "model.safetensors")), strict=True)
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    wave = torch.from_numpy(np.load(a.batch).astype(np.float32))

    def step(index):
        x0 = audio.to_representation_encoder(wave)
        noise = torch.randn_like(x0)
        u = torch.rand(x0.shape[0])
        loss, _, _ = ct.consistency_loss(model, x0, noise, u, ct.time_step(index, 10_000), cfg)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.item()

    step(0)
    times = []
    for index in range(1, a.steps + 1):
        start = time.perf_counter()
        step(index)
        times.append(time.perf_counter() - start)
    print(json.dumps({"step_seconds": statistics.median(times), "steps": a.steps, "threads": a.threads,
                      "torch": torch.__version__,
                      "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))


if __name__ == "__main__":
    main()
