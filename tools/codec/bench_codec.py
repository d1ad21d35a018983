#!/usr/bin/env python3
"""PyTorch side of `harp bench codec`: full-size EnCodec and DAC with random weights.

    bench_codec.py make DIR            write the four full-size configurations as Hugging Face
                                       folders (config.json + model.safetensors) under DIR/<name>
    bench_codec.py run DIR/<name> --seconds 10 [--bandwidth KBPS] [--repeats 5] [--threads 2]
                                       time transformers' encode and decode of the same random
                                       audio Harp encodes; prints one JSON object

Configurations are the published models' config.json values (facebook/encodec_24khz,
encodec_32khz, encodec_48khz, descript/dac_44khz). Weights are random (seeded): EnCodec's
codebooks are zero after init, so they are drawn from N(0, 1) as the oracles do. Timings are
medians over repeats after one warm-up; peak memory is this process's ru_maxrss (the caller runs
each model in its own process). Needs torch, transformers, safetensors, numpy.
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time

CONFIGS = {
    # facebook/encodec_24khz (transformers' EncodecConfig defaults are this model)
    "encodec_24khz": dict(kind="encodec", sampling_rate=24000, audio_channels=1, num_filters=32,
                          upsampling_ratios=[8, 5, 4, 2], target_bandwidths=[1.5, 3.0, 6.0, 12.0, 24.0],
                          codebook_size=1024, hidden_size=128, use_causal_conv=True, norm_type="weight_norm",
                          normalize=False, use_conv_shortcut=True, chunk_length_s=None, overlap=None),
    # facebook/encodec_32khz (MusicGen's codec)
    "encodec_32khz": dict(kind="encodec", sampling_rate=32000, audio_channels=1, num_filters=64,
                          upsampling_ratios=[8, 5, 4, 4], target_bandwidths=[2.2], codebook_size=2048,
                          hidden_size=128, use_causal_conv=False, norm_type="weight_norm", normalize=False,
                          use_conv_shortcut=False, chunk_length_s=None, overlap=None),
    # facebook/encodec_48khz
    "encodec_48khz": dict(kind="encodec", sampling_rate=48000, audio_channels=2, num_filters=32,
                          upsampling_ratios=[8, 5, 4, 2], target_bandwidths=[3.0, 6.0, 12.0, 24.0],
                          codebook_size=1024, hidden_size=128, use_causal_conv=False,
                          norm_type="time_group_norm", normalize=True, use_conv_shortcut=True,
                          chunk_length_s=1.0, overlap=0.01),
    # descript/dac_44khz
    "dac_44khz": dict(kind="dac", encoder_hidden_size=64, downsampling_ratios=[2, 4, 8, 8],
                      upsampling_ratios=[8, 8, 4, 2], decoder_hidden_size=1536, n_codebooks=9,
                      codebook_size=1024, codebook_dim=8, hidden_size=1024, sampling_rate=44100,
                      hop_length=512),
}


def build(name, seed=0):
    import torch
    torch.manual_seed(seed)
    spec = dict(CONFIGS[name])
    kind = spec.pop("kind")
    if kind == "encodec":
        from transformers import EncodecConfig, EncodecModel
        model = EncodecModel(EncodecConfig(**spec)).eval()
        with torch.no_grad():
            for layer in model.quantizer.layers:
                layer.codebook.embed.normal_()
    else:
        from transformers import DacConfig, DacModel
        model = DacModel(DacConfig(**spec)).eval()
    return model


def make(folder):
    made = []
    for name in CONFIGS:
        out = os.path.join(folder, name)
        if os.path.exists(os.path.join(out, "model.safetensors")):
            continue
        build(name).save_pretrained(out)
        made.append(name)
        print(f"wrote {out}", file=sys.stderr)
    print(json.dumps({"folder": folder, "made": made}))


def median_seconds(fn, repeats):
    fn()   # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), max(times)


def run(folder, seconds, bandwidth, repeats, threads):
    import numpy as np
    import torch
    torch.set_num_threads(threads)
    config = json.load(open(os.path.join(folder, "config.json")))
    kind = config["model_type"]
    if kind == "encodec":
        from transformers import EncodecModel
        model = EncodecModel.from_pretrained(folder).eval()
    else:
        from transformers import DacModel
        model = DacModel.from_pretrained(folder).eval()
    rate = config["sampling_rate"]
    channels = config.get("audio_channels", 1)
    n = int(rate * seconds)
    if kind == "dac":
        n = -(-n // config["hop_length"]) * config["hop_length"]
    audio = (np.random.default_rng(1).standard_normal((1, channels, n)) * 0.1).astype(np.float32)
    x = torch.from_numpy(audio)
    result = {"model": os.path.basename(folder.rstrip("/")), "seconds_of_audio": seconds,
              "threads": threads, "torch": torch.__version__}
    with torch.inference_mode():
        if kind == "encodec":
            bw = bandwidth or max(config["target_bandwidths"])
            encoded = model.encode(x, bandwidth=bw)
            codes, scales = encoded.audio_codes, encoded.audio_scales
            enc = median_seconds(lambda: model.encode(x, bandwidth=bw), repeats)
            dec = median_seconds(lambda: model.decode(codes, scales), repeats)
            result["bandwidth"] = bw
        else:
            encoded = model.encode(x)
            codes = encoded.audio_codes
            enc = median_seconds(lambda: model.encode(x), repeats)
            dec = median_seconds(lambda: model.decode(audio_codes=codes), repeats)
    result["codes_shape"] = list(codes.shape)
    result["encode_seconds"] = {"median": enc[0], "min": enc[1], "max": enc[2]}
    result["decode_seconds"] = {"median": dec[0], "min": dec[1], "max": dec[2]}
    result["peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps(result))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("make")
    m.add_argument("folder")
    r = sub.add_parser("run")
    r.add_argument("folder")
    r.add_argument("--seconds", type=float, default=10)
    r.add_argument("--bandwidth", type=float)
    r.add_argument("--repeats", type=int, default=5)
    r.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    if args.command == "make":
        make(args.folder)
    else:
        run(args.folder, args.seconds, args.bandwidth, args.repeats, args.threads)


if __name__ == "__main__":
    main()
