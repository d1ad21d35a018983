"""Faithful PyTorch re-creation of seed 001 ("Extracting Playable Instrument
Models from Short Audio Examples", John Vinyard), i.e. `resonancemodel.py` of
github JohnVinyard/matching-pursuit at commit
57a28809c3300f503e408b8edc0cd0fb478894c1, restricted to what the oracle needs:

  * the helpers (stft, fft_convolve, interpolate_last_axis,
    upsample_with_holes, ensure_last_axis_length, unit_norm, max_norm,
    sparsify, make_initializer) -- re-written here from their behaviour at
    that commit;
  * execute_layer, damped_harmonic_oscillator, DampedHarmonicOscillatorBlock,
    ResonanceLayer, ResonanceStack, OverfitResonanceStack (incl. random() and
    compression_ratio());
  * compute_loss and a fit() loop (Adam, lr 1e-3) like produce_overfit_model.

Deviations from the seed, all behaviour-preserving:
  * every size that the seed reads from a module global (n_oscillators,
    attack_n_frames, attack_full_size, deformation_frame_size) is a
    constructor parameter whose default is the seed's value;
  * the attack noise of materialize_attack_envelopes can be injected
    (`attack_noise`, shape [control_plane_dim, attack_full_size]); when it is
    None it is drawn exactly as the seed draws it
    (torch.zeros_like(impulse).uniform_(-1, 1) from the global generator);
  * the loss's STFT window/hop are parameters (defaults 2048/256);
  * damped_harmonic_oscillator is not wrapped in @torch.jit.script (on CPU
    the scripted function runs the same eager kernels; no fuser is enabled
    on CPU by default);
  * the seed's dataset loader (random file, random offset) is replaced by an
    explicit file + offset in fit().

Everything else -- parameter names, random-draw order at construction, the
double unit_norm of the resonances, the control_plane_dim == n_resonances
kludge -- is kept.  See docs/seed001-notes.md.
"""
from __future__ import annotations

import argparse
import math
import sys
import time
from typing import Optional, Tuple

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

# --------------------------------------------------------------------------
# seed defaults (module constants of resonancemodel.py)
# --------------------------------------------------------------------------
SAMPLERATE = 22050
N_SAMPLES = 2 ** 17
RESONANCE_WINDOW_SIZE = 256
STEP_SIZE = RESONANCE_WINDOW_SIZE // 2
N_FRAMES = N_SAMPLES // STEP_SIZE
CONTROL_PLANE_DIM = 16
N_RESONANCES = 16
EXPRESSIVITY = 2
N_TO_KEEP = 128
DO_SPARSIFY = False
SPARSITY_COEFFICIENT = 0.5
N_OSCILLATORS = 64
ATTACK_FULL_SIZE = 2048
ATTACK_N_FRAMES = 256
DEFORMATION_FRAME_SIZE = 128
LOSS_WINDOW = 2048
LOSS_HOP = 256
LEARNING_RATE = 1e-3


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

# ref: matching-pursuit@57a2880 modules/normalization.py unit_norm
def unit_norm(x: torch.Tensor, dim: int = -1, epsilon: float = 1e-8) -> torch.Tensor:
    n = torch.norm(x, dim=dim, keepdim=True)  # L2 norm
    return x / (n + epsilon)


# ref: matching-pursuit@57a2880 modules/normalization.py max_norm
def max_norm(x: torch.Tensor, dim: int = -1, epsilon: float = 1e-8) -> torch.Tensor:
    n, _ = torch.max(torch.abs(x), dim=dim, keepdim=True)
    return x / (n + epsilon)


# ref: matching-pursuit@57a2880 modules/stft.py stft (magnitude path only)
def stft(x: torch.Tensor, ws: int = 512, step: int = 256, pad: bool = False) -> torch.Tensor:
    """x: (batch, channels, time) -> (batch, channels, time // step, ws // 2 + 1)."""
    frames = x.shape[-1] // step
    if pad:
        x = F.pad(x, (0, ws))  # zeros on the right only, ws of them
    x = x.unfold(-1, ws, step)
    win = torch.hann_window(ws, device=x.device)  # periodic=True (torch default)
    x = x * win[None, None, :]
    x = torch.fft.rfft(x, norm='ortho')
    x = torch.abs(x)
    return x[:, :, :frames, :]


