"""Text-prompt fixtures for Harp's CLI tests (`harp generate "PROMPT" --model DIR`, `--prompts`).

The tiny MusicGen oracle has no tokenizer and a 128-id T5 vocabulary, so this trains a
100-piece SentencePiece unigram model (sentencepiece's trainer, on this repository's docs/),
converts it with transformers' T5Tokenizer (no sentinels: extra_ids=0) and saves tokenizer.json
and tokenizer_config.json. Then transformers tokenizes two prompts (padded batch) and generates
greedily with guidance 3, plain and continuing the continuation fixture's clip. Writes to
Tests/HarpGenerateTests/Fixtures/text_prompt/:

- tokenizer.json, tokenizer_config.json, spiece.model (the tokenizer for a copy of the oracle folder),
- prompts.txt                 the two prompts, one a line,
- reference.safetensors       input_ids, attention_mask (2, T), text_cfg3_codes (2, 4, 13) for 16 new
                              steps, continue_cfg3_codes (2, 4, 19) for 12 new steps after the clip.

Run with the project venv after make_continuation_fixture.py:

    /work/venv/bin/python tools/musicgen/make_text_prompt_fixture.py
"""
import glob
import os
import shutil
import tempfile

import sentencepiece as spm
import soundfile as sf
import torch
from safetensors.torch import save_file
from transformers import GenerationConfig, MusicgenForConditionalGeneration, T5Tokenizer

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
FIXTURES = os.path.join(ROOT, "Tests", "HarpGenerateTests", "Fixtures")
ORACLE = os.path.join(FIXTURES, "oracles", "musicgen")
OUT = os.path.join(FIXTURES, "text_prompt")
PROMPTS = ["An uplifting jazz song that makes your head shake", "calm piano"]


def train_tokenizer(work):
    lines = []
    for path in sorted(glob.glob(os.path.join(ROOT, "docs", "*.md"))):
        with open(path, encoding="utf-8") as f:
            lines += [line.strip() for line in f if line.strip()]
    corpus = os.path.join(work, "corpus.txt")
    with open(corpus, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    source = os.path.join(work, "source")
    os.makedirs(source)
    spm.SentencePieceTrainer.train(
        input=corpus, model_prefix=os.path.join(source, "spiece"), vocab_size=100, model_type="unigram",
        character_coverage=0.995, normalization_rule_name="identity", pad_id=0, eos_id=1, unk_id=2, bos_id=-1,
        num_threads=1, minloglevel=2)
    os.remove(os.path.join(source, "spiece.vocab"))
    tokenizer = T5Tokenizer.from_pretrained(source, extra_ids=0)
    tokenizer.save_pretrained(OUT)
    shutil.copy(os.path.join(source, "spiece.model"), os.path.join(OUT, "spiece.model"))
    for name in os.listdir(OUT):
        if name not in ("tokenizer.json", "tokenizer_config.json", "spiece.model"):
            os.remove(os.path.join(OUT, name))
    return tokenizer


def main():
    os.makedirs(OUT, exist_ok=True)
    work = tempfile.mkdtemp()
    tokenizer = train_tokenizer(work)
    assert len(tokenizer) <= 128, len(tokenizer)
    with open(os.path.join(OUT, "prompts.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(PROMPTS) + "\n")
    batch = tokenizer(PROMPTS, padding=True, return_tensors="pt")

    model = MusicgenForConditionalGeneration.from_pretrained(ORACLE).eval()
    model.generation_config = GenerationConfig(decoder_start_token_id=64, pad_token_id=64, bos_token_id=64,
                                               do_sample=False, max_length=1500, guidance_scale=None)
    captured = {}
    original = model.audio_encoder.decode

    def spy(audio_codes, *args, **kwargs):
        captured["codes"] = audio_codes.clone()
        return original(audio_codes, *args, **kwargs)

    model.audio_encoder.decode = spy
    clip, _ = sf.read(os.path.join(FIXTURES, "continuation", "clip.wav"), dtype="float32")
    audio = torch.from_numpy(clip)[None, None].repeat(len(PROMPTS), 1, 1)
    io = {"input_ids": batch["input_ids"], "attention_mask": batch["attention_mask"]}
    with torch.no_grad():
        model.generate(**batch, do_sample=False, max_new_tokens=16, guidance_scale=3.0)
        io["text_cfg3_codes"] = captured["codes"][0]
        model.generate(**batch, input_values=audio, do_sample=False, max_new_tokens=12, guidance_scale=3.0)
        io["continue_cfg3_codes"] = captured["codes"][0]
    save_file({k: v.contiguous() for k, v in io.items()}, os.path.join(OUT, "reference.safetensors"))
    print(f"wrote {OUT}: ids {tuple(io['input_ids'].shape)} {io['input_ids'].tolist()}, "
          f"codes {tuple(io['text_cfg3_codes'].shape)}, continued {tuple(io['continue_cfg3_codes'].shape)}")


if __name__ == "__main__":
    main()
