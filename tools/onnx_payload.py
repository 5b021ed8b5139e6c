#!/usr/bin/env python3
"""Shrink ONNX exports of a checkpoint for the trip back from the device machine.

Every float32 initializer that equals a checkpoint tensor (converted to fp32, possibly transposed,
as torch exports Linear weights for MatMul) is zeroed in the serialized file and listed in a
manifest with its byte offset; what remains (the graph, int8 weights, scales) is gzipped and split
into parts. bench/peers/assemble_onnx.mjs refills the listed ranges from the checkpoint and checks
each file's sha256 against the manifest, so the rebuilt file is the exported one, byte for byte.

  python3 tools/onnx_payload.py CHECKPOINT.safetensors OUT_DIR NAME.onnx...   (writes
  OUT_DIR/manifest.json and OUT_DIR/NAME.onnx.gz.partNN, 15 MB each)
"""
import gzip
import hashlib
import json
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper
from safetensors.numpy import load_file

PART = 15 * 1000 * 1000
MIN_ELEMENTS = 4096  # smaller tensors stay in the payload: not worth a manifest entry


def strip(path, checkpoint, out_dir):
    by_size = {}
    for key, value in checkpoint.items():
        by_size.setdefault(value.size, []).append((key, value))
    data = bytearray(open(path, "rb").read())
    sha = hashlib.sha256(data).hexdigest()
    entries, cursor = [], 0
    for init in onnx.load(path, load_external_data=False).graph.initializer:
        if init.data_type != onnx.TensorProto.FLOAT or not init.raw_data:
            continue
        arr = numpy_helper.to_array(init)
        if arr.size < MIN_ELEMENTS:
            continue
        source = None
        for key, value in by_size.get(arr.size, []):
            if value.shape == arr.shape and np.array_equal(value, arr):
                source = (key, False)
            elif value.ndim == 2 and value.T.shape == arr.shape and np.array_equal(value.T, arr):
                source = (key, True)
            if source:
                break
        if not source:
            continue
        raw = bytes(init.raw_data)
        off = data.find(raw, cursor)  # initializers are serialized in order
        if off < 0:
            off = data.find(raw)
        assert off >= 0, init.name
        entries.append({"initializer": init.name, "source": source[0], "transpose": source[1],
                        "offset": off, "bytes": len(raw)})
        data[off:off + len(raw)] = bytes(len(raw))
        cursor = off + len(raw)
    packed = gzip.compress(bytes(data), 6)
    name = os.path.basename(path)
    parts = []
    for i in range(0, len(packed), PART):
        part = f"{name}.gz.part{len(parts):02d}"
        with open(os.path.join(out_dir, part), "wb") as f:
            f.write(packed[i:i + PART])
        parts.append(part)
    stripped = sum(e["bytes"] for e in entries)
    print(f"{name}: {len(data)} bytes, {stripped} from the checkpoint in {len(entries)} tensors, "
          f"payload {len(packed)} bytes gzipped in {len(parts)} parts", flush=True)
    return {"file": name, "bytes": len(data), "sha256": sha, "parts": parts, "tensors": entries}


def main():
    ckpt_path, out_dir, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(out_dir, exist_ok=True)
    checkpoint = {k: v.astype(np.float32) for k, v in load_file(ckpt_path).items()}
    manifest = {"checkpoint_sha256": hashlib.sha256(open(ckpt_path, "rb").read()).hexdigest(),
                "files": [strip(f, checkpoint, out_dir) for f in files]}
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)


if __name__ == "__main__":
    main()