# ref: matching-pursuit@57a2880 modules/transfer.py fft_convolve
def fft_convolve(*args: torch.Tensor) -> torch.Tensor:
    """Linear convolution via FFT: each arg zero-padded to twice its own length,
    spectra multiplied (broadcasting), irfft, truncated to the first
    args[0].shape[-1] samples."""
    n_samples = args[0].shape[-1]
    padded = [F.pad(x, (0, x.shape[-1])) for x in args]
    specs = [torch.fft.rfft(x, dim=-1) for x in padded]
    spec = specs[0]
    for s in specs[1:]:
        spec = spec * s
    final = torch.fft.irfft(spec, dim=-1)
    return final[..., :n_samples]


# ref: matching-pursuit@57a2880 modules/upsample.py upsample_with_holes
def upsample_with_holes(low_sr: torch.Tensor, desired_size: int) -> torch.Tensor:
    factor = desired_size // low_sr.shape[-1]
    upsampled = torch.zeros(*low_sr.shape[:-1], desired_size, device=low_sr.device)
    upsampled[..., ::factor] = low_sr
    return upsampled


# ref: matching-pursuit@57a2880 modules/upsample.py interpolate_last_axis
def interpolate_last_axis(low_sr: torch.Tensor, desired_size: int, mode: str = 'linear') -> torch.Tensor:
    """F.interpolate(mode='linear', size=desired_size), align_corners unset (False),
    over the last axis of a tensor with any number of leading dims."""
    orig_shape = low_sr.shape
    new_shape = orig_shape[:-1] + (desired_size,)
    reshaped = low_sr.reshape(-1, 1, low_sr.shape[-1])
    upsampled = F.interpolate(reshaped, mode=mode, size=desired_size)
    return upsampled.reshape(*new_shape)


def interpolate_linear_explicit(x: np.ndarray, desired_size: int) -> np.ndarray:
    """The formula F.interpolate(mode='linear', align_corners=False) evaluates
    on CPU, in float32, written out (used to check the notes).  On this
    torch build (2.x, x86-64 AVX2 kernel) it matches bit for bit:
        scale = f32(n_in) / f32(n_out)
        src   = max(f32(scale * f32(i + 0.5)) - 0.5, 0)       # no FMA here
        i0    = min(floor(src), n_in - 1); i1 = i0 + (i0 < n_in - 1)
        l1    = clamp(src - i0, 0, 1); l0 = 1 - l1
        out   = fma(x[i0], l0, x[i1] * l1)                     # one FMA
    """
    x = np.asarray(x, dtype=np.float32)
    f32, f64 = np.float32, np.float64
    n_in = x.shape[-1]
    scale = f32(n_in) / f32(desired_size)
    out = np.empty(x.shape[:-1] + (desired_size,), dtype=np.float32)
    for i in range(desired_size):
        src = f32(scale * (f32(i) + f32(0.5))) - f32(0.5)
        src = max(src, f32(0.0))
        i0 = min(int(np.floor(src)), n_in - 1)
        i1 = i0 + (1 if i0 < n_in - 1 else 0)
        l1 = min(max(f32(src - f32(i0)), f32(0.0)), f32(1.0))
        l0 = f32(1.0) - l1
        # fma(a, b, c) emulated: float32*float32 is exact in float64
        out[..., i] = (x[..., i0].astype(f64) * f64(l0) + (x[..., i1] * l1).astype(f64)).astype(f32)
    return out


# ref: matching-pursuit@57a2880 modules/upsample.py ensure_last_axis_length
def ensure_last_axis_length(x: torch.Tensor, desired_size: int) -> torch.Tensor:
    last_dim = x.shape[-1]
    if last_dim > desired_size:
        raise ValueError(f'Desired size provided was {desired_size}, but tensor is already size {last_dim}')
    if last_dim == desired_size:
        return x
    padding = torch.zeros(*x.shape[:-1], desired_size - last_dim, device=x.device, dtype=x.dtype)
    return torch.cat([x, padding], dim=-1)


