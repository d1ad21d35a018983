#!/usr/bin/env bash
# The README's main job on the bundled clip. Grows with the project: today it inspects the clip.
set -euo pipefail
harp="$1"; clip="$2"; out="$3"
mkdir -p "$out"
"$harp" info "$clip"
echo "demo output in $out/"
