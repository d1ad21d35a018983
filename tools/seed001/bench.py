"""Time the seed-001 fit step (forward, loss, backward, Adam step) at the
seed's default sizes (n_samples 2**17, 16 x 16 x 2, 64 oscillators, ...).

    /work/venv/bin/python tools/seed001/bench.py --clip /work/shared/audio/perc_bell.flac

Prints one JSON object: seconds_per_iteration (mean over --iterations timed
steps after 1 untimed warm-up step), per-iteration times, peak RSS in bytes
(ru_maxrss * 1024, whole process, Linux), the loss of every step and after the
iterations, torch version and thread count.

`harp bench instrument` passes --init (Harp's initial parameters), --target
(Harp's target segment, .npy) and --harp-noise (the seed of Harp's attack-noise
stream): the two fits then start from the same instrument, fit the same samples
and draw the same noise, so their losses differ only by float rounding.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference as R  # noqa: E402


def harp_uniform(seed: int, start: int, shape, low: float = -1.0, high: float = 1.0) -> torch.Tensor:
    """Values `start ..< start + count` of Harp's RandomGenerator (HarpTensor/Random): SplitMix64's
    finaliser over seed + (counter + 1) * golden ratio, the top 24 bits scaled to [0, 1), then
    low + (high - low) * u in float32 -- bit for bit what `Tensor.uniform` draws."""
    count = int(np.prod(shape))
    counter = np.arange(start, start + count, dtype=np.uint64)
    with np.errstate(over='ignore'):
        z = np.uint64(seed) + (counter + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    unit = (z >> np.uint64(40)).astype(np.float32) * np.float32(1.0 / 16777216.0)
    values = np.float32(low) + np.float32(high - low) * unit
    return torch.from_numpy(values.reshape(shape))


class HarpNoise:
    """One fresh draw per forward pass, in Harp's order."""

    def __init__(self, seed: int, shape):
        self.seed, self.shape, self.position = seed, tuple(shape), 0

    def draw(self) -> torch.Tensor:
        noise = harp_uniform(self.seed, self.position, self.shape)
        self.position += noise.numel()
        return noise


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument('--iterations', type=int, default=5)
    p.add_argument('--clip', default='/work/shared/audio/perc_bell.flac')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--offset', type=float, default=0.0)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--json-out', default=None)
    p.add_argument('--init', default=None,
                   help='start from these parameters (safetensors state dict with the seed\'s names, '
                        'e.g. written by `harp bench instrument`)')
    p.add_argument('--target', default=None,
                   help='fit these samples (.npy, float32 [n_samples], e.g. written by `harp bench instrument`) '
                        'instead of loading --clip')
    p.add_argument('--harp-noise', type=int, default=None, metavar='SEED',
                   help="draw the attack noise from Harp's generator with this seed instead of torch's")
    a = p.parse_args(argv)

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    if a.target:
        target = torch.from_numpy(np.load(a.target).astype(np.float32)).reshape(1, 1, -1)
    else:
        target = R.load_target(a.clip, R.N_SAMPLES, a.offset)
    model = R.OverfitResonanceStack()  # seed defaults, one layer
    if a.init:
        from safetensors.torch import load_file
        state = load_file(a.init)
        own = model.state_dict()
        model.load_state_dict({k: v.reshape(own[k].shape) for k, v in state.items()}, strict=True)
    optimizer = torch.optim.Adam(model.parameters(), lr=R.LEARNING_RATE)
    noise = None
    if a.harp_noise is not None:
        noise = HarpNoise(a.harp_noise, (model.control_plane_dim, R.ATTACK_FULL_SIZE))

    def forward():
        return model.forward(attack_noise=noise.draw() if noise else None)

    def step():
        optimizer.zero_grad()
        recon, fcs, cp = forward()
        loss = R.compute_loss(target, recon, cp)
        loss.backward()
        optimizer.step()
        return loss.item()

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    t0 = time.perf_counter()
    first_loss = step()  # warm-up
    warmup = time.perf_counter() - t0
    times, loss, losses = [], first_loss, [first_loss]
    for _ in range(a.iterations):
        t0 = time.perf_counter()
        loss = step()
        times.append(time.perf_counter() - t0)
        losses.append(loss)
    with torch.no_grad():
        recon, _, cp = forward()
        loss_after = R.compute_loss(target, recon, cp).item()

    out = dict(
        seconds_per_iteration=sum(times) / len(times) if times else None,
        iteration_seconds=times,
        warmup_seconds=warmup,
        peak_rss_bytes=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        rss_before_first_step_bytes=rss_before,
        loss_first=first_loss,
        loss_last_step=loss,
        loss_after=loss_after,
        step_losses=losses,
        noise='harp seed %d' % a.harp_noise if a.harp_noise is not None else 'torch seed',
        target=os.path.basename(a.target) if a.target else 'loaded from the clip',
        iterations=a.iterations,
        torch_version=torch.__version__,
        torch_threads=torch.get_num_threads(),
        clip=os.path.basename(a.clip),
        seed=a.seed,
        initial_parameters=os.path.basename(a.init) if a.init else 'torch seed',

        machine=platform.machine(),
        python=platform.python_version(),
    )
    s = json.dumps(out, indent=2)
    print(s)
    if a.json_out:
        with open(a.json_out, 'w') as fh:
            fh.write(s + '\n')


if __name__ == '__main__':
    main()
