#!/usr/bin/env python3
"""Writes Tests/HarpCodecTests/Fixtures/rvq_training.safetensors: one training step of residual
vector quantisation with EMA codebooks, in PyTorch, for HarpCodec's parity test.

Re-created from facebookresearch/encodec `encodec/quantization/core_vq.py` (EuclideanCodebook with
an initialised codebook and no dead-code restart, VectorQuantization's straight-through estimator
and commitment loss `mse(q.detach(), x)`, ResidualVectorQuantization's residual loop; the
commitment loss is averaged over stages as `ResidualVectorQuantizer` does).

Stored: state/layers.{q}.codebook.{inited,cluster_size,embed,embed_avg} before the step, input/x
[2, 4, 7], input/cotangent, output/codes [2, 3, 7], output/quantized, output/commitment,
after/layers.{q}.codebook.{cluster_size,embed,embed_avg}, grad/x of sum(cotangent·quantized) + commitment.

Run: /work/venv/bin/python tools/codec/make_quantizer_fixtures.py
"""
import pathlib

import torch
import torch.nn.functional as F
from safetensors.torch import save_file

OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests/HarpCodecTests/Fixtures/rvq_training.safetensors"
K, D, STAGES, DECAY, EPS = 8, 4, 3, 0.9, 1e-5


def main():
    torch.manual_seed(3)
    books = []
    tensors = {}
    for q in range(STAGES):
        embed = torch.randn(K, D) * (0.5 ** q)
        size = torch.rand(K) * 3 + 0.5
        book = {"inited": torch.ones(1), "cluster_size": size, "embed": embed, "embed_avg": embed * size[:, None]}
        for name, value in book.items():
            tensors[f"state/layers.{q}.codebook.{name}"] = value.clone()
        books.append(book)
    x = torch.randn(2, D, 7).requires_grad_(True)
    cotangent = torch.randn(2, D, 7)

    residual, quantized_out, losses, codes = x, torch.zeros_like(x), [], []
    for book in books:
        flat = residual.permute(0, 2, 1).reshape(-1, D)
        dist = -(flat.pow(2).sum(1, keepdim=True) - 2 * flat @ book["embed"].t() + book["embed"].pow(2).sum(1)[None])
        index = dist.max(dim=-1).indices
        chosen = F.embedding(index, book["embed"]).reshape(2, 7, D).permute(0, 2, 1)
        onehot = F.one_hot(index, K).float()
        with torch.no_grad():
            book["cluster_size"] = book["cluster_size"] * DECAY + onehot.sum(0) * (1 - DECAY)
            book["embed_avg"] = book["embed_avg"] * DECAY + (flat.t() @ onehot).t() * (1 - DECAY)
            n = book["cluster_size"].sum()
            smoothed = (book["cluster_size"] + EPS) / (n + K * EPS) * n
            book["embed"] = book["embed_avg"] / smoothed[:, None]
        losses.append(F.mse_loss(chosen.detach(), residual))
        straight = residual + (chosen - residual).detach()
        quantized_out = quantized_out + straight
        residual = residual - straight
        codes.append(index.reshape(2, 7))
    commitment = torch.stack(losses).mean()
    (quantized_out * cotangent).sum().add(commitment).backward()

    tensors["input/x"], tensors["input/cotangent"] = x.detach().clone(), cotangent
    tensors["output/codes"] = torch.stack(codes, dim=1).float()
    tensors["output/quantized"] = quantized_out.detach()
    tensors["output/commitment"] = commitment.detach().reshape(1)
    tensors["grad/x"] = x.grad.clone()
    for q, book in enumerate(books):
        for name in ("cluster_size", "embed", "embed_avg"):
            tensors[f"after/layers.{q}.codebook.{name}"] = book[name].clone()
    save_file({k: v.contiguous().float() for k, v in tensors.items()}, str(OUT),
              metadata={"format": "harp-rvq-fixture", "torch": torch.__version__})
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
