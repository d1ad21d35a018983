"""SentencePiece (T5) tokenizer fixtures for Harp's HarpTextTests.

Trains a small unigram model with sentencepiece's own trainer on openly licensed text (this
repository's docs/ and Debian's /usr/share/common-licenses), with T5's special ids (pad 0, </s> 1,
<unk> 2) and T5's normalisation (nmt_nfkc), then writes to Tests/HarpTextTests/Fixtures/t5/:

- spiece.model        the trained model (what a MusicGen folder ships),
- tokenizer.json      what transformers' T5Tokenizer converts it to (saved by save_pretrained),
- t5_ids.json         {"strings": [...], "ids": [[...]], "truncated": {"max_length": N, "ids": [[...]]},
                       "sentencepiece_ids": [[...]]}: transformers' ids for ~200 varied strings
                       (the reference), and sentencepiece's own for comparison (not asserted).

Run with the project venv (needs sentencepiece):

    /work/venv/bin/python tools/text/make_tokenizer_fixtures.py
"""
import glob
import io
import json
import os
import random
import shutil
import tempfile

import sentencepiece as spm
from transformers import T5Tokenizer

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
OUT = os.path.join(ROOT, "Tests", "HarpTextTests", "Fixtures", "t5")
VOCAB_SIZE = 1200
TRUNCATE_TO = 16


def training_text():
    paths = sorted(glob.glob(os.path.join(ROOT, "docs", "*.md")))
    paths += sorted(p for p in glob.glob("/usr/share/common-licenses/*") if os.path.isfile(p))
    lines = []
    for path in paths:
        with open(path, encoding="utf-8", errors="ignore") as f:
            lines += [line.strip() for line in f if line.strip()]
    # A few accented and non-Latin lines so the vocabulary has such characters at all.
    lines += ["Café crème brûlée à la française, naïve façade, Ångström, Müller, señor, São Paulo."] * 20
    lines += ["Быстрая музыка с гитарой и барабанами."] * 20
    return lines


def test_strings():
    rng = random.Random(0)
    fixed = [
        "", " ", "   ", "\t\n", "a", "A", "hello", "Hello world", "hello  world", "  leading", "trailing  ",
        "An uplifting jazz song that makes your head shake",
        "80s pop track with bassy drums and synth",
        "90s rock song with loud guitars and heavy drums",
        "a light and cheerly EDM track, with syncopated drums, aery pads, and strong emotions bpm: 130",
        "lofi slow bpm electro chill with organic samples",
        "Café crème brûlée", "naïve façade", "Ångström", "São Paulo", "señor Müller",
        "Cafe\u0301 (decomposed accent)", "e\u0301\u0301 double combining", "ﬁne ligature ﬂow",
        "ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ １２３", "① ② ③ circled", "x² + y³ = z⁴", "½ cup, ¼ tsp",
        "Быстрая музыка с гитарой", "日本語のテキスト", "中文歌曲", "한국어 노래", "emoji 🎸🥁🎹 music",
        "👨‍👩‍👧 family grapheme", "tab\tseparated\tvalues", "line\nbreaks\r\nhere", "non\u00a0breaking space",
        "ideographic\u3000space", "zero\u200bwidth", "soft\u00adhyphen", "control\u0007bell", "nul\u0000char",
        "12345", "3.14159", "1,000,000 beats", "120bpm", "4/4 time at 96 BPM", "2026-12-04", "#1 hit!!!",
        "punctuation... !?;:—–-()[]{}", "quotes “smart” ‘single’ «guillemets»", "mixedCASE CamelCase snake_case",
        "https://example.org/path?q=1", "email@example.org", "C++ and C#", "$100 €50 £20 ¥1000",
        "▁already▁escaped", "▁", "a▁b", "under_score", "UPPER CASE SHOUTING", "mIxEd", "ß straße",
        "İstanbul ı", "ǅ titlecase", "Ω ohm sign Ω", "Å angstrom sign", "ｶﾀｶﾅ halfwidth", "™ ℃ №",
        "</s>", "text with </s> inside", "<pad> and <unk>", "<extra_id_0> sentinel", "<unk>",
        "word " * 60, "supercalifragilisticexpialidocious", "antidisestablishmentarianism",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "the the the the the", "Licence licence LICENSE",
        "GNU General Public License version 2", "Permission is hereby granted, free of charge",
    ]
    words = []
    for line in training_text()[:400]:
        words += line.split()
    extra = ["🎵", "é", "ü", "日本", "—", "¿", "¡", "42", "  ", "\t", "ı", "ﬁ", "Ⅻ", "ǆ"]
    generated = []
    while len(fixed) + len(generated) < 200:
        n = rng.randint(1, 14)
        parts = [rng.choice(words) if rng.random() < 0.85 else rng.choice(extra) for _ in range(n)]
        sep = rng.choice([" ", " ", " ", "  ", "\t", ", "])
        generated.append(sep.join(parts))
    long_text = " ".join(rng.choice(words) for _ in range(700))
    return fixed + generated + [long_text]


def main():
    os.makedirs(OUT, exist_ok=True)
    work = tempfile.mkdtemp()
    corpus = os.path.join(work, "corpus.txt")
    with open(corpus, "w", encoding="utf-8") as f:
        f.write("\n".join(training_text()))
    spm.SentencePieceTrainer.train(
        input=corpus, model_prefix=os.path.join(work, "spiece"), vocab_size=VOCAB_SIZE, model_type="unigram",
        character_coverage=0.9995, normalization_rule_name="nmt_nfkc", pad_id=0, eos_id=1, unk_id=2, bos_id=-1,
        pad_piece="<pad>", eos_piece="</s>", unk_piece="<unk>", num_threads=1, minloglevel=2)
    shutil.copy(os.path.join(work, "spiece.model"), os.path.join(OUT, "spiece.model"))

    # From a folder holding only spiece.model, as a MusicGen folder without tokenizer.json.
    source = os.path.join(work, "source")
    os.makedirs(source)
    shutil.copy(os.path.join(work, "spiece.model"), os.path.join(source, "spiece.model"))
    tokenizer = T5Tokenizer.from_pretrained(source)
    saved = os.path.join(work, "saved")
    tokenizer.save_pretrained(saved)
    shutil.copy(os.path.join(saved, "tokenizer.json"), os.path.join(OUT, "tokenizer.json"))
    # The reloaded tokenizer.json must agree with the one built from spiece.model.
    reloaded = T5Tokenizer.from_pretrained(saved)

    processor = spm.SentencePieceProcessor(model_file=os.path.join(OUT, "spiece.model"))
    strings = test_strings()
    ids = [tokenizer(s)["input_ids"] for s in strings]
    assert ids == [reloaded(s)["input_ids"] for s in strings], "tokenizer.json disagrees with spiece.model"
    truncated = [tokenizer(s, truncation=True, max_length=TRUNCATE_TO)["input_ids"] for s in strings]
    fixture = {
        "vocab_size": len(tokenizer),
        "strings": strings,
        "ids": ids,
        "truncated": {"max_length": TRUNCATE_TO, "ids": truncated},
        "sentencepiece_ids": [processor.encode(s) + [1] for s in strings],
    }
    with open(os.path.join(OUT, "t5_ids.json"), "w", encoding="utf-8") as f:
        json.dump(fixture, f, ensure_ascii=False)
    differ = sum(a != b for a, b in zip(ids, fixture["sentencepiece_ids"]))
    print(f"wrote {OUT}: {len(strings)} strings, vocab {len(tokenizer)}, "
          f"{differ} differ between transformers and sentencepiece, longest {max(map(len, ids))} ids")


if __name__ == "__main__":
    main()
