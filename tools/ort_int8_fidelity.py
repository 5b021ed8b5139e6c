#!/usr/bin/env python3
"""How the peers' int8 fares on our golden fixtures: argmax agreement of onnxruntime's dynamic int8
quantization (quantize_dynamic, as transformers.js ships it: QInt8, per_channel False; and
per_channel True) with PyTorch fp32, on the fixture models with logits, over every case of their
golden.json (the ids stored there, one text at a time). The same measure as
tests/cpp/api/int8_fidelity_test.cc, so the numbers compare with hummingbert's int8.

Needs torch, transformers, onnx, onnxruntime (the device machine has them).
  python3 tools/ort_int8_fidelity.py [--out report.json]
"""
import argparse
import json
import os
import sys
import tempfile

import numpy as np
import torch
from transformers import AutoModelForSequenceClassification, AutoModelForTokenClassification

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.join(HERE, "..", "tests", "fixtures", "models")
TOKEN_MODELS = ("bert_tokcls_cased", "distilbert_tokcls")
SEQ_MODELS = ("bert_seqcls", "distilbert_seqcls")


class Wrapper(torch.nn.Module):
    def __init__(self, model, with_types):
        super().__init__()
        self.model, self.with_types = model, with_types

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        kw = {"input_ids": input_ids, "attention_mask": attention_mask}
        if self.with_types:
            kw["token_type_ids"] = token_type_ids
        return self.model(**kw).logits


def agreement(ref, got):
    a = b = 0
    for r, g in zip(ref, got):
        r, g = r.reshape(-1, r.shape[-1]), g.reshape(-1, g.shape[-1])
        a += int((r.argmax(-1) == g.argmax(-1)).sum())
        b += r.shape[0]
    return a, b


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="")
    args = ap.parse_args()
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic
    report = {"onnxruntime": ort.__version__, "torch": torch.__version__, "models": {}}
    tmp = tempfile.mkdtemp()
    for name in TOKEN_MODELS + SEQ_MODELS:
        d = os.path.join(MODELS, name)
        cls = AutoModelForTokenClassification if name in TOKEN_MODELS else AutoModelForSequenceClassification
        model = cls.from_pretrained(d, attn_implementation="eager").float().eval()
        with_types = not name.startswith("distilbert")
        cases = json.load(open(os.path.join(d, "golden.json"), encoding="utf-8"))["cases"]
        names = ["input_ids", "attention_mask"] + (["token_type_ids"] if with_types else [])
        feeds = []
        for c in cases:
            ids = np.array([c["ids"]], dtype=np.int64)
            f = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
            if with_types:
                f["token_type_ids"] = np.array([c["type_ids"]], dtype=np.int64)
            feeds.append(f)
        w = Wrapper(model, with_types).eval()
        fp32 = os.path.join(tmp, f"{name}.onnx")
        dyn = {n: {0: "batch", 1: "sequence"} for n in names}
        torch.onnx.export(w, tuple(torch.from_numpy(feeds[0][n]) for n in names), fp32, input_names=names,
                          output_names=["logits"], dynamic_axes=dyn, opset_version=17, dynamo=False)
        with torch.no_grad():
            ref = [w(*(torch.from_numpy(f[n]) for n in names)).numpy() for f in feeds]
        row = {}
        for label, per_channel in (("int8_per_tensor", False), ("int8_per_channel", True)):
            q = os.path.join(tmp, f"{name}.{label}.onnx")
            quantize_dynamic(fp32, q, weight_type=QuantType.QInt8, per_channel=per_channel,
                             reduce_range=False, extra_options={"MatMulConstBOnly": True})
            sess = ort.InferenceSession(q, providers=["CPUExecutionProvider"])
            got = [sess.run(["logits"], f)[0] for f in feeds]
            a, b = agreement(ref, got)
            row[label] = {"agree": a, "total": b, "percent": round(100.0 * a / b, 2)}
        sess = ort.InferenceSession(fp32, providers=["CPUExecutionProvider"])
        a, b = agreement(ref, [sess.run(["logits"], f)[0] for f in feeds])
        row["fp32_onnx"] = {"agree": a, "total": b, "percent": round(100.0 * a / b, 2)}
        report["models"][name] = row
        print(name, json.dumps(row), flush=True)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(report, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
