#!/usr/bin/env python3
"""Convert a music2latent checkpoint (PyTorch pickle) into a folder Harp loads.

    python tools/convert_music2latent.py music2latent.pt -o models/music2latent
    harp latents encode song.wav -o song.npy --model models/music2latent

The published checkpoint (huggingface.co/SonyCSLParis/music2latent, CC BY-NC 4.0; the package
downloads it to music2latent/models/music2latent.pt) is a dict whose 'gen_state_dict' holds the
UNet's weights. The folder gets
  model.safetensors  the state dict, float32, names unchanged (prefixes 'module.' from DDP and
                     '_orig_mod.' from torch.compile removed)
  config.json        the architecture's hparams: the published model's (music2latent/hparams.py
                     and hparams_inference.sigma_rescale), with --config JSON overriding any of
                     them for a model trained with other settings.
Needs torch and safetensors only (not the music2latent package). The pickle is loaded with
weights_only=True first; --trust-pickle allows a full unpickle for checkpoints that need it
(only for files you trust: unpickling runs code).
"""
import argparse
import json
import os
import sys

import torch
from safetensors.torch import save_file

# The published model's hparams (music2latent 0.1.8, hparams.py / hparams_inference.py).
PUBLISHED = {
    "hop": 512, "data_channels": 2, "base_channels": 64,
    "multipliers_list": [1, 2, 4, 4, 4], "layers_list": [2, 2, 2, 2, 2], "attention_list": [0, 0, 1, 1, 1],
    "layers_list_encoder": [1, 1, 1, 1, 1], "attention_list_encoder": [0, 0, 1, 1, 1],
    "freq_downsample_list": [1, 0, 0, 0], "bottleneck_base_channels": 512, "num_bottleneck_layers": 4,
    "heads": 4, "cond_channels": 256, "bottleneck_channels": 64, "normalization": True,
    "frequency_scaling": True, "pre_normalize_2d_to_1d": True, "pre_normalize_downsampling_encoder": True,
    "use_fourier": False, "init_as_zero": True, "sigma_min": 0.002, "sigma_max": 80.0, "sigma_data": 0.5,
    "rho": 7.0, "alpha_rescale": 0.65, "beta_rescale": 0.34, "sample_rate": 44100, "sigma_rescale": 0.06,
}


def load_state_dict(path, trust_pickle):
    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # noqa: BLE001 — report why and how to proceed
        if not trust_pickle:
            sys.exit(f"{path}: not loadable with weights_only=True ({type(error).__name__}); "
                     "rerun with --trust-pickle if you trust the file")
        checkpoint = torch.load(path, map_location="cpu", weights_only=False)
    if isinstance(checkpoint, dict) and "gen_state_dict" in checkpoint:
        state = checkpoint["gen_state_dict"]
    elif isinstance(checkpoint, dict) and all(isinstance(v, torch.Tensor) for v in checkpoint.values()):
        state = checkpoint  # a bare state dict
    else:
        keys = list(checkpoint)[:8] if isinstance(checkpoint, dict) else type(checkpoint).__name__
        sys.exit(f"{path}: no 'gen_state_dict' in the checkpoint (found {keys})")
    tensors = {}
    for name, value in state.items():
        if not isinstance(value, torch.Tensor):
            continue
        for prefix in ("module.", "_orig_mod."):
            while name.startswith(prefix):
                name = name[len(prefix):]
        tensors[name] = value.detach().to(torch.float32).contiguous()
    if "encoder.conv_inp.weight" not in tensors or "decoder.conv_inp.weight" not in tensors:
        sys.exit(f"{path}: not a music2latent UNet state dict (no encoder.conv_inp / decoder.conv_inp)")
    return tensors


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoint", help="music2latent .pt checkpoint")
    parser.add_argument("-o", "--output", required=True, help="folder to write (created)")
    parser.add_argument("--config", help="JSON file of hparams overriding the published ones")
    parser.add_argument("--trust-pickle", action="store_true", help="allow a full unpickle (runs code)")
    args = parser.parse_args()

    tensors = load_state_dict(args.checkpoint, args.trust_pickle)
    config = dict(PUBLISHED)
    if args.config:
        with open(args.config) as fh:
            config.update(json.load(fh))
    # The bottleneck width is in the weights: refuse a config that contradicts them.
    latent = tensors["decoder.conv_inp.weight"].shape[1]
    if latent != config["bottleneck_channels"]:
        sys.exit(f"the weights have {latent} latent channels but the config says {config['bottleneck_channels']}; "
                 "pass --config with this model's hparams")
    os.makedirs(args.output, exist_ok=True)
    weights = os.path.join(args.output, "model.safetensors")
    save_file(tensors, weights + ".tmp", metadata={"format": "pt", "source": os.path.basename(args.checkpoint)})
    os.replace(weights + ".tmp", weights)
    with open(os.path.join(args.output, "config.json.tmp"), "w") as fh:
        json.dump(config, fh, indent=2)
    os.replace(os.path.join(args.output, "config.json.tmp"), os.path.join(args.output, "config.json"))
    count = sum(t.numel() for t in tensors.values())
    print(f"{args.output}: {len(tensors)} tensors, {count / 1e6:.1f} M parameters, {latent} latent channels")


if __name__ == "__main__":
    main()
