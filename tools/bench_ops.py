"""PyTorch side of tools/bench_ops.sh: the same measurements, 2 threads, median ms."""
import json
import time

import torch

torch.set_num_threads(2)


def median(repetitions, body):
    body()
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        body()
        times.append((time.perf_counter() - start) * 1e3)
    return sorted(times)[len(times) // 2]


def report(name, ms):
    print(json.dumps({"name": name, "torch_ms": round(ms, 4)}))


torch.manual_seed(1)
n = 1 << 24
a, b, c = torch.randn(n), torch.randn(n), torch.randn(n)
with torch.no_grad():
    report("chain (a*b+c).tanh() 16M", median(7, lambda: (a * b + c).tanh()))
    report("exp 16M", median(7, lambda: a.exp()))
    report("sigmoid 16M", median(7, lambda: a.sigmoid()))
    report("add 16M", median(7, lambda: a + b))
    report("sum 16M", median(7, lambda: a.sum()))
    logits = torch.randn(4096, 4096)
    report("softmax [4096,4096] last axis", median(7, lambda: logits.softmax(-1)))
    report("transpose [4096,4096]", median(5, lambda: logits.t().contiguous()))
    tiny, tiny2 = torch.tensor([1.0, 2, 3, 4]), torch.tensor([5.0, 6, 7, 8])
    iterations = 200_000

    def loop():
        for _ in range(iterations):
            tiny + tiny2
    print(json.dumps({"name": "tiny add (4 values), per op", "torch_us": round(median(5, loop) / iterations * 1e3, 3)}))
leaf = torch.tensor([1.0, 2, 3, 4], requires_grad=True)


def recorded():
    for _ in range(iterations):
        leaf + tiny2
print(json.dumps({"name": "tiny add recorded (requires grad), per op", "torch_us": round(median(5, recorded) / iterations * 1e3, 3)}))
