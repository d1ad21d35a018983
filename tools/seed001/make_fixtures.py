"""Write the seed-001 oracle fixtures for the Swift tests.

    /work/venv/bin/python tools/seed001/make_fixtures.py [--out-dir DIR] [--clip PATH]

Outputs (float32 safetensors, deterministic: fixed torch.manual_seed and 2
torch threads; rerunning reproduces the files byte for byte on the same
torch build):

  Tests/HarpInstrumentTests/Fixtures/seed001_tiny.safetensors
      A tiny OverfitResonanceStack (config in metadata["config"], JSON):
        <param name>            every parameter, seed names
                                (control_plane, deformations, network.mix,
                                network.layers.0.attack_envelopes, ...)
        input.attack_noise      injected uniform(-1,1) noise [C, attack_full_size]
        input.target            target clip [1,1,n_samples] (perc_bell, max-normed)
        out.*                   intermediates of the forward pass (see
                                metadata["tensors"] for a description of each)
        out.loss                [1]
        grad.<param name>       d loss / d param
        adam1.<param name>      the parameter after one Adam(lr=1e-3) step
        random.cp / random.attack_noise / random.out
                                a random() performance: the processed random
                                control plane, the noise, the output
  Tests/HarpInstrumentTests/Fixtures/seed001_helpers.safetensors
      Inputs and outputs of each helper (stft, fft_convolve,
      interpolate_last_axis, upsample_with_holes, ensure_last_axis_length,
      unit_norm, max_norm, sparsify); metadata["cases"] describes each case.

The default-size resonance block (n_oscillators 4, n_samples 2**17,
16 x 2 resonances) would be 16 MiB, so it is not written.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import struct
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference as R  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
DEFAULT_OUT = os.path.join(REPO, 'Tests', 'HarpInstrumentTests', 'Fixtures')
DEFAULT_CLIP = '/work/shared/audio/perc_bell.flac'

TINY = dict(
    n_layers=1,
    n_samples=4096,
    resonance_window_size=64,   # step 32 -> n_frames 128
    control_plane_dim=4,
    n_resonances=4,             # must equal control_plane_dim (seed KLUDGE)
    expressivity=2,
    n_oscillators=5,
    attack_n_frames=16,
    attack_full_size=128,
    deformation_frame_size=64,  # -> 64 deformation frames
    base_resonance=0.01,
    n_to_keep=128,
)
TINY_LOSS = dict(ws=256, hop=64, sparsity_loss=0.5)
TINY_SEED = 1234
TINY_OFFSET_SECONDS = 0.0

OUT_DOCS = {
    'out.cp': 'processed control signal relu(cp + mean(cp)) [1,1,C,F]',
    'out.osc_time': 'linspace(0, 10, n_samples) [N]',
    'out.osc_x': 'damping/(2*mass) after sigmoid/scale [O,R,E,1]',
    'out.osc_omega': 'sqrt(clamp(10**tension - x**2, 1e-12, inf)) [O,R,E,1]',
    'out.osc_phi': 'atan2(x*d0, d0*omega) [O,R,E,1]',
    'out.osc_a': 'd0 / cos(phi) [O,R,E,1]',
    'out.res_raw': 'sum_o amplitudes**2 * oscillator, before unit_norm [1,1,R,E,N]',
    'out.res_unit': 'resonances after both unit_norms (block forward + execute_layer) [1,1,R,E,N]',
    'out.routed_control': '(cs^T @ router)^T at control rate (before_upsample) [1,1,R,F]',
    'out.impulse': 'interpolate_last_axis(attack_envelopes, attack_full_size) * noise [C,A_full]',
    'out.routed_attack': 'fft_convolve(impulse padded to N, upsample_with_holes(routed)) [1,1,R,1,N]',
    'out.cs': 'routed_attack summed over channels [1,1,N] (third output of execute_layer)',
    'out.conv': 'fft_convolve(routed_attack, res_unit) [1,1,R,E,N]',
    'out.d': 'softmax over E of (onehot(0)+deformations), interpolated to N [1,1,1,E,N]',
    'out.deformed': 'sum_E d * conv [1,1,R,N]',
    'out.mixed': 'softmax(mix)[...,0]*routed_attack + softmax(mix)[...,1]*deformed [1,1,R,N]',
    'out.recon': 'sum_R tanh(mixed*|gains|), layer mix (softmax of 1 -> 1) [1,1,N]',
    'out.stft_target': 'stft(target, ws, hop, pad=True) [1,1,N//hop,ws//2+1]',
    'out.stft_recon': 'stft(recon, ws, hop, pad=True)',
    'out.loss': 'sum|stft_t - stft_r| + 0.5*sum|cp| [1]',
    'out.compression_ratio': '(deformations.numel + network params + 3*active) / n_samples [1]',
}


def f32(t: torch.Tensor) -> torch.Tensor:
    return t.detach().to(torch.float32).contiguous().clone()


def make_tiny(clip: str) -> tuple[dict, dict]:
    torch.manual_seed(TINY_SEED)
    model = R.OverfitResonanceStack(**TINY)
    cfg = model.config()
    C, A = cfg['control_plane_dim'], cfg['attack_full_size']
    gen = torch.Generator().manual_seed(TINY_SEED + 1)
    noise = torch.zeros(C, A).uniform_(-1, 1, generator=gen)
    target = R.load_target(clip, cfg['n_samples'], TINY_OFFSET_SECONDS)

    tensors = {}
    for name, p in model.named_parameters():
        tensors[name] = f32(p)
    tensors['input.attack_noise'] = f32(noise)
    tensors['input.target'] = f32(target)

    trace = {}
    recon, fcs, cp = model.forward(attack_noise=noise, trace=trace)
    loss = R.compute_loss(target, recon, cp, **TINY_LOSS)
    # the same numbers without tracing, and check determinism of the forward
    recon2, _, _ = model.forward(attack_noise=noise)
    assert torch.equal(recon, recon2)

    keep = ['cp', 'osc_time', 'osc_x', 'osc_omega', 'osc_phi', 'osc_a', 'res_raw', 'res_unit',
            'routed_control', 'impulse', 'routed_attack', 'cs', 'conv', 'd', 'deformed', 'mixed']
    for k in keep:
        tensors['out.' + k] = f32(trace[k])
    tensors['out.recon'] = f32(recon)
    assert torch.equal(fcs, trace['cs'])
    tensors['out.stft_target'] = f32(R.transform(target, TINY_LOSS['ws'], TINY_LOSS['hop']))
    tensors['out.stft_recon'] = f32(R.transform(recon, TINY_LOSS['ws'], TINY_LOSS['hop']))
    tensors['out.loss'] = f32(loss.reshape(1))
    tensors['out.compression_ratio'] = f32(torch.as_tensor(
        model.compression_ratio(cfg['n_samples']), dtype=torch.float32).reshape(1))

    loss.backward()
    for name, p in model.named_parameters():
        tensors['grad.' + name] = f32(p.grad)

    opt = torch.optim.Adam(model.parameters(), lr=R.LEARNING_RATE)
    opt.step()
    for name, p in model.named_parameters():
        tensors['adam1.' + name] = f32(p)
    with torch.no_grad():
        # reload the pre-step parameters for random()
        for name, p in model.named_parameters():
            p.copy_(tensors[name])
        torch.manual_seed(TINY_SEED + 2)
        rnoise = torch.zeros(C, A).uniform_(-1, 1)
        rcp_trace = {}
        rout, _, rcp = model.random(attack_noise=rnoise)
        tensors['random.cp'] = f32(rcp)
        tensors['random.attack_noise'] = f32(rnoise)
        tensors['random.out'] = f32(rout)
        # forward with the stored cp and zero deformations reproduces it
        chk, _, _ = model.forward(rcp, torch.zeros_like(model.deformations), attack_noise=rnoise)
        assert torch.equal(chk, rout)
        del rcp_trace

    meta = {
        'config': json.dumps(cfg),
        'loss': json.dumps(TINY_LOSS),
        'seed': str(TINY_SEED),
        'noise_generator_seed': str(TINY_SEED + 1),
        'random_seed': str(TINY_SEED + 2),
        'clip': os.path.basename(clip),
        'clip_offset_seconds': str(TINY_OFFSET_SECONDS),
        'adam': json.dumps(dict(lr=R.LEARNING_RATE, betas=[0.9, 0.999], eps=1e-8, weight_decay=0)),
        'tensors': json.dumps(OUT_DOCS),
        'torch_version': torch.__version__,
        'source': 'tools/seed001/make_fixtures.py (re-creation of matching-pursuit@57a2880 resonancemodel.py)',
    }
    return tensors, meta


def make_helpers() -> tuple[dict, dict]:
    g = torch.Generator().manual_seed(7)

    def randn(*shape):
        return torch.randn(*shape, generator=g)

    t, cases = {}, {}

    # stft(pad=True): length a multiple of step, and one that is not
    for name, (n, ws, step) in {'stft_a': (512, 64, 16), 'stft_b': (1000, 128, 32)}.items():
        x = randn(1, 1, n)
        t[name + '.in'] = x
        t[name + '.out'] = R.stft(x, ws, step, pad=True)
        cases[name] = dict(fn='stft', ws=ws, step=step, pad=True,
                           note='magnitude, periodic hann, rfft norm=ortho, right-pad ws zeros, keep n//step frames')
    t['stft.hann_128'] = torch.hann_window(128)
    cases['stft.hann_128'] = dict(fn='torch.hann_window(128) (periodic)')

    # fft_convolve
    a, b = randn(1, 300), randn(1, 300)
    t['fft_convolve_a.in0'], t['fft_convolve_a.in1'] = a, b
    t['fft_convolve_a.out'] = R.fft_convolve(a, b)
    cases['fft_convolve_a'] = dict(fn='fft_convolve', note='pad each to 2n, irfft, keep first n')
    a, b = randn(3, 1, 64), randn(1, 2, 64)
    t['fft_convolve_b.in0'], t['fft_convolve_b.in1'] = a, b
    t['fft_convolve_b.out'] = R.fft_convolve(a, b)
    cases['fft_convolve_b'] = dict(fn='fft_convolve', note='broadcast [3,1,64]*[1,2,64] -> [3,2,64]')
    # check: equals direct linear convolution truncated to n
    ref = np.convolve(t['fft_convolve_a.in0'][0].double().numpy(), t['fft_convolve_a.in1'][0].double().numpy())[:300]
    assert np.allclose(ref, t['fft_convolve_a.out'][0].numpy(), atol=1e-4)

    # interpolate_last_axis
    for name, (shape, size) in {
        'interp_up_a': ((4, 16), 128),      # attack_n_frames -> attack_full_size (tiny)
        'interp_up_b': ((2, 7), 50),        # non-integer ratio
        'interp_up_c': ((1, 1, 1, 2, 64), 4096),  # deformation path (tiny)
        'interp_down': ((3, 100), 30),      # downsampling: no anti-aliasing
    }.items():
        x = randn(*shape)
        y = R.interpolate_last_axis(x, size)
        t[name + '.in'], t[name + '.out'] = x, y
        explicit = R.interpolate_linear_explicit(x.numpy(), size)
        diff = float(np.abs(explicit - y.numpy()).max())
        cases[name] = dict(fn='interpolate_last_axis', size=size, mode='linear', align_corners=False,
                           explicit_formula_max_abs_diff=diff)

    # upsample_with_holes
    x = randn(2, 1, 8)
    t['upsample_with_holes.in'] = x
    t['upsample_with_holes.out'] = R.upsample_with_holes(x, 64)
    cases['upsample_with_holes'] = dict(fn='upsample_with_holes', size=64, note='x at indices 0, 8, ..., zeros elsewhere')

    # ensure_last_axis_length
    x = randn(2, 5)
    t['ensure_last_axis_length.in'] = x
    t['ensure_last_axis_length.out'] = R.ensure_last_axis_length(x, 9)
    cases['ensure_last_axis_length'] = dict(fn='ensure_last_axis_length', size=9)

    # unit_norm / max_norm, with an all-zero row
    x = randn(3, 50) * torch.tensor([[1.0], [0.0], [1e-3]])
    t['unit_norm.in'], t['unit_norm.out'] = x, R.unit_norm(x)
    cases['unit_norm'] = dict(fn='unit_norm', dim=-1, epsilon=1e-8, note='x / (||x||_2 + eps), row 1 is zeros')
    x = randn(3, 50) * torch.tensor([[1.0], [0.0], [-5.0]])
    t['max_norm.in'], t['max_norm.out'] = x, R.max_norm(x)
    cases['max_norm'] = dict(fn='max_norm', dim=-1, epsilon=1e-8, note='x / (max|x| + eps), row 1 is zeros')

    # sparsify (used by random())
    x = randn(1, 4, 20)
    t['sparsify.in'], t['sparsify.out'] = x, R.sparsify(x, 5)
    cases['sparsify'] = dict(fn='sparsify', n_to_keep=5, note='top-5 signed values over [C*T] kept, rest 0')

    tensors = {k: f32(v) for k, v in t.items()}
    meta = {'cases': json.dumps(cases), 'generator_seed': '7', 'torch_version': torch.__version__,
            'source': 'tools/seed001/make_fixtures.py'}
    return tensors, meta


def save_sorted(tensors: dict, path: str, metadata: dict) -> None:
    """Write a float32 safetensors file with a byte-stable header (keys
    sorted; the `safetensors` package writes __metadata__ in hash order)."""
    header = {'__metadata__': {k: metadata[k] for k in sorted(metadata)}}
    blobs, offset = [], 0
    for name in sorted(tensors):
        arr = tensors[name].detach().cpu().contiguous().numpy().astype('<f4', copy=False)
        raw = arr.tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(arr.shape), 'data_offsets': [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    hb = json.dumps(header, separators=(',', ':')).encode('utf-8')
    hb += b' ' * ((8 - len(hb) % 8) % 8)
    with open(path, 'wb') as fh:
        fh.write(struct.pack('<Q', len(hb)))
        fh.write(hb)
        for raw in blobs:
            fh.write(raw)


def write(path: str, tensors: dict, meta: dict) -> str:
    save_sorted(tensors, path, meta)
    # read back with the reference reader
    from safetensors.torch import load_file
    back = load_file(path)
    assert set(back) == set(tensors) and all(torch.equal(back[k], tensors[k]) for k in tensors)
    with open(path, 'rb') as fh:
        digest = hashlib.sha256(fh.read()).hexdigest()
    size = os.path.getsize(path)
    print(f'{path}: {len(tensors)} tensors, {size} bytes, sha256 {digest}')
    assert size < 1_000_000, 'fixture must stay below 1 MB'
    return digest


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument('--out-dir', default=DEFAULT_OUT)
    p.add_argument('--clip', default=DEFAULT_CLIP)
    a = p.parse_args(argv)
    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)
    os.makedirs(a.out_dir, exist_ok=True)
    tensors, meta = make_tiny(a.clip)
    write(os.path.join(a.out_dir, 'seed001_tiny.safetensors'), tensors, meta)
    tensors, meta = make_helpers()
    for k, v in json.loads(meta['cases']).items():
        if 'explicit_formula_max_abs_diff' in v:
            print(f'  {k}: explicit linear-interp formula vs F.interpolate max |diff| = '
                  f'{v["explicit_formula_max_abs_diff"]:.3g}')
    write(os.path.join(a.out_dir, 'seed001_helpers.safetensors'), tensors, meta)


if __name__ == '__main__':
    main()
