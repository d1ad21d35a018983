#!/bin/sh
# Speed sanity for the ops (not a test, not a harness: `harp bench engine` will own that).
# Builds HarpTensor in release in a scratch package under /tmp (so the repository's Package.swift
# and build directory are untouched), runs tools/bench_ops/main.swift, then the same measurements
# in PyTorch with 2 threads. Usage: sh tools/bench_ops.sh
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=${TMPDIR:-/tmp}/harp-bench-ops
mkdir -p "$scratch/Sources/bench"
ln -sfn "$root/Sources/HarpTensor" "$scratch/Sources/HarpTensor"
ln -sfn "$root/Sources/CBLAS" "$scratch/Sources/CBLAS"
ln -sfn "$root/Sources/CFFTW" "$scratch/Sources/CFFTW"
cp "$root/tools/bench_ops/main.swift" "$scratch/Sources/bench/main.swift"
cat > "$scratch/Package.swift" <<'SWIFT'
// swift-tools-version: 6.0
import PackageDescription
let package = Package(name: "bench", targets: [
    .systemLibrary(name: "CBLAS", pkgConfig: "openblas"),
    .systemLibrary(name: "CFFTW", pkgConfig: "fftw3f"),
    .target(name: "HarpTensor", dependencies: ["CBLAS", "CFFTW"],
            swiftSettings: [.unsafeFlags(["-target-cpu", "haswell"])]),
    .executableTarget(name: "bench", dependencies: ["HarpTensor"]),
], swiftLanguageModes: [.v5])
SWIFT
(cd "$scratch" && swift build -c release --product bench >/dev/null && .build/release/bench)
"${PYTHON:-/work/venv/bin/python}" "$root/tools/bench_ops.py"
