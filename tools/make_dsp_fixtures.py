#!/usr/bin/env python3
"""Fixtures for HarpDSP's spectral code (STFT/iSTFT, mel, multi-resolution STFT loss, SI-SDR,
log-spectral distance), and the STFT speed comparison.

    /work/venv/bin/python tools/make_dsp_fixtures.py make         # writes Tests/HarpDSPTests/Fixtures/spectral_*.json
    /work/venv/bin/python tools/make_dsp_fixtures.py bench-stft   # Swift (release) then torch, same session

Format: harp-json-tensors v1 (see Sources/HarpTestSupport/JSONFixtures.swift). Each case has its
inputs, its output, and for differentiable cases a cotangent `w` and the gradients of
sum(w * output) with respect to each input ("grad_<name>"). References run in float64 (torch with
float64 tensors, librosa's float64 arithmetic), so the fixture is the exact answer rounded to
float32 and the Swift tolerance only has to cover Harp's own float32 rounding. `make` also prints how
far torch's float32 computation lands from the float64 one, the yardstick for those tolerances.
Tests never run this script. Needs torch, numpy, librosa, auraloss (the repository's venv).
"""
import json
import os
import subprocess
import sys
import time

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "HarpDSPTests", "Fixtures")
rng = np.random.default_rng(2024)


def floats(array):
    """Float32 values, each written with the shortest decimal that reads back as the same float32
    (exact zeros, most of a mel matrix, as the integer 0)."""
    return [0 if x == 0 else float(str(x)) for x in np.asarray(array, dtype=np.float32).reshape(-1)]


class Writer:
    def __init__(self):
        self.tensors = {}

    def add(self, name, array):
        array = array.detach().numpy() if isinstance(array, torch.Tensor) else np.asarray(array)
        self.tensors[name] = {"shape": list(array.shape), "values": floats(array)}

    def write(self, filename):
        path = os.path.join(FIXTURES, filename)
        with open(path, "w") as f:
            json.dump({"format": "harp-json-tensors", "version": 1, "tensors": self.tensors}, f, separators=(",", ":"))
        print(f"wrote {path} ({os.path.getsize(path) // 1024} KB, {len(self.tensors)} tensors)")


def signal(shape, scale=0.5):
    """float32-representable random values (so Swift sees exactly the fixture's input)."""
    return torch.tensor(rng.normal(0, scale, size=shape).astype(np.float32), dtype=torch.float64)


def cotangent_and_grads(output, inputs):
    w = torch.tensor(rng.normal(size=output.shape).astype(np.float32), dtype=torch.float64)
    grads = torch.autograd.grad((w * output).sum(), inputs)
    return w, grads


def worst_relative(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-30))


# -- STFT / iSTFT -------------------------------------------------------------------------------

STFT_CASES = [
    # name, signal shape, n_fft, hop, win_length, window kind, center, pad_mode, normalized, onesided
    ("hann_reflect", [2, 200], 64, 16, 48, "hann", True, "reflect", False, True),
    ("nocenter_normalized", [3, 120], 32, 8, 32, "hann", False, "reflect", True, True),
    ("mono_replicate_twosided", [100], 16, 4, 12, "hann", True, "replicate", False, False),
    ("odd_fft_rectangular", [2, 150], 31, 7, 25, "ones", True, "constant", False, True),
]


def make_window(kind, length):
    if kind == "hann":
        return torch.hann_window(length, dtype=torch.float64)
    if kind == "hamming":
        return torch.hamming_window(length, dtype=torch.float64)
    return torch.ones(length, dtype=torch.float64)


def make_stft(out):
    for name, shape, n_fft, hop, win, kind, center, pad_mode, normalized, onesided in STFT_CASES:
        x = signal(shape).requires_grad_(True)
        window = make_window(kind, win)
        y = torch.view_as_real(torch.stft(x, n_fft, hop, win, window, center=center, pad_mode=pad_mode,
                                          normalized=normalized, onesided=onesided, return_complex=True))
        w, (gx,) = cotangent_and_grads(y, [x])
        prefix = f"stft/{name}"
        out.add(f"{prefix}/signal", x)
        out.add(f"{prefix}/window", window)
        out.add(f"{prefix}/output", y)
        out.add(f"{prefix}/cotangent", w)
        out.add(f"{prefix}/grad_signal", gx)
        y32 = torch.view_as_real(torch.stft(x.detach().float(), n_fft, hop, win, window.float(), center=center,
                                            pad_mode=pad_mode, normalized=normalized, onesided=onesided,
                                            return_complex=True))
        print(f"  {prefix}: torch float32 vs float64 worst |Δ|/max = {worst_relative(y32, y.detach()):.1e}")


