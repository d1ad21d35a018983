#!/usr/bin/env python3
"""Reference side of `harp bench latents`: the music2latent package's UNet at its published size
(random weights; the real ones are not reachable here), encode and one-step decode of the same
sine sweep as Harp (50 Hz -> 8 kHz, amplitude 0.5, 44.1 kHz mono), through the package's own
inference functions, one warm-up then the median of --repeats runs, torch.inference_mode().

Prints one JSON object: seconds, latent shape, parameters and the process's peak RSS (ru_maxrss).
Needs torch and music2latent (`pip install --no-deps music2latent`).
"""
import argparse
import json
import math
import resource
import time
import warnings

import numpy as np
import torch

torch.version.cuda = None   # the venv's torchaudio refuses mismatched CUDA builds; CPU only here
warnings.filterwarnings("ignore")


def median_seconds(work, repeats):
    work()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def sweep(seconds, sr=44100):
    n = int(seconds * sr)
    t = np.arange(n, dtype=np.float64) / sr
    k = math.log(8000.0 / 50)
    return (0.5 * np.sin(2 * math.pi * 50 * seconds / k * (np.exp(t / seconds * k) - 1))).astype(np.float32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    import music2latent.models as mm
    import music2latent.inference as mi

    class Holder:
        pass

    start = time.perf_counter()
    holder = Holder()
    holder.gen = mm.UNet().eval()
    load = time.perf_counter() - start
    audio = torch.from_numpy(sweep(a.seconds))[None]
    with torch.inference_mode():
        latent = mi.encode_audio_inference(audio, holder, 44100 * 60, 1, device="cpu")
        encode = median_seconds(lambda: mi.encode_audio_inference(audio, holder, 44100 * 60, 1, device="cpu"), a.repeats)
        decode = median_seconds(lambda: mi.decode_latent_inference(latent, holder, 44100 * 60, 1, diffusion_steps=1,
                                                                   device="cpu"), a.repeats)
    print(json.dumps({
        "encode_seconds": encode, "decode_seconds": decode, "load_seconds": load,
        "latent_shape": list(latent.shape), "parameters": sum(p.numel() for p in holder.gen.parameters()),
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "torch": torch.__version__, "threads": torch.get_num_threads(), "repeats": a.repeats,
    }))


if __name__ == "__main__":
    main()
