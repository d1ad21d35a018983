#!/usr/bin/env bash
# The README's main job: fit an instrument to the bundled clip on a short schedule, then show
# what the clip and the instrument are and where the report is.
set -euo pipefail
harp="$1"; clip="$2"; out="$3"; iterations="${4:-400}"
"$harp" info "$clip"
"$harp" fit "$clip" -o "$out" --iterations "$iterations"
"$harp" render "$out/instrument.safetensors" -o "$out/performance.wav" --random --seed 7
echo
echo "Open $out/report.html to listen to the original, the reconstruction and a random performance."
echo "Fit longer for a closer reconstruction: $harp fit $clip -o $out --resume --iterations 10000"
