"""Sentence-encoder (all-MiniLM-L6-v2 layout) fixtures for Harp's HarpTextTests.

all-MiniLM-L6-v2 is a BERT encoder + WordPiece tokenizer + mean pooling + L2 normalisation.
Its weights (90 MB) are too large to commit, so the tests use a tiny random BERT with the same
layout and a WordPiece vocabulary trained here (tokenizers' WordPiece trainer on this
repository's docs/ and Debian's licence texts), assembled into a sentence-transformers folder.
Writes Tests/HarpTextTests/Fixtures/minilm_tiny/:

- config.json, model.safetensors   BertModel(hidden 32, 2 layers, 4 heads, ffn 64, 64 positions),
                                   weights re-randomised (N(0, 1/fan_in), norm gains 1 + 0.1N),
- vocab.txt (the trained vocabulary), tokenizer.json, tokenizer_config.json, modules.json, sentence_bert_config.json,
  1_Pooling/config.json            as sentence-transformers saves them (max_seq_length 48),
- reference.json                   {"strings", "ids"}: transformers' BertTokenizer on ~200 strings
                                   (no truncation), and {"sentences", "embeddings"}:
                                   SentenceTransformer.encode of 40 sentences (normalised).

Run with the project venv (needs sentence-transformers):

    /work/venv/bin/python tools/text/make_minilm_fixtures.py
"""
import json
import os
import shutil
import sys
import tempfile

import torch
from sentence_transformers import SentenceTransformer, models
from tokenizers import BertWordPieceTokenizer
from transformers import BertConfig, BertModel, BertTokenizer

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_tokenizer_fixtures import test_strings, training_text  # noqa: E402

OUT = os.path.join(HERE, "..", "..", "Tests", "HarpTextTests", "Fixtures", "minilm_tiny")


def randomize(model, generator):
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "LayerNorm.weight" in name:
                p.copy_(1 + 0.1 * torch.randn(p.shape, generator=generator))
            elif name.endswith("bias"):
                p.copy_(0.05 * torch.randn(p.shape, generator=generator))
            elif "embeddings" in name:
                p.copy_(torch.randn(p.shape, generator=generator) * 0.5)
            else:
                p.copy_(torch.randn(p.shape, generator=generator) / p.shape[1] ** 0.5)


def main():
    work = tempfile.mkdtemp()
    corpus = os.path.join(work, "corpus.txt")
    with open(corpus, "w", encoding="utf-8") as f:
        f.write("\n".join(training_text()))
    trainer = BertWordPieceTokenizer(lowercase=True, strip_accents=None, clean_text=True, handle_chinese_chars=True)
    trainer.train([corpus], vocab_size=700, min_frequency=2, limit_alphabet=300,
                  special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
    trainer.save_model(work)
    tokenizer = BertTokenizer(vocab=os.path.join(work, "vocab.txt"), do_lower_case=True)

    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=64, max_position_embeddings=64, hidden_act="gelu",
                        hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0, layer_norm_eps=1e-12)
    bert = BertModel(config, add_pooling_layer=False).eval()
    randomize(bert, torch.Generator().manual_seed(14))
    hf = os.path.join(work, "hf")
    bert.save_pretrained(hf)
    tokenizer.save_pretrained(hf)

    transformer = models.Transformer(hf, max_seq_length=48)
    pooling = models.Pooling(transformer.get_word_embedding_dimension(), pooling_mode="mean")
    encoder = SentenceTransformer(modules=[transformer, pooling, models.Normalize()], device="cpu")
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    encoder.save(OUT)
    shutil.copy(os.path.join(work, "vocab.txt"), os.path.join(OUT, "vocab.txt"))
    for leftover in ("README.md", "config_sentence_transformers.json", "special_tokens_map.json"):
        if os.path.exists(os.path.join(OUT, leftover)):
            os.remove(os.path.join(OUT, leftover))

    strings = test_strings()[:-1]
    ids = [tokenizer(s)["input_ids"] for s in strings]
    sentences = [s for s in strings if s.strip()][10:50]
    sentences.append("word " * 60)  # longer than max_seq_length: cut to 48
    embeddings = encoder.encode(sentences, convert_to_numpy=True, normalize_embeddings=False)
    with open(os.path.join(OUT, "reference.json"), "w", encoding="utf-8") as f:
        json.dump({"strings": strings, "ids": ids, "sentences": sentences,
                   "embeddings": [[float(x) for x in row] for row in embeddings]}, f, ensure_ascii=False)
    print(f"wrote {OUT}: vocab {tokenizer.vocab_size}, {len(strings)} strings, {len(sentences)} sentences, "
          f"files {sorted(os.listdir(OUT))}")


if __name__ == "__main__":
    main()
