#!/usr/bin/env python3
"""Audio and licence helpers for tools/make-corpus.sh (not meant to be run alone).

Needs numpy, soundfile (libsndfile >= 1.0.29 for Opus) and, for `g722`, the PyPI package `g722`.
Every subcommand prints nothing on success except what it is asked for, and on failure prints one
line `corpus_audio: <message>` to stderr and exits 1.

Subcommands:
  pk3 ARCHIVE DEST
      Extracts the .ogg members of a .pk3 (zip) archive into DEST, keeping their paths.
  g722 SRC DEST
      Decodes every non-empty *.g722 under SRC (raw G.722, 64 kbit/s, 16 kHz) into
      DEST/<same path>.flac (16 kHz mono, 16-bit).
  mix OUT IN...
      Sums stems sample by sample (same rate and channels; shorter ones padded with zeros),
      scales the sum down if its peak exceeds 0.99, writes a 16-bit FLAC.
  probe ROOT PKG VERSION CATEGORY COPYRIGHT SPEC
      Reads every audio file under ROOT/CATEGORY/PKG completely, and prints one manifest row per
      file that decodes and is not digital silence (peak below -60 dBFS) nor a byte-identical copy
      of an earlier file. Rejected files are deleted and reported on stderr with a reason; a
      file that fails to decode is an error. The licence column is read from the Debian
      copyright file COPYRIGHT by SPEC (see `licence_rule`): `dep5:GLOB`, `dep5-path:PREFIX` or
      `text:NAME:REGEX`.
  summary MANIFEST ROOT
      Prints the totals of a manifest: hours of music and speech, files, MB of audio.
  check ROOT N
      Reads N files of each format in ROOT/MANIFEST.tsv (seeded sample) with the system
      libsndfile, the one Harp links, and checks rate, channels and duration against the manifest.
"""

import hashlib
import os
import re
import sys
import zipfile

AUDIO_EXTENSIONS = (".ogg", ".opus", ".wav", ".flac")
SILENCE_PEAK = 10 ** (-60 / 20)
BLOCK_FRAMES = 1 << 18


class CorpusError(Exception):
    pass


def dep5_paragraphs(text):
    """(list of Files globs, License short name) for each DEP-5 paragraph that has both."""
    paragraphs = []
    for paragraph in re.split(r"\n\s*\n", text):
        fields, current = {}, None
        for line in paragraph.splitlines():
            if line[:1] in (" ", "\t"):
                if current == "files":
                    fields["files"] += " " + line.strip()
                continue
            key, sep, value = line.partition(":")
            if sep:
                current = key.strip().lower()
                fields[current] = value.strip()
        if fields.get("files") and fields.get("license"):
            paragraphs.append((fields["files"].split(), fields["license"]))
    return paragraphs


def dep5_glob_matches(glob, path):
    """DEP-5 Files syntax: `*` matches any run of characters including `/`, `?` one character."""
    pattern = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in glob)
    return re.fullmatch(pattern, path) is not None


def licence_rule(path, spec):
    """A function from a file's path inside its package folder to its licence short name.

    `dep5:GLOB`: the License of the paragraph whose Files lists GLOB (one licence for every file).
    `dep5-path:PREFIX`: per file, the License of the last paragraph whose Files globs match
    PREFIX + the file's path (the DEP-5 rule), for packages whose copyright lists files.
    `text:NAME:REGEX`: NAME, if REGEX (whitespace-insensitive) is found in a free-form file.
    """
    with open(path, encoding="utf-8", errors="replace") as handle:
        text = handle.read()
    kind, _, rest = spec.partition(":")
    if kind in ("dep5", "dep5-path") and not text.startswith("Format:"):
        raise CorpusError(f"{path} is not a machine-readable copyright file")
    if kind == "dep5":
        for globs, name in dep5_paragraphs(text):
            if rest in globs:
                return lambda _: name
        raise CorpusError(f"{path} has no 'Files: {rest}' paragraph with a License field")
    if kind == "dep5-path":
        paragraphs = dep5_paragraphs(text)

        def per_file(relative):
            found = None
            for globs, name in paragraphs:
                if any(dep5_glob_matches(glob, rest + relative) for glob in globs):
                    found = name
            if found is None:
                raise CorpusError(f"{path} names no licence for {rest + relative}")
            return found

        return per_file
    if kind == "text":
        name, _, pattern = rest.partition(":")
        if re.search(pattern, " ".join(text.split()), flags=re.IGNORECASE):
            return lambda _: name
        raise CorpusError(f"{path} no longer says /{pattern}/: read it and update the table")
    raise CorpusError(f"unknown licence spec {spec!r}")


