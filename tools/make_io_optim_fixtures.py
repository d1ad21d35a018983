#!/usr/bin/env python3
"""Fixtures for Harp's tensor file IO and optimiser tests, and the Python side of parity checks.

    python tools/make_io_optim_fixtures.py make          # (re)write the committed fixtures
    python tools/make_io_optim_fixtures.py check DIR     # verify files Harp wrote into DIR
    python tools/make_io_optim_fixtures.py bench-adam    # time torch.optim.Adam on 10 x 1M parameters

`check` reads DIR/harp_written.npy and DIR/harp_written.safetensors, which the Swift test
`writtenFilesForPythonCheck` writes when HARP_IO_EXPORT_DIR=DIR is set, and checks their values.
Needs numpy, torch and safetensors (the repository's venv). Tests never run this script.
"""
import json
import math
import os
import sys
import time

import numpy as np
import torch
from safetensors.numpy import load_file as load_numpy_safetensors, safe_open
from safetensors.torch import save_file as save_torch_safetensors

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TENSOR_FIXTURES = os.path.join(ROOT, "Tests", "HarpTensorTests", "Fixtures")
OPTIM_FIXTURES = os.path.join(ROOT, "Tests", "HarpOptimTests", "Fixtures")


def floats(array):
    """Float32 values as a flat list of Python floats (exact: every float32 is a double)."""
    return [float(x) for x in np.asarray(array, dtype=np.float32).reshape(-1)]


def make_npy():
    rng = np.random.default_rng(7)
    arrays = {
        "io_f4.npy": (np.arange(24, dtype=np.float32).reshape(2, 3, 4) * 0.25 - 1),
        "io_f8.npy": rng.standard_normal(5),
        "io_f2.npy": np.array([0.5, -2.0, 65504.0, 6e-8, 0.0, -0.0], dtype=np.float16),
        "io_i4.npy": np.array([[-3, 0], [7, 2**20]], dtype=np.int32),
        "io_i8.npy": np.array([-5, 9, 2**40], dtype=np.int64),
        "io_u1.npy": np.array([0, 1, 128, 255], dtype=np.uint8),
        "io_scalar.npy": np.array(3.5, dtype=np.float32),
        "io_empty.npy": np.zeros((0, 3), dtype=np.float32),
    }
    expected = {}
    for name, array in arrays.items():
        np.save(os.path.join(TENSOR_FIXTURES, name), array)
        expected[name] = {"shape": list(array.shape), "values": floats(array)}
    versioned = np.arange(6, dtype=np.float32).reshape(3, 2)
    for version in [(2, 0), (3, 0)]:
        name = f"io_v{version[0]}.npy"
        with open(os.path.join(TENSOR_FIXTURES, name), "wb") as f:
            np.lib.format.write_array(f, versioned, version=version)
        expected[name] = {"shape": [3, 2], "values": floats(versioned)}
    np.save(os.path.join(TENSOR_FIXTURES, "io_fortran.npy"), np.asfortranarray(np.ones((2, 3), np.float32)))
    return expected


def make_safetensors():
    torch.manual_seed(0)
    tensors = {
        "encoder.weight": torch.randn(2, 3),
        "encoder.half": torch.randn(4).to(torch.float16),
        "decoder.brain": torch.randn(3).to(torch.bfloat16),
        "decoder.double": torch.randn(2, 2, dtype=torch.float64),
        "scalar": torch.tensor(1.25),
    }
    metadata = {"model": "fixture", "config": '{"channels": 3}'}
    save_torch_safetensors(tensors, os.path.join(TENSOR_FIXTURES, "io_mixed.safetensors"), metadata=metadata)
    expected = {name: {"shape": list(t.shape), "values": floats(t.float().numpy())} for name, t in tensors.items()}
    return {"io_mixed.safetensors": {"metadata": metadata, "tensors": expected}}


def adam_case(name, optimizer_class, steps=5, **options):
    torch.manual_seed(sum(name.encode()))  # stable across runs, unlike hash()
    shapes = [(3, 4), (5,)]
    initial = [torch.randn(*s) for s in shapes]
    params = [p.clone().requires_grad_(True) for p in initial]
    optimizer = optimizer_class(params, **options)
    grads, expected = [], []
    for _ in range(steps):
        step_grads = [torch.randn(*s) * 0.5 for s in shapes]
        for p, g in zip(params, step_grads):
            p.grad = g.clone()
        optimizer.step()
        grads.append([floats(g) for g in step_grads])
        expected.append([floats(p.detach()) for p in params])
    state = [optimizer.state[p] for p in params]
    return {
        "name": name,
        "optimizer": optimizer_class.__name__,
        "options": {k: (list(v) if isinstance(v, tuple) else v) for k, v in options.items()},
        "shapes": [list(s) for s in shapes],
        "initial": [floats(p) for p in initial],
        "grads": grads,
        "expected": expected,
        "final_exp_avg": [floats(s["exp_avg"]) for s in state],
        "final_exp_avg_sq": [floats(s["exp_avg_sq"]) for s in state],
    }


def make_adam():
    cases = [
        adam_case("adam_default", torch.optim.Adam, lr=0.01),
        adam_case("adam_l2", torch.optim.Adam, lr=0.02, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.1),
        adam_case("adam_amsgrad", torch.optim.Adam, lr=0.01, weight_decay=0.05, amsgrad=True),
        adam_case("adamw_default", torch.optim.AdamW, lr=0.01),
        adam_case("adamw_decay", torch.optim.AdamW, lr=0.03, betas=(0.85, 0.99), eps=1e-7, weight_decay=0.2),
        adam_case("adamw_amsgrad", torch.optim.AdamW, lr=0.01, weight_decay=0.1, amsgrad=True),
    ]
    with open(os.path.join(OPTIM_FIXTURES, "adam.json"), "w") as f:
        json.dump({"cases": cases}, f)


