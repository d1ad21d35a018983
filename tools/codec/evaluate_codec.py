#!/usr/bin/env python3
"""Held-out quality of a Harp codec beside Opus at the same bitrates: mel distance, SI-SDR,
multi-resolution STFT distance and ViSQOL (MOS-LQO), per clip and averaged per kind (music,
speech). Prints a Markdown table and writes a JSON file.

Clips: ../shared/audio (except music_metal_madness.ogg, whose song pack is in the training
corpus, and vinyl_hiss.flac, a noise texture) and the evaluation-only packages in
/work/corpus/eval (never trained on; see docs/corpus.md). Each clip is mixed to mono, resampled
to the codec's rate and cut to its middle --seconds; Harp runs `harp codec roundtrip`; Opus runs
`opusenc --bitrate B --hard-cbr` / `opusdec` (opus-tools; Opus's lowest rate is 6 kbit/s).
ViSQOL (visqol-python) in audio mode at 48 kHz for music, speech mode at 16 kHz for speech.

The metrics are computed here, the same way for every codec: mel distance as DAC's (and
HarpDSP's MelDistance), SI-SDR zero-mean, auraloss's MultiResolutionSTFTLoss defaults.

Run: /work/venv/bin/python tools/codec/evaluate_codec.py --harp .build/release/harp [--model DIR] \
        [--bitrates 1.5,3,6] [--opus 6,8,12] [--out results.json]
"""
import argparse
import glob
import json
import os
import pathlib
import subprocess
import sys
import tempfile

import auraloss
import librosa
import numpy as np
import soundfile as sf
import torch

ROOT = pathlib.Path(__file__).resolve().parents[2]
SPEECH = ("speech_", "fillets-ng-data-cs")


def clips(shared, eval_root):
    found = []
    for path in sorted(glob.glob(os.path.join(shared, "*.flac")) + glob.glob(os.path.join(shared, "*.ogg"))):
        name = os.path.basename(path)
        if name in ("music_metal_madness.ogg", "vinyl_hiss.flac"):
            continue
        found.append(path)
    found += sorted(glob.glob(os.path.join(eval_root, "*", "*.ogg")))
    return [(p, "speech" if any(s in p for s in SPEECH) else "music") for p in found]


def load(path, rate, seconds):
    audio, sr = sf.read(path, always_2d=True, dtype="float32")
    mono = audio.mean(axis=1)
    if sr != rate:
        mono = librosa.resample(mono, orig_sr=sr, target_sr=rate)
    n = int(seconds * rate)
    if len(mono) > n:
        start = (len(mono) - n) // 2
        mono = mono[start:start + n]
    return mono.astype(np.float32)


def mel_distance(estimate, reference, rate):
    total = 0.0
    for n, mels in zip([32, 64, 128, 256, 512, 1024, 2048], [5, 10, 20, 40, 80, 160, 320]):
        fb = torch.tensor(librosa.filters.mel(sr=rate, n_fft=n, n_mels=mels), dtype=torch.float32)
        window = torch.hann_window(n)

        def logmel(v):
            spec = torch.stft(torch.tensor(v)[None], n, n // 4, n, window, center=True, pad_mode="reflect",
                              return_complex=True).abs()
            return torch.log10(torch.clamp(fb @ spec, min=1e-5))
        total += (logmel(estimate) - logmel(reference)).abs().mean().item()
    return total


def si_sdr(estimate, reference):
    e, r = estimate - estimate.mean(), reference - reference.mean()
    scale = (e * r).sum() / ((r * r).sum() + 1e-12)
    target = scale * r
    return 10 * np.log10(((target ** 2).sum() + 1e-12) / (((e - target) ** 2).sum() + 1e-12))


def stft_distance(estimate, reference):
    loss = auraloss.freq.MultiResolutionSTFTLoss()
    return loss(torch.tensor(estimate)[None, None], torch.tensor(reference)[None, None]).item()