ISTFT_CASES = [
    # name, rows, samples, n_fft, hop, win_length, window kind, center, normalized, length
    ("hann_center", 2, 160, 64, 16, 48, "hann", True, False, None),
    ("hann_center_length_short", 2, 160, 64, 16, 64, "hann", True, False, 120),
    ("hann_center_length_long", 1, 160, 32, 8, 32, "hann", True, False, 190),
    # Without centring the envelope must not vanish at the ends: a Hamming window.
    ("hamming_nocenter_normalized", 2, 120, 32, 8, 32, "hamming", False, True, None),
]


def make_istft(out):
    for name, rows, samples, n_fft, hop, win, kind, center, normalized, length in ISTFT_CASES:
        window = make_window(kind, win)
        x = signal([rows, samples])
        spectrum = torch.view_as_real(torch.stft(x, n_fft, hop, win, window, center=center, normalized=normalized,
                                                 return_complex=True))
        # A spectrum that is not exactly an STFT, so the envelope normalisation matters.
        spectrum = (spectrum + 0.1 * signal(list(spectrum.shape), 1.0)).float().double()
        spectrum.requires_grad_(True)
        y = torch.istft(torch.view_as_complex(spectrum), n_fft, hop, win, window, center=center,
                        normalized=normalized, length=length)
        w, (gs,) = cotangent_and_grads(y, [spectrum])
        prefix = f"istft/{name}"
        out.add(f"{prefix}/spectrum", spectrum)
        out.add(f"{prefix}/window", window)
        out.add(f"{prefix}/output", y)
        out.add(f"{prefix}/cotangent", w)
        out.add(f"{prefix}/grad_spectrum", gs)


# -- Mel ----------------------------------------------------------------------------------------

MEL_CASES = [
    # name, sr, n_fft, n_mels, fmin, fmax, htk, norm
    ("librosa_defaults_22050", 22050, 1024, 128, 0.0, None, False, "slaney"),
    ("htk_16000", 16000, 512, 40, 20.0, 7600.0, True, "slaney"),
    ("slaney_unnormalized_44100", 44100, 1024, 64, 30.0, 16000.0, False, None),
    ("odd_fft_8000", 8000, 255, 20, 0.0, None, True, None),
]


def make_mel(out):
    import librosa
    for name, sr, n_fft, n_mels, fmin, fmax, htk, norm in MEL_CASES:
        fb = librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax, htk=htk, norm=norm,
                                 dtype=np.float64)
        out.add(f"mel/{name}/weights", fb)
    # A mel spectrogram: librosa's forward; the gradient by the same composition in torch (float64).
    sr, n_fft, hop, n_mels = 16000, 512, 128, 40
    x = signal([2, 2000])
    mel = librosa.feature.melspectrogram(y=x.numpy(), sr=sr, n_fft=n_fft, hop_length=hop, n_mels=n_mels,
                                         dtype=np.complex128)
    x.requires_grad_(True)
    fb = torch.tensor(librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, dtype=np.float64))
    spec = torch.stft(x, n_fft, hop, n_fft, torch.hann_window(n_fft, dtype=torch.float64), center=True,
                      pad_mode="constant", return_complex=True)
    y = fb @ spec.abs() ** 2
    print(f"  melspectrogram: librosa vs torch composite worst |Δ|/max = {worst_relative(y.detach(), mel):.1e}")
    w, (gx,) = cotangent_and_grads(y, [x])
    out.add("melspectrogram/signal", x)
    out.add("melspectrogram/output", mel)
    out.add("melspectrogram/cotangent", w)
    out.add("melspectrogram/grad_signal", gx)


