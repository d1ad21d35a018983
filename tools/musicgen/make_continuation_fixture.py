"""Prompted continuation fixtures for Harp's HarpGenerateTests (`harp generate --continue CLIP`).

Loads the tiny MusicGen oracle committed in Tests/HarpGenerateTests/Fixtures/oracles/musicgen with
transformers, writes a 0.2 s clip (a 32-bit float WAV, so Swift reads the very samples PyTorch
encodes) and runs `generate(input_ids=…, input_values=clip, …)` greedily with and without
guidance — transformers encodes the clip with the model's EnCodec and feeds its codes as the
decoder prompt through the delay pattern. Writes to Tests/HarpGenerateTests/Fixtures/continuation/:

- clip.wav                32 kHz mono float32, 6400 samples (10 code frames),
- continuation.safetensors  prompt_codes (B, 4, 10) as EnCodec gives them, prompt_margins (B, 4, 10),
                          cont_{nocfg,cfg3}_codes (B, 4, frames) (prompt frames included, as
                          transformers hands them to EnCodec), cont_{nocfg,cfg3}_scores
                          (steps, B·4, 64), max_new_tokens, guidance_scale.

Run with the project venv:

    /work/venv/bin/python tools/musicgen/make_continuation_fixture.py
"""
import os

import numpy as np
import soundfile as sf
import torch
from safetensors.torch import save_file
from transformers import GenerationConfig, MusicgenForConditionalGeneration

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "..", "Tests", "HarpGenerateTests", "Fixtures")
ORACLE = os.path.join(FIXTURES, "oracles", "musicgen")
OUT = os.path.join(FIXTURES, "continuation")
RATE = 32000
NEW_TOKENS = 12


def clip():
    t = np.arange(int(0.2 * RATE)) / RATE
    sweep = 0.5 * np.sin(2 * np.pi * (110 * t + 0.5 * 2000 * t * t))
    return (sweep * np.minimum(1, t / 0.01)).astype(np.float32)


def margins(model, audio):
    """Gap between the best and second-best codeword distance, per codebook and frame: codes with
    a small gap may legitimately flip in another fp32 implementation."""
    embeddings = model.audio_encoder.encoder(audio)
    residual = embeddings.transpose(1, 2)
    gaps = []
    for layer in model.audio_encoder.quantizer.layers[:4]:
        codebook = layer.codebook.embed
        distance = torch.cdist(residual, codebook[None]) ** 2
        two = distance.topk(2, dim=-1, largest=False).values
        gaps.append(two[..., 1] - two[..., 0])
        chosen = distance.argmin(-1)
        residual = residual - codebook[chosen]
    return torch.stack(gaps, 1)


def main():
    os.makedirs(OUT, exist_ok=True)
    model = MusicgenForConditionalGeneration.from_pretrained(ORACLE).eval()
    model.generation_config = GenerationConfig(decoder_start_token_id=64, pad_token_id=64, bos_token_id=64,
                                               do_sample=False, max_length=1500, guidance_scale=None)
    samples = clip()
    sf.write(os.path.join(OUT, "clip.wav"), samples, RATE, subtype="FLOAT")
    read_back, _ = sf.read(os.path.join(OUT, "clip.wav"), dtype="float32")
    assert np.array_equal(read_back, samples)

    io = {}
    from safetensors.torch import load_file
    oracle_io = load_file(os.path.join(ORACLE, "io.safetensors"))
    ids, mask = oracle_io["input_ids"], oracle_io["attention_mask"]
    batch = ids.shape[0]
    audio = torch.from_numpy(samples)[None, None].repeat(batch, 1, 1)
    with torch.no_grad():
        encoded = model.audio_encoder.encode(audio)
        io["prompt_codes"] = encoded.audio_codes[0].clone()
        io["prompt_margins"] = margins(model, audio)
        captured = {}
        original = model.audio_encoder.decode

        def spy(audio_codes, *args, **kwargs):
            captured["codes"] = audio_codes.clone()
            return original(audio_codes, *args, **kwargs)

        model.audio_encoder.decode = spy
        for tag, scale in (("nocfg", None), ("cfg3", 3.0)):
            result = model.generate(input_ids=ids, attention_mask=mask, input_values=audio, do_sample=False,
                                    max_new_tokens=NEW_TOKENS, guidance_scale=scale,
                                    return_dict_in_generate=True, output_scores=True)
            io[f"cont_{tag}_codes"] = captured["codes"][0]
            io[f"cont_{tag}_scores"] = torch.stack(result.scores, 0)
        model.audio_encoder.decode = original
    io["max_new_tokens"] = torch.tensor([NEW_TOKENS], dtype=torch.int64)
    io["guidance_scale"] = torch.tensor([3.0])
    save_file({k: v.contiguous() for k, v in io.items()}, os.path.join(OUT, "continuation.safetensors"))
    print(f"wrote {OUT}: prompt codes {tuple(io['prompt_codes'].shape)}, "
          f"smallest margin {io['prompt_margins'].min().item():.2e}, "
          f"continued codes {tuple(io['cont_cfg3_codes'].shape)}")


if __name__ == "__main__":
    main()
