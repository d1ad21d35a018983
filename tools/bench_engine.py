"""PyTorch side of `harp bench engine`: the same cases, shapes and timing protocol as
Sources/HarpBenchmarks, with torch.set_num_threads(THREADS).

Usage: python tools/bench_engine.py [--threads 2] [--repeats N] [--filter SUBSTRING]
Prints one JSON object: {"torch_version", "threads", "cases": {name: {"seconds", "repeats",
"peak_memory"?}}}; progress goes to stderr. Seconds are per operation (median of n timed runs
after one warm-up run; n = ceil(0.75 s / first timed run) clamped to 3..200 unless --repeats).
"""
import argparse
import json
import math
import sys
import time

import torch

TARGET_SECONDS = 0.75
REPEAT_RANGE = (3, 200)


def median_seconds(work, repeats):
    work()
    first = timed(work)
    if repeats is None:
        wanted = math.ceil(TARGET_SECONDS / max(first, 1e-9))
        repeats = min(max(wanted, REPEAT_RANGE[0]), REPEAT_RANGE[1])
    samples = sorted([first] + [timed(work) for _ in range(max(1, repeats) - 1)])
    return samples[len(samples) // 2], len(samples)


def timed(work):
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def status_bytes(key):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key):
                return int(line.split()[1]) * 1024
    return None


def peak_memory(work):
    """Peak RSS of one run: VmHWM after resetting it through clear_refs (as PeakMemory.swift)."""
    before = status_bytes("VmRSS:") or 0
    result = lambda peak, method: {"rss_before_bytes": before, "peak_rss_bytes": peak,
                                   "added_bytes": peak - before, "method": method}
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
        work()
        return result(status_bytes("VmHWM:"), "VmHWM after clear_refs")
    except OSError:
        import resource
        work()
        return result(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, "ru_maxrss (process lifetime)")


def generator(seed):
    return torch.Generator().manual_seed(seed)


# Each case: (name, operations per run, measures peak memory, prepare) where prepare() returns the work.

def matmul(n):
    def prepare():
        g = generator(1)
        a, b = torch.randn(n, n, generator=g), torch.randn(n, n, generator=g)

        def work():
            with torch.no_grad():
                a @ b
        return work
    return (f"matmul {n}²", 1, False, prepare)


def convolution(name, shape, out_channels, kernel_size, stride, padding, transposed=False):
    def prepare():
        g = generator(3 if transposed else 2)
        in_channels = shape[1]
        x = torch.randn(*shape, generator=g).requires_grad_()
        weight_shape = (in_channels, out_channels, kernel_size) if transposed else (out_channels, in_channels, kernel_size)
        weight = (torch.randn(*weight_shape, generator=g) / math.sqrt(in_channels * kernel_size)).requires_grad_()
        bias = torch.zeros(out_channels, requires_grad=True)
        op = torch.nn.functional.conv_transpose1d if transposed else torch.nn.functional.conv1d

        def forward():
            return op(x, weight, bias, stride=stride, padding=padding)
        with torch.no_grad():
            upstream = torch.randn(*forward().shape, generator=g)

        def work():
            x.grad = weight.grad = bias.grad = None
            forward().backward(upstream)
        return work
    return (name, 1, False, prepare)


def elementwise_chain():
    def prepare():
        g = generator(4)
        n = 1 << 24
        a, b, c = (torch.randn(n, generator=g) for _ in range(3))

        def work():
            with torch.no_grad():
                (a * b + c).tanh()
        return work
    return ("elementwise (a*b+c).tanh() 16M", 1, False, prepare)


def elementwise_sigmoid():
    def prepare():
        a = torch.randn(1 << 24, generator=generator(5))

        def work():
            with torch.no_grad():
                a.sigmoid()
        return work
    return ("elementwise sigmoid 16M", 1, False, prepare)


def softmax():
    def prepare():
        logits = torch.randn(4096, 4096, generator=generator(6))

        def work():
            with torch.no_grad():
                logits.softmax(-1)
        return work
    return ("softmax [4096,4096] last axis", 1, False, prepare)