# ref: matching-pursuit@57a2880 modules/sparse.py sparsify (default path only)
def sparsify(x: torch.Tensor, n_to_keep: int) -> torch.Tensor:
    """Keep the n_to_keep largest (signed) values per batch item over all
    non-batch axes, zero the rest."""
    orig_shape = x.shape
    flat = x.reshape(x.shape[0], -1)
    _, indices = torch.topk(flat, n_to_keep, dim=-1)
    values = torch.gather(flat, dim=-1, index=indices)
    out = torch.zeros_like(flat)
    out = torch.scatter(out, dim=-1, index=indices, src=values)
    return out.reshape(*orig_shape)


# ref: matching-pursuit@57a2880 util/weight_init.py make_initializer
def make_initializer(init_value: float):
    """Module.apply hook: modules with a `.weight` get uniform(-v, v), with a
    `.bias` get 0.  None of this model's modules has either attribute, so
    for OverfitResonanceStack it is a no-op (and draws no random numbers)."""
    def init_weights(p):
        with torch.no_grad():
            try:
                p.weight.uniform_(-init_value, init_value)
            except AttributeError:
                pass
            try:
                p.bias.fill_(0)
            except AttributeError:
                pass
    return init_weights


init_weights = make_initializer(0.02)


# --------------------------------------------------------------------------
# model
# --------------------------------------------------------------------------

def materialize_attack_envelopes(
        low_res: torch.Tensor,
        window_size: int,
        add_noise: bool = True,
        noise: Optional[torch.Tensor] = None) -> torch.Tensor:
    """low_res: (control_plane_dim, attack_n_frames).  `noise`, if given,
    replaces the uniform(-1, 1) draw and must have the impulse's shape
    (control_plane_dim, window_size)."""
    if low_res.shape[-1] == window_size:
        if noise is None:
            noise = torch.zeros_like(low_res).uniform_(-1, 1)
        return low_res * noise
    impulse = interpolate_last_axis(low_res, desired_size=window_size)
    if add_noise:
        if noise is None:
            noise = torch.zeros_like(impulse).uniform_(-1, 1)
        impulse = impulse * noise
    return impulse


def execute_layer(
        control_signal: torch.Tensor,
        attack_envelopes: torch.Tensor,
        mix: torch.Tensor,
        routing: torch.Tensor,
        res: torch.Tensor,
        deformations: torch.Tensor,
        gains: torch.Tensor,
        window_size: int,
        attack_noise: Optional[torch.Tensor] = None,
        trace: Optional[dict] = None):
    """Returns (summed, before_upsample, cs) like the seed.  If `trace` is a
    dict, intermediate tensors are stored in it (no effect on the maths)."""
    def rec(name, t):
        if trace is not None:
            trace[name] = t

    batch, n_events, control_plane_dim, frames = control_signal.shape
    batch, n_events, expressivity, def_frames = deformations.shape

    # (1,1,C,F) -> (1,1,F,C) @ (C,R) -> (1,1,F,R) -> (1,1,R,F)
    routed = (control_signal.permute(0, 1, 3, 2) @ routing).permute(0, 1, 3, 2)
    before_upsample = routed
    rec('routed_control', routed)

    _, _, n_resonances, expressivity, n_samples = res.shape

    # second unit_norm (the block already applied one)
    res = unit_norm(res)
    rec('res_unit', res)

    routed = routed.view(batch, n_events, n_resonances, 1, frames)
    routed = upsample_with_holes(routed, n_samples)
    rec('routed_holes', routed)

    impulse = materialize_attack_envelopes(attack_envelopes, window_size, noise=attack_noise)
    rec('impulse', impulse)
    impulse = ensure_last_axis_length(impulse, n_samples)
    # KLUDGE (seed): the impulse has control_plane_dim rows but is convolved
    # with the *routed* (n_resonances) signal -> needs C == R (or 1).
    impulse = impulse.view(1, 1, control_plane_dim, 1, n_samples)
    routed = fft_convolve(impulse, routed)
    rec('routed_attack', routed)

    cs = routed.view(1, control_plane_dim, n_samples).sum(dim=1, keepdim=True)
    rec('cs', cs)

    conv = fft_convolve(routed, res)
    rec('conv', conv)

    base_deformation = torch.zeros_like(deformations)
    base_deformation[:, :, 0:1, :] = 1
    d = base_deformation + deformations
    d = torch.softmax(d, dim=-2)
    d = d.view(batch, n_events, 1, expressivity, def_frames)
    d = interpolate_last_axis(d, n_samples)
    rec('d', d)

    x = d * conv
    x = torch.sum(x, dim=-2)
    rec('deformed', x)

    mixes = mix.view(1, 1, n_resonances, 1, 1, 2)
    mixes = torch.softmax(mixes, dim=-1)
    stacked = torch.stack([routed, x.reshape(*routed.shape)], dim=-1)
    x = mixes * stacked
    x = torch.sum(x, dim=-1)
    x = x.view(1, 1, n_resonances, -1)
    rec('mixed', x)

    summed = torch.tanh(x * torch.abs(gains.view(1, 1, n_resonances, 1)))
    summed = torch.sum(summed, dim=-2, keepdim=True)
    rec('layer_out', summed)
    return summed, before_upsample, cs