def extract_pk3(archive, dest):
    with zipfile.ZipFile(archive) as pk3:
        for member in pk3.infolist():
            name = member.filename
            if not name.lower().endswith(".ogg") or name.startswith("/") or ".." in name.split("/"):
                continue
            target = os.path.join(dest, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with pk3.open(member) as source, open(target, "wb") as sink:
                while chunk := source.read(1 << 20):
                    sink.write(chunk)


def decode_g722(src, dest):
    import numpy as np
    import soundfile as sf
    from G722 import G722

    count = 0
    for folder, _, names in os.walk(src):
        for name in sorted(names):
            if not name.endswith(".g722"):
                continue
            with open(os.path.join(folder, name), "rb") as handle:
                payload = handle.read()
            if not payload:
                print(f"  skipped {name}: empty", file=sys.stderr)
                continue
            samples = np.asarray(G722(16000, 64000, use_numpy=False).decode(payload), dtype=np.int16)
            relative = os.path.relpath(os.path.join(folder, name[: -len(".g722")] + ".flac"), src)
            target = os.path.join(dest, relative)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            sf.write(target, samples, 16000, subtype="PCM_16", format="FLAC")
            count += 1
    if count == 0:
        raise CorpusError(f"no .g722 files under {src}")


def mix(out, inputs):
    import numpy as np
    import soundfile as sf

    stems = [sf.read(path, dtype="float32", always_2d=True) for path in inputs]
    rates = {rate for _, rate in stems}
    channels = {data.shape[1] for data, _ in stems}
    if len(rates) != 1 or len(channels) != 1:
        raise CorpusError(f"stems differ in sample rate or channels: {inputs}")
    length = max(data.shape[0] for data, _ in stems)
    total = np.zeros((length, channels.pop()), dtype=np.float64)
    for data, _ in stems:
        total[: data.shape[0]] += data
    peak = float(np.max(np.abs(total))) if length else 0.0
    if peak > 0.99:
        total *= 0.99 / peak
    sf.write(out, total.astype(np.float32), rates.pop(), subtype="PCM_16", format="FLAC")


def read_fully(path):
    """(frames, sample rate, channels, peak, sha256 of the bytes) after decoding every block."""
    import numpy as np
    import soundfile as sf

    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    frames, peak = 0, 0.0
    with sf.SoundFile(path) as audio:
        rate, channels = audio.samplerate, audio.channels
        while True:
            block = audio.read(BLOCK_FRAMES, dtype="float32", always_2d=True)
            if block.shape[0] == 0:
                break
            frames += block.shape[0]
            peak = max(peak, float(np.max(np.abs(block))))
    return frames, rate, channels, peak, digest.hexdigest()


def probe(root, package, version, category, copyright_path, spec):
    base = os.path.join(root, category, package)
    licence_of = licence_rule(copyright_path, spec)
    seen = {}
    rows = 0
    for folder, dirs, names in os.walk(base):
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, root)
            if not name.lower().endswith(AUDIO_EXTENSIONS):
                raise CorpusError(f"{relative} is not an audio file the corpus takes")
            if "\t" in relative or "\n" in relative:
                raise CorpusError(f"{relative!r} has a tab or newline in its name")
            try:
                frames, rate, channels, peak, digest = read_fully(path)
            except Exception as error:  # libsndfile's errors are plain RuntimeError/LibsndfileError
                raise CorpusError(f"{relative} does not decode: {error}") from error
            reason = None
            if digest in seen:
                reason = f"identical to {seen[digest]}"
            elif frames == 0 or peak < SILENCE_PEAK:
                reason = f"silent (peak {peak:.2g})"
            if reason:
                os.remove(path)
                print(f"  dropped {relative}: {reason}", file=sys.stderr)
                continue
            seen[digest] = relative
            licence = licence_of(os.path.relpath(path, base))
            print(f"{relative}\t{package}\t{version}\t{category}\t{frames / rate:.3f}\t{rate}\t{channels}\t{licence}")
            rows += 1
    if rows == 0:
        raise CorpusError(f"no audio kept for {package}")


