"""T5 relative-position buckets from transformers, for Harp's HarpGenerateTests.

Writes Tests/HarpGenerateTests/Fixtures/t5_buckets.json: for each (num_buckets, max_distance)
setting, the bucket of every relative position in [-600, 600] as T5Attention computes it
(bidirectional, the encoder's case). Run with the project venv:

    /work/venv/bin/python tools/musicgen/make_bucket_fixture.py
"""
import json
import os

import torch
from transformers.models.t5.modeling_t5 import T5Attention

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "Tests", "HarpGenerateTests", "Fixtures", "t5_buckets.json")

positions = torch.arange(-600, 601, dtype=torch.long)
cases = []
for buckets, distance in [(32, 128), (32, 64), (16, 32), (64, 256)]:
    values = T5Attention._relative_position_bucket(positions, bidirectional=True, num_buckets=buckets,
                                                   max_distance=distance)
    cases.append({"buckets": buckets, "max_distance": distance, "first_position": -600,
                  "values": values.tolist()})
with open(OUT, "w") as f:
    json.dump(cases, f)
print(f"wrote {OUT}")
