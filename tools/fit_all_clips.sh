#!/usr/bin/env bash
# Fits an instrument to every clip in a folder (default ../shared/audio) and prints a table of
# the loss after the given number of iterations (the last step's, and the mean of the last 100:
# each step draws fresh attack noise, so single losses scatter by ±20 %), the time per iteration
# and the compression ratio.
#   tools/fit_all_clips.sh [ITERATIONS] [AUDIO_DIR] [OUT_DIR]
set -euo pipefail
iterations="${1:-1000}"; audio="${2:-../shared/audio}"; out="${3:-clip-fits}"
harp=.build/release/harp
[ -x "$harp" ] || swift build -c release --product harp
mkdir -p "$out"
echo "| clip | seconds | iterations | final loss | mean of last 100 | s/iteration | compression ratio |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for clip in "$audio"/*.flac "$audio"/*.ogg; do
  name=$(basename "${clip%.*}")
  duration=$("$harp" info --json "$clip" | sed -n 's/.*"durationSeconds":\([0-9.]*\).*/\1/p')
  offset=0
  # Clips shorter than the model's 5.94 s get a shorter model; long pieces start 30 s in.
  extra=()
  if awk "BEGIN{exit !($duration < 5.95)}"; then extra=(--seconds "$(awk "BEGIN{print $duration - 0.05}")"); fi
  if awk "BEGIN{exit !($duration > 60)}"; then offset=30; fi
  start=$(date +%s.%N)
  # A fit whose control signal dies stops early with an error; the table still gets its row.
  "$harp" fit "$clip" -o "$out/$name" --iterations "$iterations" --offset "$offset" "${extra[@]}" > /dev/null 2> "$out/$name.log" || true
  end=$(date +%s.%N)
  steps=$(( $(wc -l < "$out/$name/loss.csv") - 1 ))
  loss=$(tail -n 1 "$out/$name/loss.csv" | cut -d, -f2)
  recent=$(tail -n 100 "$out/$name/loss.csv" | awk -F, '{ s += $2; n++ } END { printf "%.1f", s / n }')
  ratio=$(grep -o 'Compression ratio[^<]*</td><td>[0-9.]*' "$out/$name/report.html" | grep -o '[0-9.]*$')
  per=$(awk "BEGIN{printf \"%.3f\", ($end - $start) / $steps}")
  echo "| $name | $duration | $steps | $loss | $recent | $per | $ratio |"
done
