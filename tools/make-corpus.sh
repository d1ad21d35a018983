#!/usr/bin/env bash
# make-corpus.sh OUT_DIR [--extra]
#
# Builds Harp's training corpus (about 10 h of music and 8 h of speech) from openly licensed
# recordings in Debian packages, as described in docs/corpus.md. Nothing is installed system wide
# for the audio: each package is fetched with `apt-get download`, unpacked with `dpkg-deb -x` into a
# temporary folder, its audio copied (or decoded) into OUT_DIR, its copyright file copied to
# OUT_DIR/licenses/PKG.copyright, and the rest deleted; the disk peak is about 0.5 GB over the
# output. `--extra` adds ufoai-music and planetblupi-music-ogg (about +6.7 h of music).
#
# Output:
#   OUT/music/PKG/...  OUT/speech/PKG/...   the training audio (Ogg Vorbis, Opus, WAV, FLAC)
#   OUT/eval/PKG/...                         held-out evaluation files (never in the manifest)
#   OUT/licenses/PKG.copyright               each package's debian/copyright
#   OUT/MANIFEST.tsv                         path, package, version, category, seconds, rate,
#                                            channels, licence (one row per training file)
#   OUT/held-out.txt                         the evaluation files and packages kept out
#   OUT/.state/                              per-package progress (re-running skips finished
#                                            packages), the log of every run (dropped files)
#
# Needs: apt-get, dpkg-deb, python3. Python packages numpy, soundfile (its wheel bundles a
# libsndfile that reads Ogg Vorbis and Opus) and g722 (G.722 decoder for the Asterisk prompts)
# come from PyPI into a venv this script makes at $HARP_CORPUS_VENV (default
# ~/.cache/harp/corpus-venv), or give an interpreter that has them in $HARP_PYTHON. When python3's
# venv module is missing, Debian's python3-venv is installed (tools/install-deps.sh), and
# `apt-get update` is run once if the package lists do not know the packages yet. No sox/ffmpeg
# needed: durations come from decoding every file with the wheel's libsndfile; at the end 25 files
# of each format are read again with the system libsndfile (the one Harp links), if present.
#
# Idempotent: a package whose rows are in OUT/.state/PKG.tsv is skipped; a half-done package is
# redone from scratch. Errors stop the script with one line (details in OUT/.state/make-corpus.log).
set -Eeuo pipefail

TOOLS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly TOOLS
readonly HELPER="$TOOLS/corpus_audio.py"

# package | category | how to read the licence from its copyright file (corpus_audio.py licence_rule):
#   dep5:GLOB           the License of the machine-readable paragraph "Files: GLOB"
#   dep5-path:PREFIX    per file, by the DEP-5 rules, for PREFIX + the file's path in OUT/.../PKG
#   text:NAME:REGEX     NAME, checked by REGEX in a free-form copyright file
readonly CORE_PACKAGES=(
  "warzone2100-music|music|dep5:*"
  "wesnoth-1.16-music|music|text:GPL-2+:GNU General Public License version 2 or at your option any later version"
  "nexuiz-music|music|text:GPL-2+:General Public License as published by the Free Software Foundation; either version 2 of the License, or \(at your option\) any later version"
  "singularity-music|music|text:CC-BY-SA-3.0:Creative Commons Compatible License.*License Elements.*Attribution, ShareAlike"
  "colobot-common-sounds|music|dep5:*"
  "fretsonfire-songs-sectoid|music|text:Expat:songs, performances and fret files are all Copyright.*Permission is hereby granted, free of charge"
  "fillets-ng-data-nl|speech|text:GPL-2:General Public License as published by the Free Software Foundation; version 2 dated June, 1991"
  "tuxpaint-stamps-default|speech|dep5:*"
  "asterisk-core-sounds-en-g722|speech|dep5:*"
  "asterisk-core-sounds-es-g722|speech|dep5:*"
  "asterisk-core-sounds-fr-g722|speech|dep5:fr-*"
  "asterisk-core-sounds-it-g722|speech|dep5:it-*"
  "asterisk-core-sounds-ru-g722|speech|dep5:ru-*"
  "asterisk-prompt-it-menardi-wav|speech|dep5:*"
  "klettres-data|speech|dep5:*"
  "ktuberling-data|speech|dep5:*"
)
readonly EXTRA_PACKAGES=(
  "ufoai-music|music|dep5-path:base/"
  "planetblupi-music-ogg|music|dep5:*"
)
# Reserved for evaluation: never taken into the training set.
readonly EVALUATION_PACKAGES=(frozen-bubble-data csmash-data fretsonfire-songs-muldjord
  fillets-ng-data-cs csound-doc alsa-utils supercollider supercollider-common)