def damped_harmonic_oscillator(
        time: torch.Tensor,
        mass: torch.Tensor,
        damping: torch.Tensor,
        tension: torch.Tensor,
        initial_displacement: torch.Tensor,
        initial_velocity: float,
        trace: Optional[dict] = None) -> torch.Tensor:
    x = (damping / (2 * mass))
    omega = torch.sqrt(torch.clamp(tension - (x ** 2), 1e-12, np.inf))
    phi = torch.atan2(
        (initial_velocity + (x * initial_displacement)),
        (initial_displacement * omega)
    )
    a = initial_displacement / torch.cos(phi)
    z = a * torch.exp(-x * time) * torch.cos(omega * time - phi)
    if trace is not None:
        trace.update(osc_x=x, osc_omega=omega, osc_phi=phi, osc_a=a)
    return z


class DampedHarmonicOscillatorBlock(nn.Module):
    def __init__(self, n_samples: int, n_oscillators: int, n_resonances: int, expressivity: int):
        super().__init__()
        self.n_samples = n_samples
        self.n_oscillators = n_oscillators
        self.n_resonances = n_resonances
        self.expressivity = expressivity
        shape = (n_oscillators, n_resonances, expressivity)
        # draw order matters for reproducing torch.manual_seed inits
        self.damping = nn.Parameter(torch.zeros(shape).uniform_(0.5, 1.5))
        self.mass = nn.Parameter(torch.zeros(shape).uniform_(-2, 2))
        self.tension = nn.Parameter(torch.zeros(shape).uniform_(4, 9))
        self.initial_displacement = nn.Parameter(torch.zeros(shape).uniform_(-1, 2))
        self.amplitudes = nn.Parameter(torch.zeros(shape + (1,)).uniform_(-1, 1))

    def _materialize_resonances(self, device=None, trace: Optional[dict] = None) -> torch.Tensor:
        time = torch.linspace(0, 10, self.n_samples, device=device).view(1, 1, 1, self.n_samples)
        if trace is not None:
            trace['osc_time'] = time.view(-1)
        x = damped_harmonic_oscillator(
            time=time,
            mass=torch.sigmoid(self.mass[..., None]),
            damping=torch.sigmoid(self.damping[..., None]) * 30,
            tension=10 ** self.tension[..., None],
            initial_displacement=self.initial_displacement[..., None],
            initial_velocity=0,
            trace=trace,
        )
        x = x.view(self.n_oscillators, self.n_resonances, self.expressivity, self.n_samples)
        x = x * self.amplitudes ** 2
        x = torch.sum(x, dim=0)
        return x.view(1, 1, self.n_resonances, self.expressivity, self.n_samples)

    def forward(self, trace: Optional[dict] = None) -> torch.Tensor:
        x = self._materialize_resonances(self.damping.device, trace=trace)
        if trace is not None:
            trace['res_raw'] = x
        x = unit_norm(x)
        if trace is not None:
            trace['res_block'] = x
        return x


