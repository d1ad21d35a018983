#!/usr/bin/env python3
"""Writes Tests/HarpTensorTests/Fixtures/ops_cases.json: forward values and autograd gradients
of HarpTensor's ops computed by PyTorch, for the Swift tests (which never need Python).

Format (documented in Sources/HarpTestSupport/JSONFixtures.swift):
  {"format": "harp-json-tensors", "version": 1,
   "tensors": {"<op>#<k>/input<i>": {"shape": [...], "values": [...]},
               "<op>#<k>/output", "<op>#<k>/cotangent", "<op>#<k>/grad<i>": ...}}
Each case's inputs are random (seeded) and kept away from kinks (relu/abs/clamp at 0 or the
bounds, ties in max/min) so the same inputs serve the finite-difference checks. The gradients are
d/d(input) of sum(cotangent * output).

Run: /work/venv/bin/python tools/make_op_fixtures.py
"""
import json
import pathlib

import numpy as np
import torch
import torch.nn.functional as F

torch.manual_seed(0)
rng = np.random.default_rng(1234)
OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests/HarpTensorTests/Fixtures/ops_cases.json"


def sample(shape, low=-2.0, high=2.0, avoid=(), margin=0.1):
    x = rng.uniform(low, high, size=shape).astype(np.float32)
    for k in avoid:
        near = np.abs(x - k) < margin
        x[near] = np.where(x[near] < k, k - margin, k + margin)
    return x


def spaced(shape):
    """Distinct values at least 0.1 apart (no ties for max/min/maximum)."""
    n = int(np.prod(shape))
    return ((rng.permutation(n) - n / 2) * 0.1 + rng.uniform(-0.02, 0.02, n)).astype(np.float32).reshape(shape)


UNARY_SHAPES = [[], [7], [40], [2, 3, 5], [0, 4]]
BINARY_SHAPES = [([3, 4], [3, 4]), ([2, 3, 4], [4]), ([2, 3, 4], [3, 1]), ([1], [2, 3]), ([], [2, 3]),
                 ([2, 1, 4], [1, 3, 1]), ([0, 3], [3]), ([2, 3], [])]

UNARY = {
    "neg": (lambda x: -x, {}),
    "exp": (torch.exp, {}),
    "log": (torch.log, dict(low=0.1, high=3)),
    "sin": (torch.sin, {}),
    "cos": (torch.cos, {}),
    "tanh": (torch.tanh, dict(low=-4, high=4)),
    "sigmoid": (torch.sigmoid, dict(low=-6, high=6)),
    "relu": (torch.relu, dict(avoid=[0])),
    "gelu": (F.gelu, dict(low=-4, high=4)),
    "elu": (F.elu, dict(avoid=[0])),
    "sqrt": (torch.sqrt, dict(low=0.1, high=4)),
    "square": (torch.square, {}),
    "abs": (torch.abs, dict(avoid=[0])),
    "clamp": (lambda x: torch.clamp(x, -0.5, 0.7), dict(avoid=[-0.5, 0.7])),
    "pow_scalar": (lambda x: torch.pow(x, 2.5), dict(low=0.2, high=2)),
    "add_scalar": (lambda x: x + 1.5, {}),
    "rsub_scalar": (lambda x: 2 - x, {}),
    "mul_scalar": (lambda x: x * -3, {}),
    "div_scalar": (lambda x: x / 4, {}),
    "rdiv_scalar": (lambda x: 3 / x, dict(avoid=[0], margin=0.3)),
}

BINARY = {
    "add": (torch.add, {}, {}),
    "sub": (torch.sub, {}, {}),
    "mul": (torch.mul, {}, {}),
    "div": (torch.div, {}, dict(avoid=[0], margin=0.3)),
    "pow": (torch.pow, dict(low=0.2, high=2), dict(low=-1.5, high=1.5)),
    "maximum": (torch.maximum, "spaced", "spaced"),
    "minimum": (torch.minimum, "spaced", "spaced"),
    "atan2": (torch.atan2, dict(avoid=[0], margin=0.3), dict(avoid=[0], margin=0.3)),
}