# Wesnoth tracks kept out of training and extracted into OUT/eval/ instead.
readonly WESNOTH_EVAL=(elvish-theme.ogg love_theme.ogg traveling_minstrels.ogg)

die() { echo "make-corpus: $*" >&2; exit 1; }

# The ERR trap: one line from the main shell; a failing subshell just exits.
# shellcheck disable=SC2317  # called by the trap
on_error() {
  [ "$BASH_SUBSHELL" -eq 0 ] || exit 1
  die "${PKG:-setup}: line $1: $2 failed (log: $LOG)"
}

usage() { die "usage: tools/make-corpus.sh OUT_DIR [--extra]"; }

# run DESCRIPTION COMMAND... — runs COMMAND with its output in the log; one line on failure.
run() {
  local what=$1; shift
  if ! "$@" >>"$LOG" 2>&1; then
    die "${PKG:-setup}: $what failed: $(tail -n 1 "$LOG") (log: $LOG)"
  fi
}

# run_into FILE DESCRIPTION COMMAND... — like run, with COMMAND's standard output into FILE.
run_into() {
  local file=$1 what=$2; shift 2
  if ! "$@" >"$file" 2>>"$LOG"; then
    die "${PKG:-setup}: $what failed: $(tail -n 1 "$LOG") (log: $LOG)"
  fi
}

# shellcheck disable=SC2317  # called through run
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

check_tools() {
  local tool
  for tool in apt-get apt-cache dpkg-deb python3 find; do
    command -v "$tool" >/dev/null || die "needs '$tool' (a Debian system with apt)"
  done
}

check_disk() {
  local free_mb
  free_mb=$(df -Pm "$OUT" | awk 'NR==2 {print $4}')
  [ "$free_mb" -ge 3000 ] || die "needs 3 GB free on $(df -P "$OUT" | awk 'NR==2 {print $6}'), has ${free_mb} MB"
  free_mb=$(df -Pm "$SCRATCH_PARENT" | awk 'NR==2 {print $4}')
  [ "$free_mb" -ge 1000 ] || die "needs 1 GB free in $SCRATCH_PARENT, has ${free_mb} MB"
}

# Sets PY to an interpreter with numpy, soundfile and g722.
setup_python() {
  local probe='import numpy, soundfile, G722'
  if [ -n "${HARP_PYTHON:-}" ]; then
    PY=$HARP_PYTHON
    "$PY" -c "$probe" >>"$LOG" 2>&1 || die "\$HARP_PYTHON ($PY) lacks numpy, soundfile or g722 (pip install numpy soundfile g722)"
    return
  fi
  local venv=${HARP_CORPUS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/harp/corpus-venv}
  PY=$venv/bin/python
  if [ -x "$PY" ] && "$PY" -c "$probe" >>"$LOG" 2>&1; then return; fi
  echo "setting up $venv (numpy, soundfile, g722 from PyPI)"
  python3 -c 'import ensurepip, venv' >>"$LOG" 2>&1 || run "installing python3-venv" "$TOOLS/install-deps.sh" python3-venv
  run "creating the venv" python3 -m venv "$venv"
  run "pip install numpy soundfile g722" "$venv/bin/python" -m pip install -q numpy soundfile g722
  "$PY" -c "$probe" >>"$LOG" 2>&1 || die "the venv at $venv still lacks numpy, soundfile or g722"
}

