#!/usr/bin/env python3
"""Writes Resources/noisy_speech.flac, the clip `make demo` denoises: the LibriVox reading of
../shared/audio/speech_librivox_austen_0870.flac (16 kHz, BSD-2 test data of a public-domain
recording) with the vinyl surface noise of ../shared/audio/vinyl_hiss.flac (CC0) mixed in at
5 dB SNR, mono, 16 kHz, 16-bit FLAC. Licences: Resources/licenses/.

Run: /work/venv/bin/python tools/make_demo_noisy_speech.py
"""
import pathlib

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

ROOT = pathlib.Path(__file__).resolve().parents[1]
AUDIO = ROOT.parent / "shared" / "audio"

speech, rate = sf.read(AUDIO / "speech_librivox_austen_0870.flac", dtype="float64")
hiss, hiss_rate = sf.read(AUDIO / "vinyl_hiss.flac", dtype="float64")
hiss = resample_poly(hiss.mean(axis=1), 160, 441)[: len(speech)]
gain = np.sqrt(np.mean(speech ** 2) / np.mean(hiss ** 2) / 10 ** (5 / 10))
noisy = speech + gain * hiss
noisy *= 0.9 / np.max(np.abs(noisy))
sf.write(ROOT / "Resources" / "noisy_speech.flac", noisy.astype(np.float32), rate, subtype="PCM_16")
print(f"wrote Resources/noisy_speech.flac: {len(noisy) / rate:.2f} s at {rate} Hz, speech:noise 5 dB")
