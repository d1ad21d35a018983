#!/usr/bin/env python3
"""The PyTorch side of `harp bench codec-train`: the same codec training step as Harp's
`CodecTrainer`, on the same initial weights and the same batch, timed.

The codec is `transformers.EncodecModel` loaded from the folder Harp exported (weight norm, so
the parameters are the same g and v); the quantiser is re-created as in
tools/codec/make_quantizer_fixtures.py (EMA codebooks, straight-through, commitment averaged over
stages) with a bitrate drawn per step; the losses are DAC's mel distance, the waveform L1 and the
commitment (weights 1, 1, 0.05); with --adversarial, one STFT discriminator per step in turn
(tools/codec/make_discriminator_fixtures.py's re-creation of EnCodec's), hinge losses and relative
feature matching (weights 1/15, 2/15). Adam with betas (0.5, 0.9), gradient norm clipped at 1.

Prints one JSON object: median seconds per step after one warm-up step, and the peak RSS.
"""
import argparse
import json
import pathlib
import resource
import statistics
import sys
import time

import librosa
import numpy as np
import torch
import torch.nn.functional as F
from transformers import EncodecModel

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import make_discriminator_fixtures as disc  # noqa: E402


class MelDistance:
    def __init__(self, rate):
        self.scales = []
        for n, mels in zip([32, 64, 128, 256, 512, 1024, 2048], [5, 10, 20, 40, 80, 160, 320]):
            fb = torch.tensor(librosa.filters.mel(sr=rate, n_fft=n, n_mels=mels), dtype=torch.float32)
            self.scales.append((n, fb, torch.hann_window(n)))

    def __call__(self, estimate, reference):
        total = 0
        for n, fb, window in self.scales:
            def logmel(v):
                spec = torch.stft(v.reshape(-1, v.shape[-1]), n, n // 4, n, window, center=True, pad_mode="reflect",
                                  return_complex=True).abs()
                return torch.log10(torch.clamp(fb @ spec, min=1e-5))
            total = total + (logmel(estimate) - logmel(reference)).abs().mean()
        return total


def quantize(x, books, stages, decay=0.99, eps=1e-5):
    b, d, t = x.shape
    residual, quantized, losses = x, torch.zeros_like(x), []
    for book in books[:stages]:
        flat = residual.detach().permute(0, 2, 1).reshape(-1, d)
        embed = book["embed"]
        dist = flat.pow(2).sum(1, keepdim=True) - 2 * flat @ embed.t() + embed.pow(2).sum(1)[None]
        index = dist.argmin(dim=-1)
        chosen = F.embedding(index, embed).reshape(b, t, d).permute(0, 2, 1)
        with torch.no_grad():
            onehot = F.one_hot(index, embed.shape[0]).float()
            book["cluster_size"].mul_(decay).add_(onehot.sum(0), alpha=1 - decay)
            book["embed_avg"].mul_(decay).add_((flat.t() @ onehot).t(), alpha=1 - decay)
            n = book["cluster_size"].sum()
            smoothed = (book["cluster_size"] + eps) / (n + embed.shape[0] * eps) * n
            book["embed"] = book["embed_avg"] / smoothed[:, None]
        losses.append(F.mse_loss(chosen.detach(), residual))
        straight = residual + (chosen - residual).detach()
        quantized = quantized + straight
        residual = residual - straight
    return quantized, torch.stack(losses).mean()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--folder", required=True)
    parser.add_argument("--batch", required=True, help=".npy [batch, 1, samples]")
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--adversarial", action="store_true")
    parser.add_argument("--disc-filters", type=int, default=16)
    parser.add_argument("--fft-sizes", default="1024,2048,512")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    model = EncodecModel.from_pretrained(args.folder).float().train()
    config = model.config
    books = [{"embed": layer.codebook.embed.clone(), "cluster_size": torch.ones(config.codebook_size),
              "embed_avg": layer.codebook.embed.clone()} for layer in model.quantizer.layers]
    frame_rate = int(np.ceil(config.sampling_rate / np.prod(config.upsampling_ratios)))
    counts = [max(1, int(b * 1000 // (frame_rate * np.log2(config.codebook_size)))) for b in sorted(config.target_bandwidths)]
    params = [p for n, p in model.named_parameters() if not n.startswith("quantizer")]
    optimizer = torch.optim.Adam(params, lr=5e-4, betas=(0.5, 0.9))
    disc.FILTERS, disc.FFTS = args.disc_filters, [int(n) for n in args.fft_sizes.split(",")]
    critics = disc.MultiScale()
    d_optimizer = torch.optim.Adam(critics.parameters(), lr=3e-4, betas=(0.5, 0.9))
    mel = MelDistance(config.sampling_rate)
    x = torch.tensor(np.load(args.batch))

    def step(index):
        stages = counts[index % len(counts)]
        embeddings = model.encoder(x)
        quantized, commitment = quantize(embeddings, books, stages)
        y = model.decoder(quantized)[..., :x.shape[-1]]
        total = mel(y, x) + (y - x).abs().mean() + 0.05 * commitment
        if args.adversarial:
            critic = critics.discriminators[index % len(critics.discriminators)]
            real, fake = critic(x), critic(y.detach())
            d_loss = disc.hinge_d([real[0]], [fake[0]])
            d_optimizer.zero_grad()
            d_loss.backward()
            d_optimizer.step()
            judged = critic(y)
            total = total + disc.hinge_g([judged[0]]) / 15 + 2 / 15 * disc.feature_matching(
                [[f.detach() for f in real[1]]], [judged[1]])
        optimizer.zero_grad()
        total.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        return total.item()

    step(0)
    times = []
    for index in range(1, args.steps + 1):
        start = time.perf_counter()
        step(index)
        times.append(time.perf_counter() - start)
    print(json.dumps({"step_seconds": statistics.median(times), "steps": args.steps, "threads": args.threads,
                      "adversarial": args.adversarial, "torch": torch.__version__,
                      "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))


if __name__ == "__main__":
    main()
