#!/usr/bin/env python3
"""PyTorch side of `harp bench codec`: the same codec folder (config.json + model.safetensors with
the random full-size weights Harp wrote) and the same audio (.npy [channels, samples]), encode and
decode timed with the same protocol (one warm-up, then the median of --repeats runs).

Prints one JSON object: encode/decode seconds, the codes' shape and the process's peak RSS.
Needs torch and transformers (EncodecModel, DacModel).
"""
import argparse
import json
import os
import resource
import time

import numpy as np
import torch


def median_seconds(work, repeats):
    work()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        samples.append(time.perf_counter() - start)
    samples.sort()
    return samples[len(samples) // 2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--folder", required=True)
    ap.add_argument("--audio", required=True)
    ap.add_argument("--bandwidth", type=float, default=None)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    from transformers import DacConfig, DacModel, EncodecConfig, EncodecModel

    with open(os.path.join(a.folder, "config.json")) as f:
        raw = json.load(f)
    # JSON writers may print 3.0 as 3; transformers' typed configs want floats.
    for key in ("target_bandwidths",):
        if key in raw:
            raw[key] = [float(v) for v in raw[key]]
    for key in ("chunk_length_s", "overlap", "trim_right_ratio"):
        if raw.get(key) is not None:
            raw[key] = float(raw[key])
    kind = raw.pop("model_type")
    config = DacConfig(**raw) if kind == "dac" else EncodecConfig(**raw)
    audio = torch.from_numpy(np.load(a.audio)).float()[None]  # [1, channels, samples]
    with torch.inference_mode():
        if kind == "dac":
            model = DacModel.from_pretrained(a.folder, config=config).eval()
            hop = int(np.prod(config.downsampling_ratios))
            pad = (-audio.shape[-1]) % hop
            x = torch.nn.functional.pad(audio, (0, pad))
            codes = model.encode(x).audio_codes
            encode = lambda: model.encode(x)
            decode = lambda: model.decode(audio_codes=codes)
        else:
            model = EncodecModel.from_pretrained(a.folder, config=config).eval()
            bandwidth = a.bandwidth if a.bandwidth is not None else config.target_bandwidths[-1]
            x, mask = audio, None
            if config.chunk_length_s is not None:
                from transformers import EncodecFeatureExtractor
                fe = EncodecFeatureExtractor(feature_size=config.audio_channels, sampling_rate=config.sampling_rate,
                                             chunk_length_s=config.chunk_length_s, overlap=config.overlap)
                feats = fe(raw_audio=audio[0].numpy(), sampling_rate=config.sampling_rate, return_tensors="pt")
                x, mask = feats["input_values"], feats["padding_mask"]
            enc = model.encode(x, padding_mask=mask, bandwidth=bandwidth)
            codes = enc.audio_codes
            encode = lambda: model.encode(x, padding_mask=mask, bandwidth=bandwidth)
            decode = lambda: model.decode(enc.audio_codes, enc.audio_scales, padding_mask=mask,
                                          last_frame_pad_length=enc.last_frame_pad_length)
        result = {
            "torch": torch.__version__,
            "threads": a.threads,
            "codes_shape": list(codes.shape),
            "encode_seconds": median_seconds(encode, a.repeats),
            "decode_seconds": median_seconds(decode, a.repeats),
        }
    result["peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main()
