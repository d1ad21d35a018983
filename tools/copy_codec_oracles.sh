#!/usr/bin/env bash
# Copies the codec oracle folders (made by ../shared/oracles/make_oracles.py from the reference
# `transformers` EncodecModel / DacModel) into the HarpCodecTests fixtures.
#
#   tools/copy_codec_oracles.sh [SEED_DIR]     (default: ../shared/oracles/seed0)
#
# Another seed: make it with
#   python make_oracles.py --seed 1 --out /tmp/oracles-seed1 --only encodec24k,encodec32k,encodec48k,dac
# and run the same tests on it without copying:
#   HARP_CODEC_ORACLES=/tmp/oracles-seed1 swift test --skip-build --filter "OracleParityTests|CodecLoaderTests|EncodecStreamTests"
set -euo pipefail
source_dir="${1:-$(dirname "$0")/../../shared/oracles/seed0}"
target="$(dirname "$0")/../Tests/HarpCodecTests/Fixtures/oracles"
mkdir -p "$target"
for model in encodec24k encodec32k encodec48k dac44k; do
    rm -rf "${target:?}/$model"
    mkdir -p "$target/$model"
    cp "$source_dir/$model"/{config.json,model.safetensors,io.safetensors,weights.txt} "$target/$model/"
done
echo "copied $(ls "$target" | wc -l) oracle folders from $source_dir"
