"""Cross-check reference.py against the upstream source at the seed commit.

    /work/venv/bin/python tools/seed001/check_upstream.py [--git-dir DIR]

Reads the needed function/class definitions straight out of the
JohnVinyard/matching-pursuit git mirror (commit 57a2880..., nothing is
copied into this repository), exec()s them in a namespace with torch / F /
np (the upstream modules themselves cannot be imported: their import chains
need conjure, librosa, and scipy.signal.morlet, which modern scipy removed),
strips the @torch.jit.script decorator, and compares on the tiny fixture
config: parameter init under the same torch.manual_seed, forward output with
the same noise draw, loss and every gradient.  Exit code 0 when everything
is bit-identical.
"""
from __future__ import annotations

import argparse
import ast
import os
import subprocess
import sys
from functools import reduce

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference as R  # noqa: E402
from make_fixtures import TINY, TINY_LOSS  # noqa: E402

COMMIT = '57a28809c3300f503e408b8edc0cd0fb478894c1'
WANT = {
    'modules/normalization.py': ['unit_norm', 'max_norm'],
    'modules/stft.py': ['stft'],
    'modules/transfer.py': ['fft_convolve'],
    'modules/upsample.py': ['upsample_with_holes', 'interpolate_last_axis', 'ensure_last_axis_length'],
    'modules/sparse.py': ['sparsify'],
    'util/weight_init.py': ['make_initializer'],
    'resonancemodel.py': ['materialize_attack_envelopes', 'execute_layer', 'damped_harmonic_oscillator',
                          'DampedHarmonicOscillatorBlock', 'ResonanceLayer', 'ResonanceStack',
                          'OverfitResonanceStack', 'compute_loss', 'transform'],
}


def extract(git_dir: str, path: str, names) -> str:
    src = subprocess.run(['git', f'--git-dir={git_dir}', 'show', f'{COMMIT}:{path}'],
                         check=True, capture_output=True, text=True).stdout
    tree = ast.parse(src)
    out = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in names:
            node.decorator_list = []  # drop @torch.jit.script
            out.append(ast.unparse(node))
    missing = set(names) - {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    assert not missing, f'{path}: missing {missing}'
    return '\n\n'.join(out)


def upstream_namespace(git_dir: str, cfg: dict) -> dict:
    from typing import Tuple, Callable, Union, Dict, Any  # noqa: F401
    ns = dict(torch=torch, nn=nn, F=F, np=np, reduce=reduce, Tuple=Tuple, Callable=Callable,
              Union=Union, Dict=Dict, Any=Any)
    # module globals resonancemodel.py reads (some as default arguments, so
    # they must exist before exec), set to the tiny config
    ns.update(
        n_oscillators=cfg['n_oscillators'], attack_full_size=cfg['attack_full_size'],
        attack_n_frames=cfg['attack_n_frames'], deformation_frame_size=cfg['deformation_frame_size'],
        do_sparsify=False, sparsity_coefficient=0.5,
    )
    for path, names in WANT.items():
        exec(compile(extract(git_dir, path, names), f'upstream:{path}', 'exec'), ns)
    ns['init_weights'] = ns['make_initializer'](0.02)
    return ns


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument('--git-dir', default='/work/.mirror/JohnVinyard+matching-pursuit/repo')
    a = p.parse_args(argv)
    torch.set_num_threads(2)
    cfg = dict(TINY)
    ns = upstream_namespace(a.git_dir, cfg)
    ws, hop = TINY_LOSS['ws'], TINY_LOSS['hop']
    # upstream transform() hard-codes 2048/256: rebind it for the tiny config
    ns['transform'] = lambda x: ns['stft'](x, ws, hop, pad=True)

    ok = True

    def same(name, x, y):
        nonlocal ok
        eq = torch.equal(x, y)
        diff = (x - y).abs().max().item() if x.shape == y.shape else float('nan')
        print(f'{"OK  " if eq else "DIFF"} {name}: max|diff| = {diff:.3g}')
        ok &= eq

    torch.manual_seed(99)
    up = ns['OverfitResonanceStack'](
        n_layers=1, n_samples=cfg['n_samples'], resonance_window_size=cfg['resonance_window_size'],
        control_plane_dim=cfg['control_plane_dim'], n_resonances=cfg['n_resonances'],
        expressivity=cfg['expressivity'], base_resonance=0.01,
        n_frames=cfg['n_samples'] // (cfg['resonance_window_size'] // 2), n_to_keep=cfg['n_to_keep'])
    torch.manual_seed(99)
    mine = R.OverfitResonanceStack(**cfg)
    up_p = dict(up.named_parameters())
    my_p = dict(mine.named_parameters())
    assert set(up_p) == set(my_p), (set(up_p) ^ set(my_p))
    for k in sorted(up_p):
        same('init ' + k, up_p[k].detach(), my_p[k].detach())

    target = R.load_target('/work/shared/audio/perc_bell.flac', cfg['n_samples'])
    torch.manual_seed(5)
    ru, fu, cu = up.forward()
    lu = ns['compute_loss'](target, ru, cu)
    torch.manual_seed(5)
    rm, fm, cm = mine.forward()
    lm = R.compute_loss(target, rm, cm, **TINY_LOSS)
    same('recon', ru.detach(), rm.detach())
    same('fcs', fu.detach(), fm.detach())
    same('loss', lu.detach(), lm.detach())
    lu.backward()
    lm.backward()
    for k in sorted(up_p):
        same('grad ' + k, up_p[k].grad, my_p[k].grad)

    # random(): same draws
    with torch.no_grad():
        torch.manual_seed(11)
        xu = up.random()[0]
        torch.manual_seed(11)
        xm = mine.random()[0]
    same('random', xu, xm)
    same('compression_ratio', torch.as_tensor(up.compression_ratio(cfg['n_samples'])),
         torch.as_tensor(mine.compression_ratio(cfg['n_samples'])))
    print('ALL BIT-IDENTICAL' if ok else 'MISMATCHES FOUND')
    sys.exit(0 if ok else 1)


if __name__ == '__main__':
    main()