class ResonanceLayer(nn.Module):
    def __init__(
            self,
            n_samples: int,
            resonance_window_size: int,
            control_plane_dim: int,
            n_resonances: int,
            expressivity: int,
            base_resonance: float = 0.5,
            n_oscillators: int = N_OSCILLATORS,
            attack_n_frames: int = ATTACK_N_FRAMES,
            attack_full_size: int = ATTACK_FULL_SIZE):
        super().__init__()
        self.expressivity = expressivity
        self.n_resonances = n_resonances
        self.control_plane_dim = control_plane_dim
        self.resonance_window_size = resonance_window_size
        self.n_samples = n_samples
        self.base_resonance = base_resonance  # stored, unused (as in the seed)
        self.attack_full_size = attack_full_size
        self.attack_n_frames = attack_n_frames
        self.attack_envelopes = nn.Parameter(
            torch.zeros(self.control_plane_dim, attack_n_frames).uniform_(-1, 1))
        self.router = nn.Parameter(
            torch.zeros((self.control_plane_dim, self.n_resonances)).uniform_(-1, 1))
        self.resonance = DampedHarmonicOscillatorBlock(n_samples, n_oscillators, n_resonances, expressivity)
        self.mix = nn.Parameter(torch.zeros(self.n_resonances, 2).uniform_(-1, 1))
        self.gains = nn.Parameter(torch.zeros((n_resonances, 1)).uniform_(0.01, 1.1))

    def get_mixes(self):
        return self.mix

    def get_attack_envelopes(self):
        return materialize_attack_envelopes(self.attack_envelopes, self.attack_full_size, add_noise=False)

    def get_materialized_resonance(self):
        return self.resonance.forward()

    def get_gains(self):
        return self.gains

    def get_router(self):
        return self.router

    def forward(self, control_signal, deformations, attack_noise=None, trace=None):
        res = self.resonance.forward(trace=trace)
        return execute_layer(
            control_signal, self.attack_envelopes, self.mix, self.router, res,
            deformations, self.gains, self.attack_full_size,
            attack_noise=attack_noise, trace=trace)


class ResonanceStack(nn.Module):
    def __init__(
            self,
            n_layers: int,
            n_samples: int,
            resonance_window_size: int,
            control_plane_dim: int,
            n_resonances: int,
            expressivity: int,
            base_resonance: float = 0.5,
            n_oscillators: int = N_OSCILLATORS,
            attack_n_frames: int = ATTACK_N_FRAMES,
            attack_full_size: int = ATTACK_FULL_SIZE):
        super().__init__()
        self.expressivity = expressivity
        self.n_resonances = n_resonances
        self.control_plane_dim = control_plane_dim
        self.resonance_window_size = resonance_window_size
        self.n_samples = n_samples
        self.base_resonance = base_resonance
        self.mix = nn.Parameter(torch.zeros(n_layers))
        self.layers = nn.ModuleList([ResonanceLayer(
            n_samples, resonance_window_size, control_plane_dim, n_resonances,
            expressivity, base_resonance, n_oscillators=n_oscillators,
            attack_n_frames=attack_n_frames, attack_full_size=attack_full_size,
        ) for _ in range(n_layers)])

    def forward(self, control_signal, deformations, attack_noise=None, trace=None):
        """attack_noise: None, a tensor (used by every layer), or a list with
        one tensor per layer."""
        batch_size, n_events, cpd, frames = control_signal.shape
        outputs = []
        cs = control_signal
        fcs = None
        for i, layer in enumerate(self.layers):
            noise = attack_noise[i] if isinstance(attack_noise, (list, tuple)) else attack_noise
            # as in the seed: the next layer's input is this layer's
            # control-rate routed signal (before_upsample)
            output, cs, fcs = layer(cs, deformations, attack_noise=noise,
                                    trace=trace if i == 0 else None)
            outputs.append(output)
        final = torch.stack(outputs, dim=-1)
        mx = torch.softmax(self.mix, dim=-1)
        final = final @ mx[:, None]
        return final.view(batch_size, n_events, self.n_samples), fcs


