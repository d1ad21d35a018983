"""MusicGen-small (architecture, random weights) in PyTorch transformers: the reference that
`harp bench generate` runs beside Harp.

    python tools/bench_generate.py --make-folder DIR     # write the full-size random model folder once
    python tools/bench_generate.py --model DIR --steps 32 --threads 2

The folder is `config.json` + `model.safetensors` + `generation_config.json` as `save_pretrained`
writes them (about 2.3 GB: T5-base, the 24 x 1024 decoder, EnCodec 32 kHz), seeded, so Harp and
PyTorch run the same weights. Timing: decoder steps of `generate` (sampling, top-k 250), without
and with classifier-free guidance 3, T5 included, audio decoding excluded; one warm-up, then the
median of --repeats runs. Prints one JSON object on stdout.
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time


def small_config():
    from transformers import EncodecConfig, MusicgenConfig, MusicgenDecoderConfig, T5Config
    text = T5Config(vocab_size=32128, d_model=768, d_kv=64, d_ff=3072, num_layers=12, num_heads=12,
                    relative_attention_num_buckets=32, relative_attention_max_distance=128,
                    feed_forward_proj="relu", is_encoder_decoder=False)
    audio = EncodecConfig(sampling_rate=32000, upsampling_ratios=[8, 5, 4, 4], target_bandwidths=[2.2],
                          num_filters=64, hidden_size=128, codebook_size=2048, use_causal_conv=False,
                          use_conv_shortcut=False, normalize=False)
    decoder = MusicgenDecoderConfig(vocab_size=2048, max_position_embeddings=2048, num_hidden_layers=24,
                                    ffn_dim=4096, num_attention_heads=16, hidden_size=1024, num_codebooks=4,
                                    pad_token_id=2048, bos_token_id=2048, dropout=0.0)
    return MusicgenConfig(text_encoder=text, audio_encoder=audio, decoder=decoder)


def make_folder(path):
    import torch
    from transformers import GenerationConfig, MusicgenForConditionalGeneration
    torch.manual_seed(0)
    model = MusicgenForConditionalGeneration(small_config()).eval()
    with torch.no_grad():
        for layer in model.audio_encoder.quantizer.layers:
            layer.codebook.embed.normal_()
    model.generation_config = GenerationConfig(decoder_start_token_id=2048, pad_token_id=2048, bos_token_id=2048,
                                               do_sample=True, top_k=250, guidance_scale=3.0, max_length=1500)
    model.save_pretrained(path)
    print(json.dumps({"folder": path}))


def peak_resident_bytes():
    """VmHWM of this process. (ru_maxrss would not do: Linux carries it across exec, so a child of
    harp would report harp's own peak.)"""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def bench(path, steps, threads, repeats):
    import torch
    from transformers import MusicgenForConditionalGeneration
    torch.set_num_threads(threads)
    model = MusicgenForConditionalGeneration.from_pretrained(path).eval()
    ids = torch.randint(2, 32000, (1, 12), generator=torch.Generator().manual_seed(0))
    mask = torch.ones_like(ids)
    # Stop before the codec: time the decoder loop (and T5) only.
    model.audio_encoder.decode = lambda codes, *a, **k: type("Out", (), {"audio_values": codes})()
    result = {"steps": steps, "threads": threads, "torch": torch.__version__}
    with torch.inference_mode():
        for tag, guidance in (("no_cfg", 1.0), ("cfg3", 3.0)):
            times = []
            for run in range(repeats + 1):
                torch.manual_seed(run)
                start = time.perf_counter()
                model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=steps, guidance_scale=guidance,
                               do_sample=True, top_k=250)
                if run > 0:
                    times.append(time.perf_counter() - start)
            median = statistics.median(times)
            result[tag] = {"seconds_median": median, "steps_per_second": steps / median}
    result["peak_rss_bytes"] = peak_resident_bytes()
    print(json.dumps(result))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--make-folder")
    parser.add_argument("--model")
    parser.add_argument("--steps", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    a = parser.parse_args()
    if a.make_folder:
        make_folder(a.make_folder)
    elif a.model:
        bench(a.model, a.steps, a.threads, a.repeats)
    else:
        parser.error("give --make-folder DIR or --model DIR")


if __name__ == "__main__":
    sys.exit(main())
