#!/usr/bin/env python3
"""The benchmark's random checkpoints, bit for bit as `node bench/peers/make_random_bert.mjs KIND`.

The device machine has no Node, and a BERT-base checkpoint (184 MB) cannot travel there, so it is
rebuilt there from the same seeded generator: mulberry32 is counter based (the k-th draw hashes
seed + k * 0x6d2b79f5), which numpy evaluates for all draws at once. Each value is a Box-Muller
normal from draws 2i and 2i+1, rounded to fp32 and then to fp16 exactly as the JS does. The
result's sha256 is printed so it can be compared with the JS-built file; only model.safetensors is
written (config.json, vocab.txt and tokenizer_config.json travel with the call: they are small).

  python3 tools/random_bert.py base OUT_DIR
"""
import hashlib
import json
import os
import sys

import numpy as np

SHAPES = {  # as SHAPES in bench/peers/make_random_bert.mjs
    "minilm": dict(hidden=384, layers=6, heads=12, ffn=1536, max_pos=512, seed=6),
    "base": dict(hidden=768, layers=12, heads=12, ffn=3072, max_pos=512, seed=12),
    "long": dict(hidden=256, layers=4, heads=4, ffn=768, max_pos=8192, seed=4),
}
VOCAB = 8000
M32 = np.uint64(0xFFFFFFFF)


def mul32(a, b):
    """Math.imul's low 32 bits, on uint64 arrays holding uint32 values."""
    return (a * b) & M32  # both < 2^32: the product < 2^64 is exact in uint64


def mulberry32_draws(seed, first, count):
    """Draws first+1 .. first+count (1-based call numbers) of mulberry32(seed), as float64."""
    k = np.arange(first + 1, first + count + 1, dtype=np.uint64)
    a = (np.uint64(seed) + k * np.uint64(0x6D2B79F5)) & M32
    t = mul32(a ^ (a >> np.uint64(15)), a | np.uint64(1))
    t = t ^ ((t + mul32(t ^ (t >> np.uint64(7)), t | np.uint64(61))) & M32)
    return (t ^ (t >> np.uint64(14))).astype(np.float64) / 4294967296.0


def to_half_bits(v):
    """make_random_bert.mjs toHalf: fp32 rounding, then fp16 with round-half-up on the mantissa."""
    x = v.astype(np.float32).view(np.uint32).astype(np.int64)
    sign = (x >> 16) & 0x8000
    e = ((x >> 23) & 0xFF) - 127 + 15
    m = x & 0x7FFFFF
    h = sign | (np.clip(e, 0, 31) << 10) | (m >> 13)
    h = h + ((m & 0x1000) != 0)
    inf = e >= 31
    h = np.where(inf, sign | 0x7C00, h)
    sub = e <= 0
    if sub.any():
        ms = m[sub] | 0x800000
        es = e[sub]
        shift = 14 - es
        hs = np.where(es < -10, 0, (ms >> np.minimum(shift, 63)) + ((ms >> np.minimum(shift - 1, 63)) & 1))
        h[sub] = sign[sub] | hs
    return h.astype(np.uint16)


def tensors(s):
    h = s["hidden"]
    out = [("bert.embeddings.word_embeddings.weight", [VOCAB, h], "n"),
           ("bert.embeddings.position_embeddings.weight", [s["max_pos"], h], "n"),
           ("bert.embeddings.token_type_embeddings.weight", [2, h], "n"),
           ("bert.embeddings.LayerNorm.weight", [h], "one"),
           ("bert.embeddings.LayerNorm.bias", [h], "b")]
    for layer in range(s["layers"]):
        p = f"bert.encoder.layer.{layer}."
        for q in ("query", "key", "value"):
            out += [(f"{p}attention.self.{q}.weight", [h, h], "n"), (f"{p}attention.self.{q}.bias", [h], "b")]
        out += [(f"{p}attention.output.dense.weight", [h, h], "n"),
                (f"{p}attention.output.dense.bias", [h], "b"),
                (f"{p}attention.output.LayerNorm.weight", [h], "one"),
                (f"{p}attention.output.LayerNorm.bias", [h], "b"),
                (f"{p}intermediate.dense.weight", [s["ffn"], h], "n"),
                (f"{p}intermediate.dense.bias", [s["ffn"]], "b"),
                (f"{p}output.dense.weight", [h, s["ffn"]], "n"),
                (f"{p}output.dense.bias", [h], "b"),
                (f"{p}output.LayerNorm.weight", [h], "one"),
                (f"{p}output.LayerNorm.bias", [h], "b")]
    out += [("bert.pooler.dense.weight", [h, h], "n"), ("bert.pooler.dense.bias", [h], "b"),
            ("classifier.weight", [2, h], "n"), ("classifier.bias", [2], "b")]
    return out


def write(kind, out_dir):
    s = SHAPES[kind]
    header, chunks, off, draw = {"__metadata__": {"format": "pt"}}, [], 0, 0
    for name, shape, init in tensors(s):
        n = int(np.prod(shape))
        header[name] = {"dtype": "F16", "shape": shape, "data_offsets": [off, off + 2 * n]}
        off += 2 * n
        r = mulberry32_draws(s["seed"], draw, 2 * n)
        draw += 2 * n
        u1, u2 = np.maximum(r[0::2], 1e-12), r[1::2]
        v = 0.02 * np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)
        if init == "one":
            v = 1.0 + v
        chunks.append(to_half_bits(v).astype("<u2").tobytes())
    hjson = json.dumps(header, separators=(",", ":"))
    while (len(hjson) + 8) % 8:
        hjson += " "
    blob = len(hjson).to_bytes(8, "little") + hjson.encode() + b"".join(chunks)
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "model.safetensors"), "wb") as f:
        f.write(blob)
    return hashlib.sha256(blob).hexdigest()


if __name__ == "__main__":
    print(write(sys.argv[1], sys.argv[2]))