# -- Losses and metrics -------------------------------------------------------------------------

def make_mrstft(out):
    """Two pairs. `mrstft/`: noise, batch of 2. Frame 0 of a centred reflect-padded STFT is an
    even-symmetric frame, so its spectrum is real up to a linear phase and crosses zero: a few bins
    sit near |X| ~ 1e-5·max, where the log term's gradient 1/|X| turns float32 rounding of the input
    (~1e-7) into 0.4% changes of the float64 gradient (printed below). `mrstft_conditioned/`: one
    row with a unit impulse ×20 at sample 0 of both signals, which lifts frame 0's spectrum away
    from zero, so float32 is accurate to ~1e-5 of the largest gradient and a tight test is fair."""
    import auraloss
    x = signal([2, 1, 1600])
    y = (0.6 * x + signal([2, 1, 1600], 0.3)).float().double()
    xc, yc = signal([1, 1, 1600]), None
    yc = (0.6 * xc + signal([1, 1, 1600], 0.3)).float().double()
    xc[..., 0] += 20
    yc[..., 0] += 20
    for prefix, x, y in [("mrstft", x, y), ("mrstft_conditioned", xc, yc)]:
        torch.set_default_dtype(torch.float64)   # auraloss makes its windows with the default dtype
        xi, yi = x.clone().requires_grad_(True), y.clone().requires_grad_(True)
        loss64 = auraloss.freq.MultiResolutionSTFTLoss()(xi, yi)
        gx, gy = torch.autograd.grad(loss64, [xi, yi])
        xp = (x + 1e-7 * torch.randn_like(x)).requires_grad_(True)
        gp, = torch.autograd.grad(auraloss.freq.MultiResolutionSTFTLoss()(xp, y), [xp])
        torch.set_default_dtype(torch.float32)
        x32, y32 = x.float().requires_grad_(True), y.float().requires_grad_(True)
        loss32 = auraloss.freq.MultiResolutionSTFTLoss()(x32, y32)
        gx32, gy32 = torch.autograd.grad(loss32, [x32, y32])
        print(f"  {prefix}: loss float64 {loss64.item():.8f}, float32 {loss32.item():.8f}; grad worst |Δ|/max: "
              f"torch float32 vs float64 {worst_relative(gx32, gx):.1e} (input), {worst_relative(gy32, gy):.1e} "
              f"(target); float64 with the input moved by 1e-7 rms {worst_relative(gp, gx):.1e}")
        out.add(f"{prefix}/input", x)
        out.add(f"{prefix}/target", y)
        out.add(f"{prefix}/loss", loss64.detach())
        out.add(f"{prefix}/grad_input", gx)
        out.add(f"{prefix}/grad_target", gy)