class OverfitResonanceStack(nn.Module):
    def __init__(
            self,
            n_layers: int = 1,
            n_samples: int = N_SAMPLES,
            resonance_window_size: int = RESONANCE_WINDOW_SIZE,
            control_plane_dim: int = CONTROL_PLANE_DIM,
            n_resonances: int = N_RESONANCES,
            expressivity: int = EXPRESSIVITY,
            n_frames: Optional[int] = None,
            base_resonance: float = 0.01,  # value produce_overfit_model passes
            n_to_keep: int = N_TO_KEEP,    # value produce_overfit_model passes
            n_oscillators: int = N_OSCILLATORS,
            attack_n_frames: int = ATTACK_N_FRAMES,
            attack_full_size: int = ATTACK_FULL_SIZE,
            deformation_frame_size: int = DEFORMATION_FRAME_SIZE,
            do_sparsify: bool = DO_SPARSIFY):
        super().__init__()
        if n_frames is None:
            n_frames = n_samples // (resonance_window_size // 2)
        self.expressivity = expressivity
        self.n_resonances = n_resonances
        self.control_plane_dim = control_plane_dim
        self.resonance_window_size = resonance_window_size
        self.n_samples = n_samples
        self.base_resonance = base_resonance
        self.n_frames = n_frames
        self.n_to_keep = n_to_keep
        self.do_sparsify = do_sparsify
        self.deformation_frame_size = deformation_frame_size
        self.deformation_frames = n_samples // self.deformation_frame_size

        control_plane = torch.zeros((1, 1, control_plane_dim, n_frames)).uniform_(-0.01, 0.01)
        self.control_plane = nn.Parameter(control_plane)
        deformations = torch.zeros((1, 1, expressivity, self.deformation_frames)).uniform_(-0.01, 0.01)
        self.deformations = nn.Parameter(deformations)
        self.network = ResonanceStack(
            n_layers=n_layers, n_samples=n_samples,
            resonance_window_size=resonance_window_size,
            control_plane_dim=control_plane_dim, n_resonances=n_resonances,
            expressivity=expressivity, base_resonance=base_resonance,
            n_oscillators=n_oscillators, attack_n_frames=attack_n_frames,
            attack_full_size=attack_full_size)
        self.apply(init_weights)  # no-op for this model, kept for fidelity

    # -- config ------------------------------------------------------------
    def config(self) -> dict:
        layer = self.network.layers[0]
        return dict(
            n_layers=len(self.network.layers), n_samples=self.n_samples,
            resonance_window_size=self.resonance_window_size,
            control_plane_dim=self.control_plane_dim, n_resonances=self.n_resonances,
            expressivity=self.expressivity, n_frames=self.n_frames,
            base_resonance=self.base_resonance, n_to_keep=self.n_to_keep,
            n_oscillators=layer.resonance.n_oscillators,
            attack_n_frames=layer.attack_n_frames, attack_full_size=layer.attack_full_size,
            deformation_frame_size=self.deformation_frame_size,
            deformation_frames=self.deformation_frames, do_sparsify=self.do_sparsify)

    @property
    def flattened_deformations(self):
        return self.deformations.view(self.expressivity, self.deformation_frames)

    def get_materialized_resonance(self, layer: int = 0) -> torch.Tensor:
        return self.network.layers[layer].get_materialized_resonance()

    def _process_control_plane(self, cp, n_to_keep=None, do_sparsify=None):
        do_sparsify = self.do_sparsify if do_sparsify is None else do_sparsify
        cp = cp.view(1, self.control_plane_dim, self.n_frames)
        cp = cp + cp.mean()
        if do_sparsify:
            cp = sparsify(cp, n_to_keep=n_to_keep or self.n_to_keep)
        cp = cp.view(1, 1, self.control_plane_dim, self.n_frames)
        cp = torch.relu(cp)
        return cp

    @property
    def control_signal(self):
        return self._process_control_plane(self.control_plane)

    @property
    def active_elements(self) -> torch.Tensor:
        return (self.control_signal > 0).sum()

    @property
    def sparsity(self) -> torch.Tensor:
        return self.active_elements / self.control_signal.numel()

    def random(self, use_learned_deformations: bool = False, attack_noise=None):
        rcp = torch.zeros_like(self.control_plane).uniform_(
            self.control_plane.min().item(), self.control_plane.max().item())
        rcp = self._process_control_plane(rcp, n_to_keep=16, do_sparsify=True)
        return self.forward(
            rcp,
            self.deformations if use_learned_deformations else torch.zeros_like(self.deformations),
            attack_noise=attack_noise)

    def forward(self, cp=None, deformations=None, attack_noise=None, trace=None):
        cp = cp if cp is not None else self.control_signal
        deformations = deformations if deformations is not None else self.deformations
        if trace is not None:
            trace['cp'] = cp
        x, cs = self.network.forward(cp, deformations, attack_noise=attack_noise, trace=trace)
        return x, cs, cp

    def compression_ratio(self, n_samples: int):
        def count_parameters(model):
            return sum(p.numel() for p in model.parameters() if p.requires_grad)
        return (self.deformations.numel() + count_parameters(self.network)
                + (self.active_elements * 3)) / n_samples


