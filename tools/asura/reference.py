#!/usr/bin/env python3
"""PyTorch reference for HarpAsura: runs the published ASURA model (github alephic/asura,
`harp/asura/asura.py` + `modules.py`, imported unmodified from a checkout) on a tiny configuration
and writes the fixtures of the Swift parity tests into Tests/HarpAsuraTests/Fixtures:

  asura_tiny.json              the tiny configuration (shaped like configs/asura/asura.json)
  asura_tiny_weights.safetensors   every trained parameter (PyTorch's names; the `_ema` copies,
                               which start equal to them, are left out)
  asura_tiny_trace.safetensors
      input                    the batch `x` [batch, example_length_samples, d_signal]
      draw.NNN.<kind>          every random draw of one training forward, in the order drawn:
                               kind = prior | eps_ctx_global | eps_ctx_frame | t | s | randint |
                               multinomial (integers stored as float32)
      frames.K.m / frames.K.phi    the K-th call of signal_to_frames
      call.<module>.K.input / .aux / .output   the K-th call of each sub-network
      loss.<name>              every loss term of the forward
      grad.<name>              d loss_all / d parameter, for every trained parameter

Faithfulness: the model code is the published code. Two things are changed around it, both to make
a float32 CPU run comparable: attention runs in float32 (the code casts q, k, v to bfloat16 for
flash attention; here `torch.bfloat16` is mapped to float32 inside `modules`), and every parameter
is re-drawn at random (the code zero-initialises every output projection, which would make most
outputs and gradients exactly zero and the test blind).

Run:
  git --git-dir=<asura git dir> archive HEAD | tar -x -C /tmp/asura_src
  /work/venv/bin/python tools/asura/reference.py --asura-src /tmp/asura_src
"""
import argparse
import json
import math
import pathlib
import sys
import types

import torch

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests/HarpAsuraTests/Fixtures"

TINY_CONFIG = {
    "model": {
        "token_encoder": {
            "d_conv_stages": [8, 16],
            "conv_layers_per_stage": 1,
            "conv_k_stages": [2, 4],
            "ff_mult": 2,
            "act_fn": "swiglu"
        },
        "decoder_m": {
            "d_conv_stages": [8, 16],
            "d_bottleneck": 16,
            "conv_layers_per_stage": 2,
            "conv_k_stages": [2, 4],
            "ff_mult": 2,
            "act_fn": "swiglu"
        },
        "decoder_phi": {
            "d_conv_stages": [8, 16],
            "d_bottleneck": 16,
            "conv_layers_per_stage": 2,
            "conv_k_stages": [2, 4],
            "ff_mult": 2,
            "act_fn": "swiglu"
        },
        "seq_encoder": {
            "num_layers": 2,
            "d_model": 32,
            "attn_d_head": 8,
            "attn_query_grouping": 2,
            "ff_mult": 2,
            "act_fn": "swiglu"
        },
        "seq_predictor": {
            "num_layers": 4,
            "d_model": 32,
            "attn_d_head": 8,
            "attn_query_grouping": 2,
            "ff_mult": 2,
            "act_fn": "swiglu"
        },
        "d_signal": 2,
        "d_token": 8,
        "d_t_enc": 8,
        "length_tokens": 4,
        "seq_enc_length_tokens": 2,
        "frames_per_token": 2,
        "decoder_lookback_frames": 2,
        "frame_samples": 64,
        "frame_overlap_samples": 48,
        "seq_pred_extra_future": 1,
        "pred_grad_frames": 3,
        "p_eps_ctx_global": "tri",
        "p_eps_ctx_frame": "uniform",
        "p_t": "uniform",
        "p_s": "logit_normal",
        "t_scale": 1000.0,
        "prior": "uniform",
        "sample_eps_ctx": 0.02,
        "substep_autoguidance": 2.0
    },
    "batch_size": 2,
    "batch_size_per_device": 2,
    "optim": {"type": "adamw", "lr": 1e-3, "weight_decay": 1e-4, "betas": [0.9, 0.95]},
    "lr_warmup": 10,
    "lr_decay": "quadratic",
    "lr_decay_halflife": 1000,
    "clip_grad": 1.0
}

# The sub-networks whose calls are recorded (inputs, aux and outputs, per call).
TRACED = [
    "token_encoder", "seq_encoder", "seq_predictor",
    "decoder_v_m", "decoder_u_m", "decoder_y_m", "decoder_v_phi", "decoder_u_phi", "decoder_y_phi",
    "c_v_net", "c_u_net", "c_y_net", "w_net",
]


class Float32Torch(types.ModuleType):
    """`torch`, except that `torch.bfloat16` is float32: the attention casts stay in float32."""

    def __init__(self):
        super().__init__("torch")

    def __getattr__(self, name):
        return torch.float32 if name == "bfloat16" else getattr(torch, name)