def make_metrics(out):
    import auraloss
    s = signal([3, 300]) + 0.2
    x = (0.7 * s + signal([3, 300], 0.2)).float().double()
    for zero_mean in (True, False):
        xi, si = x.clone().requires_grad_(True), s.clone().requires_grad_(True)
        value = -auraloss.time.SISDRLoss(zero_mean=zero_mean, reduction="none")(xi, si)
        w, (gx, gs) = cotangent_and_grads(value, [xi, si])
        prefix = f"sisdr/zero_mean_{str(zero_mean).lower()}"
        out.add(f"{prefix}/output", value)
        out.add(f"{prefix}/cotangent", w)
        out.add(f"{prefix}/grad_estimate", gx)
        out.add(f"{prefix}/grad_reference", gs)
    out.add("sisdr/estimate", x)
    out.add("sisdr/reference", s)

    # Log-spectral distance as documented in Sources/HarpDSP/Metrics/LogSpectralDistance.swift.
    n_fft, hop, eps = 256, 64, 1e-10
    s = signal([2, 700])
    x = (s + signal([2, 700], 0.1)).float().double()
    xi, si = x.clone().requires_grad_(True), s.clone().requires_grad_(True)
    window = torch.hann_window(n_fft, dtype=torch.float64)
    power = lambda v: torch.stft(v, n_fft, hop, n_fft, window, return_complex=True).abs() ** 2
    d = 10 * torch.log10((power(xi) + eps) / (power(si) + eps))
    value = torch.sqrt((d ** 2).mean(dim=-2) + 1e-12).mean(dim=-1)
    w, (gx, gs) = cotangent_and_grads(value, [xi, si])
    out.add("lsd/estimate", x)
    out.add("lsd/reference", s)
    out.add("lsd/output", value)
    out.add("lsd/cotangent", w)
    out.add("lsd/grad_estimate", gx)
    out.add("lsd/grad_reference", gs)

    # DAC's multi-scale mel distance as documented in Sources/HarpDSP/Metrics/MelDistance.swift:
    # librosa's Slaney mel filters on |STFT| (periodic Hann, centred, reflect), log10 of the
    # clamped mel magnitudes, mean |Δ| per scale, summed over the scales.
    import librosa
    sr = 16000
    s = signal([1, 4000])
    x = (0.8 * s + signal([1, 4000], 0.05)).float().double()
    xi, si = x.clone().requires_grad_(True), s.clone().requires_grad_(True)
    total = 0
    for n, mels in zip([32, 64, 128, 256, 512, 1024, 2048], [5, 10, 20, 40, 80, 160, 320]):
        fb = torch.tensor(librosa.filters.mel(sr=sr, n_fft=n, n_mels=mels, dtype=np.float64))
        window = torch.hann_window(n, dtype=torch.float64)
        logmel = lambda v: torch.log10(torch.clamp(
            fb @ torch.stft(v, n, n // 4, n, window, center=True, pad_mode="reflect", return_complex=True).abs(),
            min=1e-5))
        total = total + (logmel(xi) - logmel(si)).abs().mean()
    gx, gs = torch.autograd.grad(total, [xi, si])
    out.add("meldistance/estimate", x)
    out.add("meldistance/reference", s)
    out.add("meldistance/output", total.detach())
    out.add("meldistance/grad_estimate", gx)
    out.add("meldistance/grad_reference", gs)


def make():
    os.makedirs(FIXTURES, exist_ok=True)
    for filename, build in [("spectral_stft.json", lambda o: (make_stft(o), make_istft(o))),
                            ("spectral_mel.json", make_mel),
                            ("spectral_mrstft.json", make_mrstft),
                            ("spectral_metrics.json", make_metrics)]:
        out = Writer()
        build(out)
        out.write(filename)


# -- Speed --------------------------------------------------------------------------------------

def bench_stft(repeats=20):
    """Swift's benchmark (release build of the test target) and then torch's, in one session."""
    env = dict(os.environ, HARP_BENCHMARK="1")
    swift = subprocess.run(["swift", "test", "-c", "release", "--filter", "stftBenchmark"], cwd=ROOT, env=env,
                           capture_output=True, text=True)
    lines = [line for line in swift.stdout.splitlines() if line.startswith("{")]
    if swift.returncode != 0 or not lines:
        sys.exit(f"swift benchmark failed:\n{swift.stdout[-3000:]}\n{swift.stderr[-3000:]}")
    harp = json.loads(lines[-1])
    print(json.dumps(harp))

    torch.set_num_threads(2)
    n_fft, hop, samples = 2048, 256, 1 << 17
    x = torch.randn(1, samples, requires_grad=True)
    window = torch.hann_window(n_fft)

    def step():
        spectrum = torch.view_as_real(torch.stft(x, n_fft, hop, n_fft, window, return_complex=True))
        spectrum.backward(torch.ones_like(spectrum))
        x.grad = None

    for _ in range(3):
        step()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    reference = {"benchmark": "torch.stft 2048/256 of 2^17 samples, forward + backward, 2 threads",
                 "median_ms": times[len(times) // 2], "min_ms": times[0], "torch": torch.__version__}
    print(json.dumps(reference))
    print(json.dumps({"ratio_harp_over_torch_median": harp["median_ms"] / reference["median_ms"],
                      "ratio_harp_over_torch_min": harp["min_ms"] / reference["min_ms"]}))


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "make"
    if command == "make":
        make()
    elif command == "bench-stft":
        bench_stft()
    else:
        sys.exit(f"unknown command {command}")