def schedule_values(make_scheduler, base_lr, steps):
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=base_lr)
    scheduler = make_scheduler(optimizer)
    values = []
    for _ in range(steps):
        values.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return values


def make_schedules():
    lr = 0.1
    sched = torch.optim.lr_scheduler
    cases = [
        {"kind": "cosine", "base": lr, "minimum": 0.001, "total": 20, "warmup": 0, "start_factor": 0,
         "values": schedule_values(lambda o: sched.CosineAnnealingLR(o, T_max=20, eta_min=0.001), lr, 25)},
        {"kind": "cosine", "base": lr, "minimum": 0.0, "total": 30, "warmup": 5, "start_factor": 0.1,
         "values": schedule_values(lambda o: sched.SequentialLR(o, [
             sched.LinearLR(o, start_factor=0.1, end_factor=1.0, total_iters=5),
             sched.CosineAnnealingLR(o, T_max=25, eta_min=0.0)], milestones=[5]), lr, 30)},
        {"kind": "linear", "base": lr, "minimum": 0, "total": 0, "warmup": 8, "start_factor": 0.25,
         "values": schedule_values(lambda o: sched.LinearLR(o, start_factor=0.25, total_iters=8), lr, 12)},
    ]
    with open(os.path.join(OPTIM_FIXTURES, "schedules.json"), "w") as f:
        json.dump({"cases": cases}, f)


def make_clipping():
    torch.manual_seed(3)
    shapes = [(4, 3), (6,), (2, 2)]
    grads = [torch.randn(*s) * 2 for s in shapes]
    cases = []
    for max_norm, norm_type in [(1.0, 2.0), (100.0, 2.0), (0.5, math.inf)]:
        params = [torch.zeros(*s, requires_grad=True) for s in shapes]
        for p, g in zip(params, grads):
            p.grad = g.clone()
        total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type=norm_type)
        cases.append({"kind": "norm", "max": max_norm, "norm_type": "inf" if math.isinf(norm_type) else norm_type,
                      "total_norm": float(total), "clipped": [floats(p.grad) for p in params]})
    params = [torch.zeros(*s, requires_grad=True) for s in shapes]
    for p, g in zip(params, grads):
        p.grad = g.clone()
    torch.nn.utils.clip_grad_value_(params, 1.5)
    cases.append({"kind": "value", "max": 1.5, "norm_type": 0, "total_norm": 0,
                  "clipped": [floats(p.grad) for p in params]})
    with open(os.path.join(OPTIM_FIXTURES, "clipping.json"), "w") as f:
        json.dump({"shapes": [list(s) for s in shapes], "grads": [floats(g) for g in grads], "cases": cases}, f)


def make():
    os.makedirs(TENSOR_FIXTURES, exist_ok=True)
    os.makedirs(OPTIM_FIXTURES, exist_ok=True)
    expected = {"npy": make_npy(), "safetensors": make_safetensors()}
    with open(os.path.join(TENSOR_FIXTURES, "io_expected.json"), "w") as f:
        json.dump(expected, f)
    make_adam()
    make_schedules()
    make_clipping()
    print("fixtures written")


def check(folder):
    """Files written by Harp must load in numpy/safetensors with the values the Swift test wrote."""
    expected = np.arange(24, dtype=np.float32).reshape(2, 3, 4) * 0.5
    array = np.load(os.path.join(folder, "harp_written.npy"))
    assert array.dtype == np.float32 and array.flags.c_contiguous, array.dtype
    np.testing.assert_array_equal(array, expected)
    path = os.path.join(folder, "harp_written.safetensors")
    tensors = load_numpy_safetensors(path)
    np.testing.assert_array_equal(tensors["block.weight"], expected)
    np.testing.assert_array_equal(tensors["block.bias"], np.array([1, -2, 3], dtype=np.float32))
    with safe_open(path, framework="numpy") as f:
        assert f.metadata() == {"format": "harp", "note": "quote \" and newline \n"}, f.metadata()
    with open(os.path.join(folder, "harp_written.safetensors"), "rb") as f:
        torch_tensors = safetensors_torch_load(f.read())
    assert torch.equal(torch_tensors["block.bias"], torch.tensor([1.0, -2.0, 3.0]))
    print("Harp-written .npy and safetensors files read correctly by numpy, safetensors and torch")


def safetensors_torch_load(data):
    from safetensors.torch import load
    return load(data)


def bench_adam(repeats=30):
    torch.set_num_threads(2)
    params = [torch.randn(1_000_000, requires_grad=True) for _ in range(10)]
    for p in params:
        p.grad = torch.randn(1_000_000)
    optimizer = torch.optim.Adam(params, lr=1e-3)  # foreach implementation by default
    for _ in range(5):
        optimizer.step()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        optimizer.step()
        times.append(time.perf_counter() - start)
    times.sort()
    print(json.dumps({"benchmark": "torch.optim.Adam step, 10 x 1M float32, 2 threads",
                      "median_ms": times[len(times) // 2] * 1000, "min_ms": times[0] * 1000,
                      "torch": torch.__version__}))


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "make"
    if command == "make":
        make()
    elif command == "check":
        check(sys.argv[2])
    elif command == "bench-adam":
        bench_adam()
    else:
        sys.exit(__doc__)