ND = [2, 3, 5]
OTHER = {
    # name: (function, [input makers])
    "sum_axis1": (lambda x: x.sum(1), [lambda: sample(ND)]),
    "sum_axes02_keep": (lambda x: x.sum((0, 2), keepdim=True), [lambda: sample(ND)]),
    "sum_all": (lambda x: x.sum(), [lambda: sample(ND)]),
    "sum_empty_axis": (lambda x: x.sum(1), [lambda: sample([2, 0, 3])]),
    "mean_axis_last": (lambda x: x.mean(-1), [lambda: sample(ND)]),
    "mean_all": (lambda x: x.mean(), [lambda: sample(ND)]),
    "var_axis1": (lambda x: x.var(1), [lambda: sample(ND)]),
    "max_axis1": (lambda x: x.max(1).values, [lambda: spaced(ND)]),
    "min_axis2_keep": (lambda x: x.min(2, keepdim=True).values, [lambda: spaced(ND)]),
    "max_all": (lambda x: x.max(), [lambda: spaced(ND)]),
    "argmax_axis0": (lambda x: x.argmax(0).float(), [lambda: spaced(ND)]),
    "logsumexp_axis1": (lambda x: x.logsumexp(1), [lambda: sample(ND, -5, 5)]),
    "logsumexp_last_keep": (lambda x: x.logsumexp(-1, keepdim=True), [lambda: sample([4, 37], -5, 5)]),
    "softmax_last": (lambda x: x.softmax(-1), [lambda: sample([3, 37], -5, 5)]),
    "softmax_axis1": (lambda x: x.softmax(1), [lambda: sample(ND, -5, 5)]),
    "softmax_large": (lambda x: x.softmax(-1), [lambda: sample([2, 5], 80, 100)]),
    "log_softmax_last": (lambda x: x.log_softmax(-1), [lambda: sample([3, 20], -5, 5)]),
    "log_softmax_axis0": (lambda x: x.log_softmax(0), [lambda: sample(ND, -5, 5)]),
    "reshape": (lambda x: x.reshape(5, 6), [lambda: sample(ND)]),
    "permute_201": (lambda x: x.permute(2, 0, 1), [lambda: sample(ND)]),
    "transpose_last_two": (lambda x: x.transpose(-2, -1), [lambda: sample([2, 33, 40])]),
    "expand": (lambda x: x.expand(2, 3, 4), [lambda: sample([3, 1])]),
    "slice_axis2": (lambda x: x[:, :, 1:5:2], [lambda: sample(ND)]),
    "slice_negative": (lambda x: x[:, -2:], [lambda: sample(ND)]),
    "pad_constant": (lambda x: F.pad(x, (2, 1), value=0.5), [lambda: sample(ND)]),
    "pad_constant_2d": (lambda x: F.pad(x, (1, 2, 0, 1)), [lambda: sample(ND)]),
    "pad_reflect": (lambda x: F.pad(x, (3, 2), mode="reflect"), [lambda: sample([2, 3, 6])]),
    "pad_replicate": (lambda x: F.pad(x, (2, 3), mode="replicate"), [lambda: sample(ND)]),
    "pad_circular": (lambda x: F.pad(x, (2, 3), mode="circular"), [lambda: sample(ND)]),
    "cat_axis1": (lambda a, b: torch.cat([a, b], 1), [lambda: sample(ND), lambda: sample([2, 1, 5])]),
    "cat_empty": (lambda a, b: torch.cat([a, b], -1), [lambda: sample([2, 0]), lambda: sample([2, 3])]),
    "stack_axis1": (lambda a, b: torch.stack([a, b], 1), [lambda: sample([2, 4]), lambda: sample([2, 4])]),
    "index_select_axis1": (lambda x: x.index_select(1, torch.tensor([2, 0, 2, 1])), [lambda: sample(ND)]),
    "gather_axis1": (lambda x: torch.gather(x, 1, torch.tensor([[[2, 0], [1, 1]], [[0, 2], [2, 2]]])),
                     [lambda: sample(ND)]),
    "repeat_tile": (lambda x: x.repeat(2, 1, 3), [lambda: sample([2, 3])]),
    "repeat_interleave": (lambda x: x.repeat_interleave(3, dim=1), [lambda: sample([2, 3])]),
    "flip_axes02": (lambda x: x.flip((0, 2)), [lambda: sample(ND)]),
    "cumsum_axis1": (lambda x: x.cumsum(1), [lambda: sample(ND)]),
    "cumsum_last": (lambda x: x.cumsum(-1), [lambda: sample([2, 50])]),
    "interpolate_up": (lambda x: F.interpolate(x, size=13, mode="linear", align_corners=False), [lambda: sample([2, 3, 5])]),
    "interpolate_down": (lambda x: F.interpolate(x, size=4, mode="linear", align_corners=False), [lambda: sample([1, 2, 11])]),
    "interpolate_up_corners": (lambda x: F.interpolate(x, size=13, mode="linear", align_corners=True), [lambda: sample([2, 3, 5])]),
    "interpolate_down_corners": (lambda x: F.interpolate(x, size=4, mode="linear", align_corners=True), [lambda: sample([1, 2, 11])]),
    "snake": (lambda x, a: x + (a[None, :, None] + 1e-9).reciprocal() * torch.sin(a[None, :, None] * x) ** 2,
              [lambda: sample([2, 3, 17]), lambda: sample([3], 0.3, 2)]),
    "where": (lambda c, a, b: torch.where(c > 0, a, b),
              [lambda: (rng.uniform(size=[2, 3, 1]) > 0.5).astype(np.float32), lambda: sample([3, 4]), lambda: sample([4])]),
}
NON_DIFFERENTIABLE_INPUTS = {"where": [0]}
NO_GRADIENT = {"argmax_axis0"}

