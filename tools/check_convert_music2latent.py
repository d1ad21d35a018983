#!/usr/bin/env python3
"""Checks tools/convert_music2latent.py end to end without the (unreachable) published weights.

Builds the package's UNet at the published size with random weights (seeded, biases and the
zero-initialised output convs re-randomised so every path is exercised), saves it as the package
saves checkpoints ({'gen_state_dict': ...}, plus a 'module.'-prefixed copy as DDP would), converts
both, and writes the package's own latents and one-step decode for a 2 s sweep, so `harp latents`
can be compared with it:

    python tools/check_convert_music2latent.py --out /tmp/m2l_check
    harp latents encode /tmp/m2l_check/sweep.wav -o /tmp/m2l_check/harp.npy --model /tmp/m2l_check/model
    python tools/check_convert_music2latent.py --out /tmp/m2l_check --compare /tmp/m2l_check/harp.npy
"""
import argparse
import os
import subprocess
import sys

import numpy as np
import torch

torch.version.cuda = None   # the venv's torchaudio refuses mismatched CUDA builds; CPU only here
torch.set_num_threads(2)


def build(out):
    import music2latent.models as mm
    import music2latent.hparams_inference as mhi
    import soundfile as sf
    torch.manual_seed(0)
    model = mm.UNet().eval()
    gen = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() >= 2:
                p.copy_(torch.randn(p.shape, generator=gen) / np.sqrt(p[0].numel()))
            elif name.endswith("scale"):
                p.copy_(1 + 0.1 * torch.randn(p.shape, generator=gen))
            else:
                p.copy_((1.0 if name.endswith("weight") and "norm" in name else 0.0) + 0.1 * torch.randn(p.shape, generator=gen))
    os.makedirs(out, exist_ok=True)
    state = model.state_dict()
    torch.save({"gen_state_dict": state, "iteration": 0}, os.path.join(out, "checkpoint.pt"))
    torch.save({"gen_state_dict": {"module." + k: v for k, v in state.items()}}, os.path.join(out, "checkpoint_ddp.pt"))
    here = os.path.dirname(os.path.abspath(__file__))
    for name, folder in (("checkpoint.pt", "model"), ("checkpoint_ddp.pt", "model_ddp")):
        subprocess.run([sys.executable, os.path.join(here, "convert_music2latent.py"), os.path.join(out, name),
                        "-o", os.path.join(out, folder)], check=True)
    from safetensors.torch import load_file
    for folder in ("model", "model_ddp"):
        loaded = load_file(os.path.join(out, folder, "model.safetensors"))
        assert loaded.keys() == state.keys(), folder
        assert all(torch.equal(loaded[k], state[k].float()) for k in state), folder
    sr = 44100
    t = np.arange(2 * sr) / sr
    x = (0.5 * np.sin(2 * np.pi * 50 * 2 / np.log(160) * (np.exp(t / 2 * np.log(160)) - 1))).astype(np.float32)
    sf.write(os.path.join(out, "sweep.wav"), x, sr, subtype="FLOAT")
    import music2latent.inference as mi

    class Holder:
        gen = model
    latent = mi.encode_audio_inference(torch.from_numpy(x)[None], Holder(), sr * 60, 1, device="cpu")
    np.save(os.path.join(out, "reference_latents.npy"), latent.numpy())
    print(f"{out}: converted twice (plain and DDP prefixes), identical to the state dict; "
          f"reference latents {tuple(latent.shape)} (sigma_rescale {mhi.sigma_rescale})")


def compare(out, harp_npy):
    ref = np.load(os.path.join(out, "reference_latents.npy"))
    got = np.load(harp_npy)
    err = np.abs(ref - got).max()
    print(f"harp vs music2latent latents: shape {got.shape} vs {ref.shape}, max |diff| {err:.3g}, "
          f"max |ref| {np.abs(ref).max():.3g}, relative {err / max(1, np.abs(ref).max()):.3g}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--compare", help="latents .npy written by harp latents encode")
    args = parser.parse_args()
    if args.compare:
        compare(args.out, args.compare)
    else:
        build(args.out)