# Runs apt-get update once when apt does not know a package still to be made (one apt-cache call
# when all are known: each takes seconds on a loaded machine).
ensure_package_lists() {
  local entry todo=()
  for entry in "${PACKAGES[@]}"; do
    [ -s "$STATE/${entry%%|*}.tsv" ] || todo+=("${entry%%|*}")
  done
  [ ${#todo[@]} -gt 0 ] || return 0
  apt-cache show --no-all-versions "${todo[@]}" >/dev/null 2>&1 && return 0
  echo "apt-get update (the package lists do not know every package)"
  run "apt-get update" as_root apt-get update -qq
  apt-cache show --no-all-versions "${todo[@]}" >/dev/null 2>&1 && return 0
  for entry in "${todo[@]}"; do
    apt-cache show --no-all-versions "$entry" >/dev/null 2>&1 ||
      die "$entry: not in this machine's Debian package lists"
  done
}

check_not_reserved() {
  local entry reserved
  for entry in "${PACKAGES[@]}"; do
    for reserved in "${EVALUATION_PACKAGES[@]}"; do
      [ "${entry%%|*}" != "$reserved" ] || die "$reserved is reserved for evaluation"
    done
  done
}

# copy_matching SRC DEST FIND-TESTS... — copies the files under SRC that pass FIND-TESTS, keeping
# their paths relative to SRC.
copy_matching() {
  local src=$1 dest=$2; shift 2
  [ -d "$src" ] || die "$PKG: the package has no $src any more: update make-corpus.sh"
  mkdir -p "$dest"
  (cd "$src" && find . -type f "$@" -exec cp --parents -t "$dest" -- {} +)
}

# Frets on Fire songs: song.ogg is the backing track and guitar.ogg (rhythm.ogg) the stems the
# player plays; the game plays their sum, which is what the corpus keeps (one FLAC per song).
take_fretsonfire() {
  local src=$1 dest=$2 song stems stem
  mkdir -p "$dest"
  for song in "$src"/*/; do
    [ -f "$song/song.ogg" ] || continue
    stems=("$song/song.ogg")
    for stem in guitar.ogg rhythm.ogg; do [ -f "$song/$stem" ] && stems+=("$song/$stem"); done
    run "mixing $(basename "$song")" "$PY" "$HELPER" mix "$dest/$(basename "$song").flac" "${stems[@]}"
  done
}

take_wesnoth() {
  local src=$1 dest=$2 name
  local eval_dir=$OUT/eval/$PKG
  rm -rf "$eval_dir"; mkdir -p "$eval_dir"
  for name in "${WESNOTH_EVAL[@]}"; do
    [ -f "$src/$name" ] || die "$PKG: evaluation track $name is missing"
    cp -- "$src/$name" "$eval_dir/"
  done
  copy_matching "$src" "$dest" -name '*.ogg' ! -name "${WESNOTH_EVAL[0]}" ! -name "${WESNOTH_EVAL[1]}" ! -name "${WESNOTH_EVAL[2]}"
}

# take_audio ROOT DEST — copies (or decodes) package PKG's training audio from its unpacked ROOT.
take_audio() {
  local root=$1 dest=$2 sounds=$1/usr/share/asterisk/sounds
  case $PKG in
    warzone2100-music) copy_matching "$root/usr/share/games/warzone2100/music" "$dest" -name '*.opus' ;;
    wesnoth-1.16-music) take_wesnoth "$root/usr/share/games/wesnoth/1.16/data/core/music" "$dest" ;;
    nexuiz-music|ufoai-music)
      local pk3
      while IFS= read -r -d '' pk3; do
        run "unpacking $(basename "$pk3")" "$PY" "$HELPER" pk3 "$pk3" "$dest"
      done < <(find "$root/usr/share/games" -name '*.pk3' -print0)
      ;;
    singularity-music) copy_matching "$root/usr/share/games/singularity/music" "$dest" -name '*.ogg' ;;
    colobot-common-sounds) copy_matching "$root/usr/share/games/colobot/music" "$dest" -name '*.ogg' ;;
    fretsonfire-songs-sectoid) take_fretsonfire "$root/usr/share/games/fretsonfire/data/songs/sectoid" "$dest" ;;
    planetblupi-music-ogg) copy_matching "$root/usr/share/planetblupi/music" "$dest" -name '*.ogg' ;;
    fillets-ng-data-nl) copy_matching "$root/usr/share/games/fillets-ng/sound" "$dest" -path '*/nl/*' -name '*.ogg' ;;
    tuxpaint-stamps-default)
      copy_matching "$root/usr/share/tuxpaint/stamps" "$dest" -name '*_desc*' \( -name '*.ogg' -o -name '*.wav' \) ;;
    asterisk-core-sounds-*-g722)
      [ -d "$sounds" ] || die "$PKG: no $sounds any more: update make-corpus.sh"
      find "$sounds" -type d -name silence -prune -exec rm -rf {} +
      run "decoding G.722" "$PY" "$HELPER" g722 "$sounds" "$dest"
      ;;
    asterisk-prompt-it-menardi-wav)
      copy_matching "$sounds" "$dest" -name '*.wav' ! -path '*/silence/*' ;;
    klettres-data) copy_matching "$root/usr/share/klettres" "$dest" -name '*.ogg' ;;
    ktuberling-data)
      copy_matching "$root/usr/share/ktuberling/sounds" "$dest" \( -name '*.ogg' -o -name '*.wav' -o -name '*.opus' \) ;;
    *) die "$PKG: no recipe" ;;
  esac
}

hours_of() { awk -F'\t' '{s += $5} END {printf "%.2f", s / 3600}' "$1"; }

# make_package INDEX ENTRY — fetches, unpacks, copies, probes one package; skips finished ones.
make_package() {
  local index=$1 entry=$2
  local category spec deb version licences dest rows work
  IFS='|' read -r PKG category spec <<<"$entry"
  rows=$STATE/$PKG.tsv
  if [ -s "$rows" ]; then
    echo "[$index/${#PACKAGES[@]}] $PKG: done before ($(wc -l <"$rows") files, $(hours_of "$rows") h), skipped"
    return
  fi
  echo "[$index/${#PACKAGES[@]}] $PKG: downloading"
  dest=$OUT/$category/$PKG
  rm -rf "$dest" "$OUT/eval/$PKG" "$OUT/licenses/$PKG.copyright"
  work=$SCRATCH/$PKG
  mkdir -p "$work/deb"
  # apt drops root to _apt for downloads; let it write into the folder.
  if [ "$(id -u)" -eq 0 ] && id _apt >/dev/null 2>&1; then chown _apt "$work/deb"; fi
  cd "$work/deb"
  run "apt-get download" apt-get download -q "$PKG"
  cd "$OUT"
  deb=$(find "$work/deb" -name '*.deb' | head -n 1)
  [ -n "$deb" ] || die "$PKG: apt-get download left no .deb"
  version=$(dpkg-deb -f "$deb" Version)
  run "dpkg-deb -x" dpkg-deb -x "$deb" "$work/root"
  rm -f "$deb"
  local copyright=$OUT/licenses/$PKG.copyright
  [ -f "$work/root/usr/share/doc/$PKG/copyright" ] || die "$PKG: no usr/share/doc/$PKG/copyright in the package"
  mkdir -p "$OUT/licenses"
  cp -- "$work/root/usr/share/doc/$PKG/copyright" "$copyright"
  take_audio "$work/root" "$dest"
  rm -rf "$work"
  run_into "$rows.partial" "reading the audio" "$PY" "$HELPER" probe "$OUT" "$PKG" "$version" "$category" "$copyright" "$spec"
  if [ "$PKG" = wesnoth-1.16-music ]; then
    run_into "$STATE/eval-$PKG.tsv" "reading the evaluation tracks" "$PY" "$HELPER" probe "$OUT" "$PKG" "$version" eval "$copyright" "$spec"
  fi
  mv "$rows.partial" "$rows"
  licences=$(cut -f 8 "$rows" | sort -u | paste -sd, -)
  echo "[$index/${#PACKAGES[@]}] $PKG $version: $(wc -l <"$rows") files, $(hours_of "$rows") h, $(du -sm "$dest" | cut -f1) MB ($licences)"
}

write_manifest() {
  local entry tmp=$OUT/MANIFEST.tsv.partial
  printf 'path\tpackage\tversion\tcategory\tduration_seconds\tsample_rate\tchannels\tlicence\n' >"$tmp"
  for entry in "${PACKAGES[@]}"; do cat "$STATE/${entry%%|*}.tsv" >>"$tmp"; done
  mv "$tmp" "$OUT/MANIFEST.tsv"
}

write_held_out() {
  local tmp=$OUT/held-out.txt.partial
  {
    echo "# Kept out of the training set (MANIFEST.tsv) for evaluation."
    echo "# Files extracted here (path, package, version, category, duration_seconds, sample_rate, channels, licence):"
    cat "$STATE/eval-wesnoth-1.16-music.tsv"
    echo "# Debian packages reserved for evaluation, never taken into the corpus (not extracted):"
    printf '%s\n' "${EVALUATION_PACKAGES[@]}"
  } >"$tmp"
  mv "$tmp" "$OUT/held-out.txt"
}

main() {
  local extra=0 arg out=""
  for arg in "$@"; do
    case $arg in
      --extra) extra=1 ;;
      -h|--help) sed -n '2,/^set -E/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
      -*) usage ;;
      *) [ -z "$out" ] || usage; out=$arg ;;
    esac
  done
  [ -n "$out" ] || usage
  PACKAGES=("${CORE_PACKAGES[@]}")
  [ "$extra" -eq 0 ] || PACKAGES+=("${EXTRA_PACKAGES[@]}")
  check_tools
  mkdir -p "$out" 2>/dev/null || die "cannot create $out"
  OUT=$(cd "$out" && pwd)
  STATE=$OUT/.state
  mkdir -p "$STATE"
  LOG=$STATE/make-corpus.log
  echo "== make-corpus.sh $* ($(date -u '+%Y-%m-%d %H:%M:%S UTC'))" >>"$LOG"
  exec 9>"$STATE/lock"
  flock -n 9 || die "another make-corpus.sh is writing $OUT"
  SCRATCH_PARENT=${TMPDIR:-/tmp}
  check_disk
  check_not_reserved
  # A run killed with SIGKILL leaves its scratch folder; the next run on OUT removes it.
  local stale
  stale=$(cat "$STATE/scratch" 2>/dev/null || true)
  case $stale in */harp-corpus.??????) rm -rf "$stale" ;; esac
  SCRATCH=$(mktemp -d "$SCRATCH_PARENT/harp-corpus.XXXXXX")
  chmod 755 "$SCRATCH"
  echo "$SCRATCH" >"$STATE/scratch"
  trap 'rm -rf "$SCRATCH"' EXIT
  trap 'on_error "$LINENO" "$BASH_COMMAND"' ERR
  setup_python
  ensure_package_lists
  local index=0 entry
  for entry in "${PACKAGES[@]}"; do
    index=$((index + 1))
    make_package "$index" "$entry"
  done
  PKG=""
  # Folders left empty by dropped duplicates (e.g. KTuberling's Serbian variants).
  find "$OUT/music" "$OUT/speech" -mindepth 1 -type d -empty -delete
  local folder
  for folder in "$OUT"/music/* "$OUT"/speech/*; do
    [ -d "$folder" ] || continue
    printf '%s\n' "${PACKAGES[@]}" | cut -d'|' -f1 | grep -qxF "${folder##*/}" ||
      echo "note: $folder is from another run's package list and not in MANIFEST.tsv (remove it, or run with --extra)"
  done
  write_manifest
  write_held_out
  run_into "$STATE/check.txt" "reading a sample with the system libsndfile" "$PY" "$HELPER" check "$OUT" 25
  echo "decode check: $(cat "$STATE/check.txt")"
  echo "corpus in $OUT: $("$PY" "$HELPER" summary "$OUT/MANIFEST.tsv" "$OUT")"
}

main "$@"; exit $?  # on one line: an edit to this file during a run cannot be read mid-run