def layer_norm():
    def prepare():
        g = generator(7)
        layer = torch.nn.LayerNorm(512)
        x = torch.randn(64, 1024, 512, generator=g).requires_grad_()
        upstream = torch.randn(64, 1024, 512, generator=g)

        def work():
            x.grad = layer.weight.grad = layer.bias.grad = None
            layer(x).backward(upstream)
        return work
    return ("layernorm [64,1024,512] last axis fwd+bwd", 1, False, prepare)


def rfft():
    def prepare():
        signal = torch.randn(32, 1 << 18, generator=generator(8))

        def work():
            with torch.no_grad():
                torch.fft.rfft(signal)
        return work
    return ("rfft 32×2^18", 1, False, prepare)


def irfft():
    def prepare():
        spectrum = torch.fft.rfft(torch.randn(32, 1 << 18, generator=generator(9)))

        def work():
            with torch.no_grad():
                torch.fft.irfft(spectrum, n=1 << 18)
        return work
    return ("irfft 32×2^18", 1, False, prepare)


def stft():
    def prepare():
        signal = torch.randn(1, 1 << 17, generator=generator(10)).requires_grad_()
        window = torch.hann_window(2048)

        def work():
            signal.grad = None
            spectrum = torch.stft(signal, 2048, hop_length=256, window=window, center=True,
                                  pad_mode="reflect", return_complex=True)
            spectrum.abs().sum().backward()
        return work
    return ("stft 2048/256 of 2^17 |X| sum fwd+bwd", 1, True, prepare)


def adam():
    def prepare():
        g = generator(11)
        parameters = [torch.randn(1_000_000, generator=g).requires_grad_() for _ in range(10)]
        for parameter in parameters:
            parameter.grad = torch.randn(1_000_000, generator=g) * 1e-2
        optimizer = torch.optim.Adam(parameters, lr=1e-3)
        return optimizer.step
    return ("adam step 10×1M", 1, False, prepare)


ADDS_PER_RUN = 10_000


def tiny_add(recording):
    def prepare():
        a = torch.tensor([1.0, 2, 3, 4], requires_grad=recording)
        b = torch.tensor([5.0, 6, 7, 8])

        def work():
            for _ in range(ADDS_PER_RUN):
                a + b
        return work
    name = "tiny add [4] per op, recording gradients" if recording else "tiny add [4] per op"
    return (name, ADDS_PER_RUN, False, prepare)


CASES = [
    matmul(512), matmul(2048),
    convolution("conv1d [4,64,16384] k7 64→64 fwd+bwd", (4, 64, 16384), 64, 7, 1, 3),
    convolution("conv1d [1,512,2048] k3 512→512 fwd+bwd", (1, 512, 2048), 512, 3, 1, 1),
    convolution("conv1d [4,64,16384] k8 s4 64→128 fwd+bwd", (4, 64, 16384), 128, 8, 4, 2),
    convolution("convT1d [4,128,4096] k8 s4 128→64 fwd+bwd", (4, 128, 4096), 64, 8, 4, 2, transposed=True),
    elementwise_chain(), elementwise_sigmoid(),
    softmax(), layer_norm(),
    rfft(), irfft(),
    stft(),
    adam(),
    tiny_add(False), tiny_add(True),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--filter", default=None)
    arguments = parser.parse_args()
    torch.set_num_threads(arguments.threads)
    cases = {}
    # Cases whose memory is measured run first, before the allocator caches pages from others.
    ordered = [case for case in CASES if case[2]] + [case for case in CASES if not case[2]]
    for name, operations, measures_memory, prepare in ordered:
        if arguments.filter is not None and arguments.filter not in name:
            continue
        # Peak memory covers preparing the inputs and the first run (as EngineBenchmark.swift).
        prepared = []
        memory = peak_memory(lambda: prepared.append(prepare()) or prepared[0]()) if measures_memory else None
        work = prepared[0] if prepared else prepare()
        seconds, repeats = median_seconds(work, arguments.repeats)
        figures = {"seconds": seconds / operations, "repeats": repeats}
        if memory is not None:
            figures["peak_memory"] = memory
        cases[name] = figures
        print(f"torch {name}: {seconds / operations:.4g} s", file=sys.stderr, flush=True)
        del work, prepared
    print(json.dumps({"torch_version": torch.__version__, "threads": torch.get_num_threads(), "cases": cases},
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
