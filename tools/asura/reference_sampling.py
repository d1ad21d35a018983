#!/usr/bin/env python3
"""PyTorch reference for HarpAsura's generation: runs the published ASURA code (github alephic/asura,
`harp/asura/asura.py`, imported unmodified from a checkout) on the tiny configuration of
reference.py, with its weights (Tests/HarpAsuraTests/Fixtures/asura_tiny_weights.safetensors, also
copied into the `_ema` modules, which sampling uses), and writes asura_tiny_sampling.safetensors:

  f2s.K.input / f2s.K.output       frames_to_signal of phase frames (K=0: the frames of a signal,
                                   K=1: random frames with magnitudes up to 1.3)
  encode.input / encode.output     encode(samples) → latents [batch, d_token]
  run.NAME.draw.NNN.prior          the prior noise the run used, in the order Harp's streaming
                                   generator asks for it: the lookback frames (magnitude, then
                                   phase), then per frame its starting magnitude and phase frame
                                   and, with eps_ctx > 0, the context noise of magnitude and phase
  run.NAME.latent                  the latent of each frame [frames, d_token]
  run.NAME.settings                [steps, eps_ctx, frames, jumps (1 = sample_single_frame's u
                                   decoders, 0 = sample's v decoders)]
  run.NAME.output                  the audio [samples, d_signal]

Runs: `sample` (offline, sample(): steps 1 and 2, 6 tokens, beyond the model's 4-token context,
with a latent list c_encs that changes mid-way) and `stream` (play.py's loop over
sample_single_frame, 14 frames, through its window shift at length_frames, steps 1 and 2, a knob
change at frame 7; the audio is frames_to_signal of the frames in the order produced).

The reference draws its noise in bulk (all starting frames first); the recorder keeps each draw and
this script re-orders the values into the generator's per-frame order, which does not change a
single number the model sees.

Run (after reference.py):
  git --git-dir=<asura git dir> archive HEAD | tar -x -C /tmp/asura_src
  /work/venv/bin/python tools/asura/reference_sampling.py --asura-src /tmp/asura_src
"""
import argparse
import pathlib
import sys

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import reference  # noqa: E402  (the tiny config and the float32 attention shim)

OUT = reference.OUT


def load_model(asura_src):
    sys.path.insert(0, asura_src)
    import harp.asura.modules as modules
    from harp.asura.asura import ASURA
    from safetensors.torch import load_file

    modules.torch = reference.Float32Torch()
    model = ASURA(**reference.TINY_CONFIG["model"])
    weights = load_file(OUT / "asura_tiny_weights.safetensors")
    state = model.state_dict()
    for key in state:
        source = key.replace("_ema.", ".")
        state[key] = weights[source]
    model.load_state_dict(state)
    model.eval()
    return model


class PriorRecorder:
    """Keeps every value model.sample_prior returns, in order."""

    def __init__(self, model):
        self.draws = []
        prior = model.sample_prior

        def recorded(size, device=None, dtype=torch.float32):
            value = prior(size, device=device, dtype=dtype)
            self.draws.append(value.clone())
            return value
        model.sample_prior = recorded


def latents(model, frames, change_at, generator):
    a = torch.randn(1, model.d_token, generator=generator)
    b = torch.randn(1, model.d_token, generator=generator)
    return [a if i < change_at else b for i in range(frames)]


def run_sample(model, steps, eps_ctx, records, name):
    """sample(): bulk draws x_m, x_phi, prev_m, prev_phi, then per frame eps m, eps phi."""
    length_tokens = 6
    frames = length_tokens * model.frames_per_token
    padded = frames + 1
    c_list = latents(model, padded, 7, torch.Generator().manual_seed(10 + steps))
    recorder = PriorRecorder(model)
    torch.manual_seed(20 + steps)
    out = model.sample(1, length_tokens, c_encs=c_list, steps=steps, eps_ctx=eps_ctx, ema=True)
    del model.sample_prior
    x_m, x_phi, prev_m, prev_phi = recorder.draws[:4]
    eps = recorder.draws[4:]
    ordered = [prev_m, prev_phi]
    for i in range(frames):
        ordered += [x_m[:, i], x_phi[:, i]]
        if eps_ctx > 0:
            ordered += [eps[2 * i], eps[2 * i + 1]]
    # c_encs[i*len//padded] with len == padded is c_encs[i].
    write_run(records, name, ordered, torch.cat(c_list[:frames]), [steps, eps_ctx, frames, 0], out[0])


