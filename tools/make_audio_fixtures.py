#!/usr/bin/env python3
"""Fixtures and measurements for HarpAudio (run with /work/venv/bin/python).

    make_audio_fixtures.py fixtures [--audio DIR]   write Tests/HarpAudioTests/Fixtures/*
    make_audio_fixtures.py measure-resampler --harp PATH
                                                    compare harp's resampler with resample_poly and soxr

Fixtures (small, committed, so `swift test` never needs Python):
  loudness_pyloudnorm.json      pyloudnorm integrated LUFS (+ peak/RMS dBFS) of every clip in DIR
  resample_<in>_to_<out>_input.wav / _resample_poly.wav
                                a short multi-tone signal (float32 WAV) and scipy.signal.resample_poly's output
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import pyloudnorm
import scipy
import scipy.signal
import soundfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "HarpAudioTests", "Fixtures")
RESAMPLE_PAIRS = [(48000, 16000), (44100, 48000)]


def reference_filter(in_rate, out_rate, attenuation_db=100.0):
    """The FIR resample_poly is given as reference: Harp's specification (flat to 0.9, stopband from 1.0
    of the lower Nyquist, 100 dB), but designed by scipy (kaiserord + firwin) at the upsampled rate."""
    g = np.gcd(in_rate, out_rate)
    up = out_rate // g
    upsampled_rate = in_rate * up
    lower_nyquist = min(in_rate, out_rate) / 2
    numtaps, beta = scipy.signal.kaiserord(attenuation_db, 0.1 * lower_nyquist / (upsampled_rate / 2))
    numtaps |= 1  # odd, so the filter is centred on a sample
    return scipy.signal.firwin(numtaps, 0.95 * lower_nyquist, window=("kaiser", beta), fs=upsampled_rate)


def write_loudness_fixture(audio_dir):
    clips = {}
    for name in sorted(os.listdir(audio_dir)):
        path = os.path.join(audio_dir, name)
        try:
            data, rate = soundfile.read(path, dtype="float64", always_2d=True)
        except RuntimeError:
            continue  # not audio (SHA256SUMS, SOURCES.md)
        meter = pyloudnorm.Meter(rate)  # K-weighting, 400 ms blocks, 75 % overlap
        peak = float(np.max(np.abs(data)))
        rms = float(np.sqrt(np.mean(np.square(data))))
        clips[name] = {
            "integratedLoudness": float(meter.integrated_loudness(data)),
            "peakDecibels": 20 * np.log10(peak),
            "rmsDecibels": 20 * np.log10(rms),
            "sampleRate": rate,
            "channelCount": data.shape[1],
            "frameCount": data.shape[0],
        }
    record = {"version": 1, "pyloudnorm": pyloudnorm.__version__ if hasattr(pyloudnorm, "__version__") else "unknown",
              "clips": clips}
    with open(os.path.join(FIXTURES, "loudness_pyloudnorm.json"), "w") as f:
        json.dump(record, f, indent=1, sort_keys=True)
    print(f"loudness: {len(clips)} clips")


def multitone(rate, frame_count, highest_hz, seed):
    """A few sines below highest_hz with random phases, peak < 1."""
    rng = np.random.default_rng(seed)
    t = np.arange(frame_count) / rate
    freqs = rng.uniform(50, highest_hz, size=6)
    phases = rng.uniform(0, 2 * np.pi, size=6)
    x = sum(np.sin(2 * np.pi * f * t + p) for f, p in zip(freqs, phases))
    return (0.9 * x / np.max(np.abs(x))).astype(np.float32)


def write_resample_fixtures():
    for in_rate, out_rate in RESAMPLE_PAIRS:
        lower_nyquist = min(in_rate, out_rate) / 2
        x = multitone(in_rate, in_rate // 10, 0.6 * lower_nyquist, seed=in_rate + out_rate)
        g = np.gcd(in_rate, out_rate)
        y = scipy.signal.resample_poly(x.astype(np.float64), out_rate // g, in_rate // g,
                                       window=reference_filter(in_rate, out_rate))
        stem = os.path.join(FIXTURES, f"resample_{in_rate}_to_{out_rate}")
        soundfile.write(stem + "_input.wav", x, in_rate, subtype="FLOAT")
        soundfile.write(stem + "_resample_poly.wav", y.astype(np.float32), out_rate, subtype="FLOAT")
        print(f"resample {in_rate}->{out_rate}: {len(x)} -> {len(y)} frames")


# ---------------------------------------------------------------- measurement

def chirp(rate, seconds, f0, f1, amplitude=0.5, fade=0.05):
    t = np.arange(int(rate * seconds)) / rate
    phase = 2 * np.pi * (f0 * t + (f1 - f0) * t * t / (2 * seconds))
    envelope = np.clip(np.minimum(t, seconds - t) / fade, 0, 1)
    return amplitude * envelope * np.sin(phase)


def harp_resample(harp, x, in_rate, out_rate):
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = os.path.join(tmp, "in.wav"), os.path.join(tmp, "out.wav")
        soundfile.write(src, x.astype(np.float32), in_rate, subtype="FLOAT")
        subprocess.run([harp, "convert", src, dst, "--rate", str(out_rate), "--bits", "32f"],
                       check=True, stdout=subprocess.DEVNULL)
        y, _ = soundfile.read(dst, dtype="float64")
    return y


def analyse(y, ideal, in_rate, out_rate, seconds, f0, f1, amplitude, frame_seconds=0.05):
    """Passband ripple (dB, frames with 100 Hz < f <= 0.9 lower Nyquist) and alias/image rejection (dB)."""
    lower_nyquist = min(in_rate, out_rate) / 2
    n = int(frame_seconds * out_rate)
    sweep_per_frame = (f1 - f0) / seconds * frame_seconds
    window = np.kaiser(n, 20.0)
    gains, leaks_full, leaks_tenth = [], [], []
    for start in range(0, len(y) - n, n // 2):
        t_mid = (start + n / 2) / out_rate
        if t_mid < 0.1 or t_mid > seconds - 0.1:
            continue  # fades
        f = f0 + (f1 - f0) * t_mid / seconds
        frame = y[start:start + n]
        level = np.sqrt(np.mean(frame ** 2)) / (amplitude / np.sqrt(2))
        lo, hi = f - sweep_per_frame, f + sweep_per_frame
        if 100 < lo and hi <= 0.9 * lower_nyquist:
            # Gain against the ideal output (the analytic sweep at the output instants), frame by frame.
            gains.append(20 * np.log10(np.sqrt(np.mean(frame ** 2) / np.mean(ideal[start:start + n] ** 2))))
            if out_rate > in_rate:  # images: energy above the input Nyquist
                spectrum = np.abs(np.fft.rfft(frame * window)) ** 2
                freqs = np.fft.rfftfreq(n, 1 / out_rate)
                image = spectrum[freqs >= lower_nyquist].max() / spectrum.max()
                leaks_full.append(10 * np.log10(image + 1e-30))
                if hi <= 0.8 * lower_nyquist:
                    leaks_tenth.append(10 * np.log10(image + 1e-30))
        elif out_rate < in_rate and lo >= lower_nyquist:
            leaks_full.append(20 * np.log10(level + 1e-30))
            if lo >= 1.1 * lower_nyquist:
                leaks_tenth.append(20 * np.log10(level + 1e-30))
    return {
        "passband_ripple_db": float(np.max(gains) - np.min(gains)),
        "passband_max_deviation_db": float(np.max(np.abs(gains))),
        "rejection_from_1.0_db": float(-np.max(leaks_full)),
        "rejection_from_1.1_db": float(-np.max(leaks_tenth)) if leaks_tenth else None,
    }


def measure_resampler(harp):
    import soxr
    seconds, amplitude = 8.0, 0.5
    pairs = [(48000, 16000), (48000, 44100), (44100, 48000), (16000, 48000)]
    print(f"scipy {scipy.__version__}, soxr {soxr.__version__}; linear sine sweep, {seconds} s, amplitude {amplitude}")
    print("pair           method               ripple(dB)  max|dev|(dB)  reject>=1.0Nyq  reject>=1.1Nyq")
    for in_rate, out_rate in pairs:
        f0, f1 = 20.0, 0.999 * in_rate / 2
        x = chirp(in_rate, seconds, f0, f1, amplitude)
        g = np.gcd(in_rate, out_rate)
        outputs = {
            "harp": harp_resample(harp, x, in_rate, out_rate),
            "resample_poly": scipy.signal.resample_poly(x, out_rate // g, in_rate // g),
            "resample_poly spec": scipy.signal.resample_poly(x, out_rate // g, in_rate // g,
                                                             window=reference_filter(in_rate, out_rate)),
            "soxr HQ": soxr.resample(x, in_rate, out_rate, quality="HQ"),
            "soxr VHQ": soxr.resample(x, in_rate, out_rate, quality="VHQ"),
        }
        ideal = chirp(out_rate, seconds, f0, f1, amplitude)
        for name, y in outputs.items():
            r = analyse(np.asarray(y, dtype=np.float64), ideal, in_rate, out_rate, seconds, f0, f1, amplitude)
            tenth = "-" if r["rejection_from_1.1_db"] is None else f"{r['rejection_from_1.1_db']:.1f}"
            print(f"{in_rate:>5}->{out_rate:<6}  {name:<19} {r['passband_ripple_db']:>10.4f}  "
                  f"{r['passband_max_deviation_db']:>12.4f}  {r['rejection_from_1.0_db']:>14.1f}  {tenth:>14}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    fixtures = sub.add_parser("fixtures")
    fixtures.add_argument("--audio", default=os.path.join(os.path.dirname(ROOT), "shared", "audio"))
    measure = sub.add_parser("measure-resampler")
    measure.add_argument("--harp", default=os.path.join(ROOT, ".build", "release", "harp"))
    args = parser.parse_args()
    if args.command == "fixtures":
        os.makedirs(FIXTURES, exist_ok=True)
        write_loudness_fixture(args.audio)
        write_resample_fixtures()
    else:
        measure_resampler(args.harp)


if __name__ == "__main__":
    sys.exit(main())