tensors = {}


def put(name, array):
    a = np.asarray(array, dtype=np.float32)
    tensors[name] = {"shape": list(a.shape),
                     "values": [float(np.format_float_positional(v, unique=True, trim="-")) for v in a.reshape(-1)]}


def record(case, function, arrays, differentiable=True, frozen=()):
    inputs = [torch.tensor(a, requires_grad=differentiable and i not in frozen) for i, a in enumerate(arrays)]
    output = function(*inputs)
    for i, a in enumerate(arrays):
        put(f"{case}/input{i}", a)
    put(f"{case}/output", output.detach().numpy())
    if differentiable and output.numel() > 0:
        cotangent = torch.tensor(rng.normal(size=output.shape).astype(np.float32))
        grads = torch.autograd.grad(output, [t for t in inputs if t.requires_grad], cotangent, allow_unused=True)
        put(f"{case}/cotangent", cotangent.numpy())
        grads = iter(grads)
        for i, t in enumerate(inputs):
            if t.requires_grad:
                g = next(grads)
                put(f"{case}/grad{i}", np.zeros(arrays[i].shape) if g is None else g.numpy())


def make(spec, shape):
    return spaced(shape) if spec == "spaced" else sample(shape, **spec)


for name, (function, spec) in UNARY.items():
    for k, shape in enumerate(UNARY_SHAPES):
        record(f"{name}#{k}", function, [sample(shape, **spec)])
for name, (function, spec_a, spec_b) in BINARY.items():
    for k, (sa, sb) in enumerate(BINARY_SHAPES):
        record(f"{name}#{k}", function, [make(spec_a, sa), make(spec_b, sb)])
for name, (function, makers) in OTHER.items():
    record(f"{name}#0", function, [m() for m in makers], differentiable=name not in NO_GRADIENT,
           frozen=NON_DIFFERENTIABLE_INPUTS.get(name, ()))

document = {"format": "harp-json-tensors", "version": 1, "tensors": tensors}
OUT.write_text(json.dumps(document, separators=(",", ":"), sort_keys=True))
print(f"wrote {len(tensors)} tensors, {OUT.stat().st_size // 1024} KB to {OUT}")
