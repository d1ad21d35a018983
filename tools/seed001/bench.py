"""Time the seed-001 fit step (forward, loss, backward, Adam step) at the
seed's default sizes (n_samples 2**17, 16 x 16 x 2, 64 oscillators, ...).

    /work/venv/bin/python tools/seed001/bench.py --clip /work/shared/audio/perc_bell.flac

Prints one JSON object: seconds_per_iteration (mean over --iterations timed
steps after 1 untimed warm-up step), per-iteration times, peak RSS in bytes
(ru_maxrss * 1024, whole process, Linux), the loss after the iterations,
torch version and thread count.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference as R  # noqa: E402


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
    a = p.parse_args(argv)

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    target = R.load_target(a.clip, R.N_SAMPLES, a.offset)
    model = R.OverfitResonanceStack()  # seed defaults, one layer
    if a.init:
        from safetensors.torch import load_file
        state = load_file(a.init)
        own = model.state_dict()
        model.load_state_dict({k: v.reshape(own[k].shape) for k, v in state.items()}, strict=True)
    optimizer = torch.optim.Adam(model.parameters(), lr=R.LEARNING_RATE)

    def step():
        optimizer.zero_grad()
        recon, fcs, cp = model.forward()
        loss = R.compute_loss(target, recon, cp)
        loss.backward()
        optimizer.step()
        return loss.item()

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    t0 = time.perf_counter()
    first_loss = step()  # warm-up
    warmup = time.perf_counter() - t0
    times, loss = [], first_loss
    for _ in range(a.iterations):
        t0 = time.perf_counter()
        loss = step()
        times.append(time.perf_counter() - t0)
    with torch.no_grad():
        recon, _, cp = model.forward()
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