# --------------------------------------------------------------------------
# loss
# --------------------------------------------------------------------------

def transform(x: torch.Tensor, ws: int = LOSS_WINDOW, hop: int = LOSS_HOP) -> torch.Tensor:
    return stft(x, ws, hop, pad=True)


def compute_loss(x, y, cp, sparsity_loss: float = SPARSITY_COEFFICIENT,
                 ws: int = LOSS_WINDOW, hop: int = LOSS_HOP) -> torch.Tensor:
    x = transform(x, ws, hop)
    y = transform(y, ws, hop)
    return torch.abs(x - y).sum() + (torch.abs(cp).sum() * sparsity_loss)


# --------------------------------------------------------------------------
# data + fitting
# --------------------------------------------------------------------------

def load_target(path: str, n_samples: int = N_SAMPLES, offset_seconds: float = 0.0,
                samplerate: int = SAMPLERATE) -> torch.Tensor:
    """Read, mix to mono, resample (scipy resample_poly) to `samplerate`,
    take n_samples from offset (zero-padded if short), then normalise as the
    seed does: loader divides by |max| (+1e-12), then max_norm.
    Returns (1, 1, n_samples) float32."""
    import soundfile as sf
    from scipy.signal import resample_poly
    data, sr = sf.read(path, dtype='float64', always_2d=True)
    data = data.mean(axis=1)
    if sr != samplerate:
        g = math.gcd(int(sr), int(samplerate))
        data = resample_poly(data, samplerate // g, int(sr) // g)
    start = int(round(offset_seconds * samplerate))
    seg = data[start:start + n_samples]
    if seg.shape[0] < n_samples:
        seg = np.concatenate([seg, np.zeros(n_samples - seg.shape[0])])
    seg = seg.astype(np.float32)[None, :]
    # data/datastore.py batch_stream(normalize=True): signed max, not abs max
    seg = seg / (np.abs(seg.max(axis=-1, keepdims=True)) + np.float32(1e-12))
    target = torch.from_numpy(seg.astype(np.float32)).view(1, 1, n_samples)
    return max_norm(target)


def fit(audio_path: str, iterations: int = 100, seed: int = 0, offset: float = 0.0,
        lr: float = LEARNING_RATE, log_every: int = 1, threads: int = 2, **model_kwargs):
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    n_samples = model_kwargs.get('n_samples', N_SAMPLES)
    target = load_target(audio_path, n_samples, offset)
    model = OverfitResonanceStack(**model_kwargs)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss = None
    for i in range(iterations):
        optimizer.zero_grad()
        recon, fcs, cp = model.forward()
        loss = compute_loss(target, recon, cp)
        if i % log_every == 0:
            print(i, loss.item(), flush=True)
        loss.backward()
        optimizer.step()
    return model, target, loss


def main(argv=None):
    p = argparse.ArgumentParser(description='Overfit seed-001 OverfitResonanceStack on one clip')
    p.add_argument('audio_path')
    p.add_argument('--iterations', type=int, default=100)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--offset', type=float, default=0.0, help='start of the segment, seconds')
    p.add_argument('--n-samples', type=int, default=N_SAMPLES)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--save', default=None, help='write the state dict (safetensors) here')
    a = p.parse_args(argv)
    t0 = time.time()
    model, target, loss = fit(a.audio_path, a.iterations, a.seed, a.offset,
                              threads=a.threads, n_samples=a.n_samples)
    print(f'done in {time.time() - t0:.1f}s; compression_ratio '
          f'{float(model.compression_ratio(a.n_samples)):.4f}', file=sys.stderr)
    if a.save:
        from safetensors.torch import save_file
        save_file({k: v.detach().contiguous() for k, v in model.state_dict().items()}, a.save,
                  metadata={'config': __import__('json').dumps(model.config())})


if __name__ == '__main__':
    main()
