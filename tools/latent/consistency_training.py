"""The consistency-training step of Music2Latent in PyTorch on the music2latent package's own
modules (encoder, decoder, UNet), shared by make_training_fixture.py and bench_latent_train.py.

ref: Pasini et al., arXiv 2408.06500 (eqs. 10-13) and Song & Dhariwal, arXiv 2310.14189 (iCT):
t+ = u(1 - dt) + dt, t = max(t+ - dt, 0), sigma(t) = (smin^(1/rho) + t (smax^(1/rho) - smin^(1/rho)))^rho;
student F(x0 + sigma+ z, sigma+ | pyramid), teacher stop-grad F(x0 + sigma z, sigma | pyramid);
loss = mean_b pseudo_huber_b / (sigma+ - sigma), pseudo_huber = sqrt(|a - b|^2 + c^2) - c,
c = 0.00054 sqrt(dim). Harp's side: Sources/HarpLatent/Training/LatentTrainer.swift.
"""
import math

import torch

torch.version.cuda = None   # the venv's torchaudio refuses mismatched CUDA builds; CPU only here

MODULES = ["models", "utils", "audio", "hparams"]


def modules():
    import importlib
    return [importlib.import_module("music2latent." + m) for m in MODULES]


def patch(overrides):
    """music2latent copies its hparams into every module with `from .hparams import *`: set them
    everywhere. Returns the previous values."""
    previous = {}
    for m in modules():
        for k, v in overrides.items():
            if hasattr(m, k):
                previous.setdefault(k, getattr(m, k))
                setattr(m, k, v)
    return previous


def config_of(overrides):
    hp = modules()[3]
    keys = ["hop", "data_channels", "base_channels", "multipliers_list", "layers_list", "attention_list",
            "layers_list_encoder", "attention_list_encoder", "freq_downsample_list", "bottleneck_base_channels",
            "num_bottleneck_layers", "heads", "cond_channels", "bottleneck_channels", "normalization",
            "frequency_scaling", "pre_normalize_2d_to_1d", "pre_normalize_downsampling_encoder", "use_fourier",
            "sigma_min", "sigma_max", "sigma_data", "rho", "alpha_rescale", "beta_rescale", "sample_rate"]
    cfg = {k: getattr(hp, k) for k in keys}
    cfg.update(overrides)
    return cfg


def sigma_continuous(t, cfg):
    rho = cfg["rho"]
    low, high = cfg["sigma_min"] ** (1.0 / rho), cfg["sigma_max"] ** (1.0 / rho)
    return (low + t * (high - low)) ** rho


def pseudo_huber(a, b, scale=0.00054):
    a = a.reshape(a.shape[0], -1)
    b = b.reshape(b.shape[0], -1)
    c = scale * math.sqrt(a.shape[1])
    return torch.sqrt(((a - b) ** 2).sum(dim=1) + c * c) - c


def consistency_loss(model, x0, noise, u, dt, cfg):
    """The loss of one step; `u` uniform draws in [0, 1) per item, `dt` the time step."""
    t_upper = u * (1 - dt) + dt
    t_lower = torch.clamp(t_upper - dt, min=0.0)
    s_upper, s_lower = sigma_continuous(t_upper, cfg), sigma_continuous(t_lower, cfg)
    latents = model.encoder(x0)
    pyramid = model.decoder(latents)
    student = model(latents, x0 + s_upper.reshape(-1, 1, 1, 1) * noise, s_upper, pyramid_latents=pyramid)
    with torch.no_grad():
        teacher = model(latents, x0 + s_lower.reshape(-1, 1, 1, 1) * noise, s_lower, pyramid_latents=pyramid)
    loss = (pseudo_huber(student, teacher) / (s_upper - s_lower)).mean()
    return loss, student, teacher


def time_step(step, total, dt0=0.1, exponent=3.0):
    return dt0 ** ((step / total) * (exponent - 1) + 1)