def run_stream(model, steps, eps_ctx, records, name):
    """play.py's loop over sample_single_frame, through the window shift."""
    fpt, frames_total = model.frames_per_token, 14
    c_list = latents(model, frames_total, 7, torch.Generator().manual_seed(30 + steps))
    recorder = PriorRecorder(model)
    torch.manual_seed(40 + steps)
    bins, d, d2 = model.frame_bins, model.d_signal, model.d_signal_enc
    sample_encs = torch.empty((1, model.length_tokens, model.d_token))
    x_m = model.sample_prior((1, model.length_frames, bins, d))
    x_phi = model.sample_prior((1, model.length_frames, bins, d2))
    y_m, y_phi = x_m.clone(), x_phi.clone()
    prev_m = list(model.sample_prior((1, model.decoder_lookback_frames, bins, d)).unbind(dim=1))
    prev_phi = list(model.sample_prior((1, model.decoder_lookback_frames, bins, d2)).unbind(dim=1))
    lookback_m = torch.stack(prev_m, dim=1).clone()
    lookback_phi = torch.stack(prev_phi, dim=1).clone()
    c_ctx = torch.zeros((1, fpt, model.d_token))
    ordered = [lookback_m, lookback_phi]
    produced = []
    i = 0
    for n in range(frames_total):
        ordered += [y_m[:, i].clone(), y_phi[:, i].clone()]
        before = len(recorder.draws)
        model.sample_single_frame(i, x_m, x_phi, y_m, y_phi, prev_m, prev_phi, sample_encs, c_ctx, c_list[n],
                                  steps=steps, eps_ctx=eps_ctx, ema_decoders=("m", "phi"))
        ordered += [v.clone() for v in recorder.draws[before:]]
        produced.append(y_phi[:, i].clone())
        i += 1
        if i == model.length_frames:
            i -= fpt
            sample_encs = torch.roll(sample_encs, -1, 1)
            fresh = lambda width: model.sample_prior((1, fpt, bins, width))
            x_m = torch.cat((x_m[:, fpt:], fresh(d)), dim=1)
            x_phi = torch.cat((x_phi[:, fpt:], fresh(d2)), dim=1)
            y_m = torch.cat((y_m[:, fpt:], fresh(d)), dim=1)
            y_phi = torch.cat((y_phi[:, fpt:], fresh(d2)), dim=1)
    del model.sample_prior
    out = model.frames_to_signal(torch.stack(produced, dim=1))
    write_run(records, name, ordered, torch.cat(c_list), [steps, eps_ctx, frames_total, 1], out[0])


def write_run(records, name, ordered, latent, settings, output):
    for k, value in enumerate(ordered):
        records[f"run.{name}.draw.{k:03d}.prior"] = value.reshape(-1).clone()
    records[f"run.{name}.latent"] = latent.clone()
    records[f"run.{name}.settings"] = torch.tensor(settings, dtype=torch.float32)
    records[f"run.{name}.output"] = output.clone()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--asura-src", required=True, help="a checkout of github alephic/asura")
    args = parser.parse_args()
    from safetensors.torch import save_file

    model = load_model(args.asura_src)
    records = {}
    generator = torch.Generator().manual_seed(5)
    with torch.no_grad():
        samples = model.seq_enc_length_samples + 3 * model.frame_hop
        t = torch.arange(samples, dtype=torch.float32)[None, :, None]
        x = 0.5 * torch.sin(t * torch.tensor([[0.07, 0.19], [0.11, 0.3]])[:, None, :]) \
            + 0.1 * torch.randn(2, samples, 2, generator=generator)
        _, phi = model.signal_to_frames(x)
        records["f2s.0.input"], records["f2s.0.output"] = phi, model.frames_to_signal(phi)
        theta = 2 * torch.pi * torch.rand(2, 5, model.frame_bins, 2, generator=generator)
        radius = 1.3 * torch.rand(2, 5, model.frame_bins, 2, generator=generator)
        random = torch.stack((radius * torch.cos(theta), radius * torch.sin(theta)), dim=-1).flatten(-2)
        records["f2s.1.input"], records["f2s.1.output"] = random, model.frames_to_signal(random)
        records["encode.input"], records["encode.output"] = x, model.encode(x, ema=True)
        for steps in (1, 2):
            run_sample(model, steps, 0.02, records, f"sample{steps}")
            run_stream(model, steps, 0.02 if steps == 1 else 0.0, records, f"stream{steps}")
    save_file({k: v.contiguous() for k, v in records.items()}, OUT / "asura_tiny_sampling.safetensors")
    for name in sorted(k for k in records if k.endswith("output")):
        value = records[name]
        print(f"{name} {tuple(value.shape)} rms {value.square().mean().sqrt():.4f}")


if __name__ == "__main__":
    main()