def visqol_score(estimate, reference, rate, kind, apis):
    from visqol import VisqolApi
    mode, target = ("speech", 16000) if kind == "speech" else ("audio", 48000)
    if mode not in apis:
        api = VisqolApi()
        api.create(mode=mode)
        apis[mode] = api
    ref = librosa.resample(reference, orig_sr=rate, target_sr=target).astype(np.float64)
    deg = librosa.resample(estimate, orig_sr=rate, target_sr=target).astype(np.float64)
    return float(apis[mode].measure_from_arrays(ref, deg, target).moslqo)


def harp_roundtrip(harp, model, bitrate, source, work):
    out = os.path.join(work, "harp.wav")
    command = [harp, "codec", "roundtrip", source, "-o", out, "--bandwidth", str(bitrate)]
    if model:
        command += ["--model", model]
    subprocess.run(command, check=True, capture_output=True)
    return sf.read(out, dtype="float32")[0]


def opus_roundtrip(bitrate, source, rate, work):
    coded, out = os.path.join(work, "x.opus"), os.path.join(work, "opus.wav")
    subprocess.run(["opusenc", "--quiet", "--hard-cbr", "--bitrate", str(bitrate), source, coded], check=True)
    subprocess.run(["opusdec", "--quiet", "--rate", str(rate), coded, out], check=True)
    decoded = sf.read(out, dtype="float32", always_2d=True)[0].mean(axis=1)
    return decoded


def measure(estimate, reference, rate, kind, apis):
    n = min(len(estimate), len(reference))
    estimate, reference = estimate[:n], reference[:n]
    return {"mel": mel_distance(estimate, reference, rate), "si_sdr": float(si_sdr(estimate, reference)),
            "mrstft": stft_distance(estimate, reference), "visqol": visqol_score(estimate, reference, rate, kind, apis)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--harp", default=str(ROOT / ".build/release/harp"))
    parser.add_argument("--model", default=None, help="codec folder (default: harp's bundled codec)")
    parser.add_argument("--rate", type=int, default=24000)
    parser.add_argument("--bitrates", default="1.5,3,6")
    parser.add_argument("--opus", default="6,8,12")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--shared", default=str(ROOT.parent / "shared/audio"))
    parser.add_argument("--eval-root", default="/work/corpus/eval")
    parser.add_argument("--out", default="codec-quality.json")
    args = parser.parse_args()
    torch.set_num_threads(1)
    apis, rows = {}, []
    for path, kind in clips(args.shared, args.eval_root):
        reference = load(path, args.rate, args.seconds)
        with tempfile.TemporaryDirectory() as work:
            source = os.path.join(work, "ref.wav")
            sf.write(source, reference, args.rate, subtype="FLOAT")
            systems = [(f"harp {b} kbit/s", lambda b=b: harp_roundtrip(args.harp, args.model, b, source, work))
                       for b in args.bitrates.split(",")]
            systems += [(f"opus {b} kbit/s", lambda b=b: opus_roundtrip(b, source, args.rate, work))
                        for b in args.opus.split(",")]
            for system, run in systems:
                scores = measure(run(), reference, args.rate, kind, apis)
                rows.append({"clip": os.path.basename(path), "kind": kind, "system": system, **scores})
                print(json.dumps(rows[-1]), file=sys.stderr)
    with open(args.out, "w") as handle:
        json.dump(rows, handle, indent=1)
    print("| kind | system | clips | mel distance ↓ | SI-SDR dB ↑ | MR-STFT ↓ | ViSQOL MOS-LQO ↑ |")
    print("|---|---|---|---|---|---|---|")
    systems = list(dict.fromkeys(r["system"] for r in rows))
    for kind in ("music", "speech"):
        for system in systems:
            chosen = [r for r in rows if r["kind"] == kind and r["system"] == system]
            if not chosen:
                continue
            mean = {k: np.mean([r[k] for r in chosen]) for k in ("mel", "si_sdr", "mrstft", "visqol")}
            print(f"| {kind} | {system} | {len(chosen)} | {mean['mel']:.3f} | {mean['si_sdr']:.2f} | "
                  f"{mean['mrstft']:.3f} | {mean['visqol']:.2f} |")


if __name__ == "__main__":
    main()
