#!/usr/bin/env bash
# kill9-resume.sh [--rounds N] [--harp PATH] [fit|train|both]
#
# Kills `harp fit` and `harp train codec` with SIGKILL at random moments, N times each (default
# 20), resuming after every kill, and checks after each one that
#   - every output file in the run's folder is whole (safetensors headers and sizes agree, WAVs
#     open with `harp info`, PNGs end with IEND, HTML pages are closed): outputs are written to a
#     temporary name and renamed, so a kill leaves the old file or the new one, never half of one;
#   - the checkpoint's step never goes backwards, and `--resume` continues from it;
# and finally lets the last resume run to the end (exit 0, every step done).
#
# Small models and a generated clip keep a round to a few seconds; the kill lands anywhere in
# start-up, the corpus build, a step, a checkpoint or a report write. Needs python3 (standard
# library only) for the file checks. Prints one line per round and a summary; exits non-zero on
# the first failure.
set -Eeuo pipefail

ROUNDS=20
HARP=".build/release/harp"
WHICH="both"
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --harp) HARP="$2"; shift 2 ;;
    fit|train|both) WHICH="$1"; shift ;;
    *) echo "usage: $0 [--rounds N] [--harp PATH] [fit|train|both]" >&2; exit 2 ;;
  esac
done
[ -x "$HARP" ] || { echo "kill9-resume: no harp at $HARP (swift build -c release --product harp)" >&2; exit 2; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/harp-kill9.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# Checks every output of a run folder; prints the checkpoint's step (0 when there is none yet).
check_outputs() {
  python3 - "$1" "$HARP" <<'PY'
import json, os, struct, subprocess, sys
folder, harp = sys.argv[1], sys.argv[2]

def safetensors_step(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise SystemExit(f"half-written: {path} ({len(data)} bytes)")
    n = struct.unpack("<Q", data[:8])[0]
    try:
        header = json.loads(data[8:8 + n])
    except ValueError:
        raise SystemExit(f"half-written: {path} (its header does not parse)")
    end = max([v["data_offsets"][1] for k, v in header.items() if k != "__metadata__"] or [0])
    if len(data) != 8 + n + end:
        raise SystemExit(f"half-written: {path} holds {len(data)} bytes, its header says {8 + n + end}")
    meta = header.get("__metadata__", {})
    if "harp.checkpoint" in meta and "step" in json.loads(meta["harp.checkpoint"]):
        return json.loads(meta["harp.checkpoint"])["step"]
    if "loss_history" in header:  # the instrument's checkpoint: one loss per iteration done
        shape = header["loss_history"]["shape"]
        return shape[0] if shape else 0
    return None

step = 0
for root, dirs, files in os.walk(folder):
    dirs[:] = [d for d in dirs if d != "cache"]
    for name in files:
        path = os.path.join(root, name)
        if ".tmp" in name:
            continue  # a temporary a kill left behind: never read by Harp, replaced next write
        if name.endswith(".safetensors"):
            s = safetensors_step(path)
            if name == "checkpoint.safetensors":
                step = s or 0
        elif name.endswith(".wav"):
            r = subprocess.run([harp, "info", path], capture_output=True, text=True)
            if r.returncode != 0:
                raise SystemExit(f"half-written: {path}: {r.stderr.strip()}")
        elif name.endswith(".png"):
            with open(path, "rb") as f:
                data = f.read()
            if not (data.startswith(b"\x89PNG") and data[-12:-8] == b"\x00\x00\x00\x00" and data[-8:-4] == b"IEND"):
                raise SystemExit(f"half-written: {path}")
        elif name.endswith(".html"):
            with open(path, encoding="utf-8") as f:
                if not f.read().rstrip().endswith("</html>"):
                    raise SystemExit(f"half-written: {path}")
        elif name.endswith(".json"):
            with open(path, encoding="utf-8") as f:
                json.load(f)
print(step)
PY
}

# One experiment: `$1` names it, the rest is the command without -o / --resume.
torture() {
  local label="$1" total="$2" window="$3"; shift 3
  local run="$WORK/$label" log="$WORK/$label.log" previous=0 kills=0
  for round in $(seq 1 "$ROUNDS"); do
    local resume=()
    [ -f "$run/checkpoint.safetensors" ] && resume=(--resume)
    "$HARP" "$@" -o "$run" "${resume[@]}" >"$log" 2>&1 &
    local pid=$!
    # Anywhere from start-up to a few checkpoints in.
    sleep "$(python3 -c "import random; print(round(random.uniform(0.2, $window), 2))")"
    if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
    wait "$pid" 2>/dev/null || true
    local step
    step="$(check_outputs "$run")" || { echo "$label round $round: FAILED: $step"; cat "$log" | tail -3; exit 1; }
    if [ "$step" -lt "$previous" ]; then
      echo "$label round $round: FAILED: the checkpoint went back from step $previous to $step"; exit 1
    fi
    echo "$label round $round: killed at checkpoint step $step of $total (${resume[*]:-fresh})"
    previous="$step"
    [ "$step" -ge "$total" ] && { echo "$label: finished before round $round; use more steps"; break; }
  done
  local resume=()
  [ -f "$run/checkpoint.safetensors" ] && resume=(--resume)
  "$HARP" "$@" -o "$run" "${resume[@]}" >"$log" 2>&1 || { echo "$label: the final resume failed:"; tail -3 "$log"; exit 1; }
  local final
  final="$(check_outputs "$run")"
  [ "$final" -eq "$total" ] || { echo "$label: the final run stopped at step $final of $total"; exit 1; }
  echo "$label: $kills kills, every output whole after each, resumed to step $final of $total"
}

python3 - "$WORK/clip.wav" <<'PY'
import math, struct, sys, wave
rate, n = 22050, 22050
with wave.open(sys.argv[1], "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(rate)
    w.writeframes(b"".join(struct.pack("<h", int(12000 * math.exp(-3 * i / rate) * math.sin(2 * math.pi * 440 * i / rate)))
                           for i in range(n)))
PY
mkdir -p "$WORK/data" && cp "$WORK/clip.wav" "$WORK/data/a.wav" && cp "$WORK/clip.wav" "$WORK/data/b.wav"

if [ "$WHICH" != "train" ]; then
  torture fit 4000 4 fit "$WORK/clip.wav" --iterations 4000 --samples 8192 --oscillators 8 --resonances 4 \
    --control-dimensions 4 --checkpoint-every 25 --fft-planning estimate --threads 1
fi
if [ "$WHICH" != "fit" ]; then
  torture train 400 8 train codec "$WORK/data" --steps 400 --batch 2 --seconds 0.2 --filters 2 --codebook-size 16 \
    --checkpoint-every 5 --report-every 20
fi