def summary(manifest, root):
    hours = {"music": 0.0, "speech": 0.0}
    files, size = 0, 0
    with open(manifest, encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            path, _, _, category, seconds, *_ = line.rstrip("\n").split("\t")
            hours[category] += float(seconds) / 3600
            files += 1
            size += os.path.getsize(os.path.join(root, path))
    print(f"music {hours['music']:.2f} h, speech {hours['speech']:.2f} h, {files} files, {size / 1e6:.0f} MB")


def check_with_system_libsndfile(root, per_format):
    """Reads a seeded sample of the manifest's files of each format with the system libsndfile
    (the library Harp links, not the soundfile wheel's) and compares rate, channels, duration."""
    import csv
    import ctypes
    import ctypes.util
    import random

    name = ctypes.util.find_library("sndfile")
    if name is None:
        print("system libsndfile not found: check skipped")
        return

    class Info(ctypes.Structure):
        _fields_ = [("frames", ctypes.c_int64), ("samplerate", ctypes.c_int), ("channels", ctypes.c_int),
                    ("format", ctypes.c_int), ("sections", ctypes.c_int), ("seekable", ctypes.c_int)]

    lib = ctypes.CDLL(name)
    lib.sf_open.restype = ctypes.c_void_p
    lib.sf_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(Info)]
    lib.sf_readf_float.restype = ctypes.c_int64
    lib.sf_readf_float.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_float), ctypes.c_int64]
    lib.sf_close.argtypes = [ctypes.c_void_p]
    lib.sf_version_string.restype = ctypes.c_char_p
    with open(os.path.join(root, "MANIFEST.tsv"), encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))[1:]
    by_format = {}
    for row in rows:
        by_format.setdefault(row[0].rsplit(".", 1)[-1], []).append(row)
    checked, worst = 0, 0.0
    for extension, group in sorted(by_format.items()):
        for row in random.Random(0).sample(group, min(int(per_format), len(group))):
            info = Info()
            handle = lib.sf_open(os.path.join(root, row[0]).encode(), 0x10, ctypes.byref(info))  # SFM_READ
            if not handle:
                raise CorpusError(f"{lib.sf_version_string().decode()} cannot open {row[0]}")
            buffer = (ctypes.c_float * (65536 * info.channels))()
            frames = 0
            while (count := lib.sf_readf_float(handle, buffer, 65536)) > 0:
                frames += count
            lib.sf_close(handle)
            if (info.samplerate, info.channels) != (int(row[5]), int(row[6])):
                raise CorpusError(f"{row[0]}: system libsndfile reads {info.samplerate} Hz x {info.channels}")
            worst = max(worst, abs(frames / info.samplerate - float(row[4])))
            checked += 1
    if worst > 0.01:
        raise CorpusError(f"system libsndfile's durations differ by up to {worst:.3f} s")
    print(f"{lib.sf_version_string().decode()} (system) read {checked} files "
          f"({', '.join(sorted(by_format))}), durations within {worst * 1000:.1f} ms")


def main(argv):
    commands = {
        "pk3": (2, lambda a: extract_pk3(*a)),
        "g722": (2, lambda a: decode_g722(*a)),
        "probe": (6, lambda a: probe(*a)),
        "summary": (2, lambda a: summary(*a)),
        "check": (2, lambda a: check_with_system_libsndfile(*a)),
    }
    if len(argv) >= 3 and argv[0] == "mix":
        mix(argv[1], argv[2:])
        return
    if not argv or argv[0] not in commands or len(argv) - 1 != commands[argv[0]][0]:
        raise CorpusError("usage: see the docstring of tools/corpus_audio.py")
    commands[argv[0]][1](argv[1:])


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except CorpusError as error:
        print(f"corpus_audio: {error}", file=sys.stderr)
        sys.exit(1)