class DrawRecorder:
    """Wraps every random draw of ASURA.forward and keeps the values in the order drawn."""

    def __init__(self):
        self.draws = []

    def keep(self, kind, value):
        self.draws.append((kind, value.detach().clone()))
        return value

    def install(self, model):
        prior = model.sample_prior_like
        model.sample_prior_like = lambda x: self.keep("prior", prior(x))
        for attribute, kind in [("p_eps_ctx_global", "eps_ctx_global"), ("p_eps_ctx_frame", "eps_ctx_frame"),
                                ("p_t", "t"), ("p_s", "s")]:
            self.wrap_distribution(getattr(model, attribute), kind)
        randint, multinomial = torch.randint, torch.multinomial
        torch.randint = lambda *a, **k: self.keep("randint", randint(*a, **k))
        torch.multinomial = lambda *a, **k: self.keep("multinomial", multinomial(*a, **k))
        return lambda: (setattr(torch, "randint", randint), setattr(torch, "multinomial", multinomial))

    def wrap_distribution(self, distribution, kind):
        sample = distribution.sample
        distribution.sample = lambda size: self.keep(kind, sample(size))


def record_calls(model, records):
    counts = {}

    def hook(name):
        def forward_hook(module, args, kwargs, output):
            index = counts.get(name, 0)
            counts[name] = index + 1
            records[f"call.{name}.{index}.input"] = args[0].detach().clone()
            aux = kwargs.get("aux")
            if aux is not None:
                records[f"call.{name}.{index}.aux"] = aux.detach().clone()
            records[f"call.{name}.{index}.output"] = output.detach().clone()
        return forward_hook

    for name in TRACED:
        getattr(model, name).register_forward_hook(hook(name), with_kwargs=True)

    frames = model.signal_to_frames
    frame_calls = [0]

    def traced_frames(x):
        m, phi = frames(x)
        records[f"frames.{frame_calls[0]}.m"] = m.detach().clone()
        records[f"frames.{frame_calls[0]}.phi"] = phi.detach().clone()
        frame_calls[0] += 1
        return m, phi
    model.signal_to_frames = traced_frames


def randomise(model, generator):
    """Every trained parameter re-drawn ~ N(0, 1/(4·fan_in)) (vectors: fan_in 4)."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            fan_in = p[0].numel() if p.dim() >= 2 else 4
            p.copy_(0.5 * torch.randn(p.shape, generator=generator) / math.sqrt(fan_in))


def trained_state(model):
    return {k: v.detach().clone().contiguous() for k, v in model.state_dict().items() if "_ema." not in k}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--asura-src", required=True, help="a checkout of github alephic/asura")
    args = parser.parse_args()
    sys.path.insert(0, args.asura_src)
    import harp.asura.modules as modules
    from harp.asura.asura import ASURA
    from safetensors.torch import save_file

    modules.torch = Float32Torch()
    torch.manual_seed(0)
    model = ASURA(**TINY_CONFIG["model"])
    randomise(model, torch.Generator().manual_seed(1))
    model.train()

    example_samples = model.example_length_samples
    t = torch.arange(example_samples, dtype=torch.float32)[None, :, None]
    rates = torch.tensor([[0.05, 0.21], [0.13, 0.34]])[:, None, :]
    x = 0.5 * torch.sin(t * rates) + 0.1 * torch.randn(2, example_samples, 2, generator=torch.Generator().manual_seed(2))

    records = {"input": x.clone()}
    record_calls(model, records)
    recorder = DrawRecorder()
    restore = recorder.install(model)
    torch.manual_seed(3)
    out = model(x)
    restore()
    out["loss_all"].backward()

    for i, (kind, value) in enumerate(recorder.draws):
        records[f"draw.{i:03d}.{kind}"] = value.to(torch.float32)
    for name, value in out.items():
        records[f"loss.{name}"] = value.detach().reshape(1)
    trained = dict(model.named_parameters())
    for name, p in trained.items():
        if "_ema." in name:
            continue
        records[f"grad.{name}"] = (p.grad if p.grad is not None else torch.zeros_like(p)).clone()

    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "asura_tiny.json").write_text(json.dumps(TINY_CONFIG, indent=4) + "\n")
    save_file(trained_state(model), OUT / "asura_tiny_weights.safetensors")
    save_file({k: v.contiguous() for k, v in records.items()}, OUT / "asura_tiny_trace.safetensors")
    for name in sorted(out):
        print(f"{name} = {out[name].item():.6f}")
    print(f"{len(recorder.draws)} draws, {len(trained)} parameters, "
          f"{sum(p.numel() for p in model.parameters() if p.requires_grad)} trained values")


if __name__ == "__main__":
    main()
