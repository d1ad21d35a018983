#!/usr/bin/env python3
"""Writes Tests/HarpNNTests/Fixtures/layers_cases.safetensors: PyTorch's forward values and
gradients of HarpNN's layers at tiny configurations, for the Swift parity tests (which never need
Python).

For each case `<case>` (a layer built with a fixed seed), the file holds:
  <case>/state/<key>         the layer's state_dict (PyTorch's names; what Harp's loader reads)
  <case>/input/<name>        the inputs (integer indices and boolean masks stored as 0/1 floats)
  <case>/output/<name>       the outputs
  <case>/cotangent/<name>    a fixed random weight per output
  <case>/grad/input/<name>   d/d(input) of L = sum_k sum(cotangent_k * output_k)
  <case>/grad/state/<key>    d/d(parameter) of the same L, for every parameter
All float32. The configurations are repeated in the Swift tests (Tests/HarpNNTests/Layers), whose
strict `load(stateDict:)` fails if a name or shape disagrees.

Run: /work/venv/bin/python tools/make_layer_fixtures.py
"""
import pathlib
import warnings

import torch
import torch.nn as nn
from safetensors.torch import save_file

OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests/HarpNNTests/Fixtures/layers_cases.safetensors"
tensors = {}


def randomise_affine(module):
    """Norm layers start at ones/zeros; perturb so their gradients and effects are tested."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            p.copy_(torch.empty_like(p).uniform_(0.5, 1.5) if name.endswith("weight") else torch.randn_like(p) * 0.3)


def record(case, module, inputs, forward, differentiable=None, extra_inputs=None):
    """Runs `forward(module, **inputs)` -> dict of outputs and stores everything for `case`.

    `differentiable` names the inputs whose gradients are recorded (default: all of `inputs`);
    `extra_inputs` are stored but not differentiated (indices, masks).
    """
    differentiable = list(inputs) if differentiable is None else differentiable
    for key, value in module.state_dict().items():
        tensors[f"{case}/state/{key}"] = value.detach().clone()
    leaves = {k: v.detach().clone().requires_grad_(k in differentiable) for k, v in inputs.items()}
    extra_inputs = extra_inputs or {}
    outputs = forward(module, **leaves, **extra_inputs)
    loss = 0
    for name, value in outputs.items():
        cotangent = torch.randn_like(value)
        tensors[f"{case}/output/{name}"] = value.detach().clone()
        tensors[f"{case}/cotangent/{name}"] = cotangent
        loss = loss + (value * cotangent).sum()
    loss.backward()
    for name, value in leaves.items():
        tensors[f"{case}/input/{name}"] = value.detach().clone()
        if name in differentiable:
            tensors[f"{case}/grad/input/{name}"] = value.grad.detach().clone()
    for name, value in extra_inputs.items():
        tensors[f"{case}/input/{name}"] = value.detach().clone().float()
    for name, p in module.named_parameters():
        tensors[f"{case}/grad/state/{name}"] = p.grad.detach().clone()


def main():
    warnings.filterwarnings("ignore", category=FutureWarning)   # torch.nn.utils.weight_norm
    weight_norm = torch.nn.utils.weight_norm

    torch.manual_seed(1)
    record("linear", nn.Linear(5, 3), {"x": torch.randn(2, 4, 5)}, single_x)

    torch.manual_seed(2)
    record("conv1d", nn.Conv1d(4, 6, 3, stride=2, padding=2, dilation=2, groups=2),
           {"x": torch.randn(2, 4, 11)}, single_x)
    torch.manual_seed(3)
    record("conv1d_reflect", nn.Conv1d(3, 4, 5, padding=2, padding_mode="reflect"),
           {"x": torch.randn(2, 3, 9)}, single_x)
    torch.manual_seed(4)
    record("conv1d_replicate", nn.Conv1d(3, 2, 3, stride=2, padding=1, padding_mode="replicate", bias=False),
           {"x": torch.randn(1, 3, 8)}, single_x)
    torch.manual_seed(5)
    record("conv_transpose1d", nn.ConvTranspose1d(4, 6, 4, stride=2, padding=1, output_padding=1, groups=2),
           {"x": torch.randn(2, 4, 6)}, single_x)

    torch.manual_seed(6)
    record("weight_norm_conv1d", weight_norm(nn.Conv1d(3, 4, 3, padding=1)), {"x": torch.randn(2, 3, 8)}, single_x)
    torch.manual_seed(7)
    record("weight_norm_conv_transpose1d", weight_norm(nn.ConvTranspose1d(4, 3, 4, stride=2, padding=1)),
           {"x": torch.randn(2, 4, 5)}, single_x)
    torch.manual_seed(8)
    record("weight_norm_linear", weight_norm(nn.Linear(5, 3)), {"x": torch.randn(3, 5)}, single_x)

    torch.manual_seed(9)
    layer_norm = nn.LayerNorm(6)
    randomise_affine(layer_norm)
    record("layer_norm", layer_norm, {"x": torch.randn(2, 3, 6) * 2 + 0.5}, single_x)
    torch.manual_seed(10)
    group_norm = nn.GroupNorm(2, 6)
    randomise_affine(group_norm)
    record("group_norm", group_norm, {"x": torch.randn(2, 6, 5) * 2 + 0.5}, single_x)
    torch.manual_seed(11)
    rms_norm = nn.RMSNorm(6)
    randomise_affine(rms_norm)
    record("rms_norm", rms_norm, {"x": torch.randn(2, 3, 6)}, single_x)

    torch.manual_seed(12)
    record("embedding", nn.Embedding(7, 4), {}, lambda m, indices: {"output": m(indices)},
           extra_inputs={"indices": torch.tensor([[1, 3, 3], [0, 6, 2]])})

    torch.manual_seed(13)
    attention = nn.MultiheadAttention(8, 2, batch_first=True)
    randomise_biases(attention)
    causal = nn.Transformer.generate_square_subsequent_mask(5)
    record("mha_self_causal", attention, {"x": torch.randn(2, 5, 8)},
           lambda m, x: dict(zip(["output", "weights"], m(x, x, x, attn_mask=causal))))
    torch.manual_seed(14)
    attention = nn.MultiheadAttention(8, 4)
    randomise_biases(attention)
    padding = torch.tensor([[False, False, False, False, True, True], [False, False, False, False, False, True]])
    record("mha_cross_padding", attention,
           {"query": torch.randn(4, 2, 8), "key": torch.randn(6, 2, 8), "value": torch.randn(6, 2, 8)},
           lambda m, query, key, value, key_padding_mask: dict(
               zip(["output", "weights"], m(query, key, value, key_padding_mask=key_padding_mask))),
           extra_inputs={"key_padding_mask": padding})

    torch.manual_seed(15)
    record("lstm_one_layer", nn.LSTM(3, 4, batch_first=True), {"x": torch.randn(2, 5, 3)},
           lambda m, x: lstm_outputs(m(x)))
    torch.manual_seed(16)
    record("lstm_two_layers", nn.LSTM(3, 4, num_layers=2), {"x": torch.randn(5, 2, 3), "h0": torch.randn(2, 2, 4),
                                                            "c0": torch.randn(2, 2, 4)},
           lambda m, x, h0, c0: lstm_outputs(m(x, (h0, c0))))

    torch.manual_seed(17)
    losses = nn.Module()   # no parameters: the losses are functions
    record("loss_mse", losses, {"prediction": torch.randn(3, 4), "target": torch.randn(3, 4)},
           lambda m, prediction, target: {"output": nn.functional.mse_loss(prediction, target)})
    record("loss_l1", losses, {"prediction": torch.randn(3, 4), "target": torch.randn(3, 4)},
           lambda m, prediction, target: {"output": nn.functional.l1_loss(prediction, target)})
    record("loss_cross_entropy", losses, {"logits": torch.randn(4, 5)},
           lambda m, logits, targets: {"output": nn.functional.cross_entropy(logits, targets)},
           extra_inputs={"targets": torch.tensor([0, 4, 2, 2])})

    torch.manual_seed(18)
    record("conv2d", nn.Conv2d(4, 6, (3, 5), stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2),
           {"x": torch.randn(2, 4, 7, 12)}, single_x)
    torch.manual_seed(19)
    record("conv2d_plain", nn.Conv2d(2, 3, (3, 9), stride=(1, 2), padding=(1, 4), bias=False),
           {"x": torch.randn(1, 2, 6, 20)}, single_x)
    torch.manual_seed(20)
    record("weight_norm_conv2d", weight_norm(nn.Conv2d(3, 4, (3, 3), padding=(1, 1))),
           {"x": torch.randn(2, 3, 5, 6)}, single_x)

    save_file({k: v.contiguous().float() for k, v in tensors.items()}, str(OUT),
              metadata={"format": "harp-layer-fixtures", "version": "1", "torch": torch.__version__})
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(tensors)} tensors)")


def single_x(module, x):
    return {"output": module(x)}


def randomise_biases(attention):
    """PyTorch zeroes the attention biases at initialisation; make them non-zero so they are tested."""
    with torch.no_grad():
        attention.in_proj_bias.normal_(0, 0.3)
        attention.out_proj.bias.normal_(0, 0.3)


def lstm_outputs(result):
    output, (hidden, cell) = result
    return {"output": output, "hidden": hidden, "cell": cell}


if __name__ == "__main__":
    main()
