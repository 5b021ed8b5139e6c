#!/usr/bin/env python3
"""Export the benchmark checkpoints to ONNX for the peer comparison (bench/run.mjs).

For each Hugging Face folder (BertForSequenceClassification):
  <out>/<name>/model.onnx            fp32, opset 17, dynamic batch/sequence axes,
                                     inputs input_ids/attention_mask/token_type_ids (int64),
                                     output logits
  <out>/<name>/model_quantized.onnx  int8 dynamic quantization (onnxruntime.quantization.quantize_dynamic,
                                     QInt8 weights, per_channel=False: transformers.js's default
                                     model_quantized.onnx)
and checks ONNX Runtime's logits against PyTorch on a few sentences.

Models:
  demo    web-demo/model (the exported checkpoint is the fp16 safetensors converted to fp32, i.e.
          exactly the weights hummingbert runs)
  minilm  bench/models/minilm-random (MiniLM-L6 shape, vocab 8000, 512 positions), written
          deterministically by `node bench/peers/make_random_bert.mjs minilm`; if that folder is
          missing it is built here with torch (seed 0) and saved as fp16 safetensors.
  long    bench/models/long-random: the long-document model's shape (hidden 256, 4 layers, 4 heads,
          FFN 768, vocab 8000) with 8192 positions and RANDOM weights (timing only: onnxruntime-web's
          dense attention in the sparse scaling bench, bench/sparse_ort_bench.mjs), written by
          `node bench/peers/make_random_bert.mjs long` (or built here with torch, seed 0, if missing).
  base    bench/models/base-random (BERT-base shape, vocab 8000): config.json, vocab.txt and
          tokenizer_config.json from `node bench/peers/make_random_bert.mjs base` travel with the
          call, and model.safetensors is rebuilt here bit for bit by tools/random_bert.py (184 MB
          is too big to send). Its ONNX files are too big to send back whole: tools/onnx_payload.py
          strips the bytes the checkpoint determines, and bench/peers/assemble_onnx.mjs puts
          them back (checked by sha256).
          Dense (eager) attention, dynamic sequence length; also checked at 1x2048 random ids.

Needs torch, transformers, onnx, onnxruntime (the device machine has them; nothing is downloaded).
  python3 tools/export_onnx.py --out bench/models/onnx [--models demo,minilm]
"""
import argparse
import json
import os
import shutil
import sys
import time
import traceback

import numpy as np
import torch

SENTENCES = [
    "it's a charming and often affecting journey.",
    "unflinchingly bleak and desperate",
    "the movie is a disaster from start to finish , and the acting is wooden .",
    "a gorgeous , witty , seductive movie .",
]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def log(*a):
    print(*a, flush=True)


class Wrapper(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.model(input_ids=input_ids, attention_mask=attention_mask,
                          token_type_ids=token_type_ids).logits


SHAPES = {  # as in bench/peers/make_random_bert.mjs
    "minilm": dict(hidden_size=384, num_hidden_layers=6, num_attention_heads=12, intermediate_size=1536,
                   max_position_embeddings=512),
    "base": dict(hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072,
                 max_position_embeddings=512),
    "long": dict(hidden_size=256, num_hidden_layers=4, num_attention_heads=4, intermediate_size=768,
                 max_position_embeddings=8192),
}


def build_random(folder, shape="minilm"):
    from transformers import BertConfig, BertForSequenceClassification
    if shape == "base":  # bit-identical to make_random_bert.mjs base (config etc. travel with the call)
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import random_bert
        log(f"  model.safetensors sha256 {random_bert.write('base', folder)}")
        return
    torch.manual_seed(0)
    cfg = BertConfig(vocab_size=8000, num_labels=2, **SHAPES[shape])
    m = BertForSequenceClassification(cfg).half()
    m.save_pretrained(folder, safe_serialization=True)
    for f in ("vocab.txt", "tokenizer_config.json"):
        shutil.copy(os.path.join(ROOT, "web-demo/model", f), os.path.join(folder, f))


def _basic_wordpiece(folder, texts, max_len):
    """Fallback (lower-case, split on spaces/punctuation, greedy WordPiece) if transformers' tokenizer fails."""
    import re
    vocab = {t: i for i, t in enumerate(open(os.path.join(folder, "vocab.txt"), encoding="utf-8").read().split("\n"))}
    rows = []
    for text in texts:
        ids = [vocab["[CLS]"]]
        for word in re.findall(r"\w+|[^\w\s]", text.lower()):
            start, pieces = 0, []
            while start < len(word):
                end = len(word)
                while end > start and (("##" if start else "") + word[start:end]) not in vocab:
                    end -= 1
                if end == start:
                    pieces = [vocab["[UNK]"]]
                    break
                pieces.append(vocab[("##" if start else "") + word[start:end]])
                start = end
            ids += pieces
        rows.append(ids[:max_len - 1] + [vocab["[SEP]"]])
    n = max(len(r) for r in rows)
    ids = np.zeros((len(rows), n), np.int64)
    mask = np.zeros((len(rows), n), np.int64)
    for i, r in enumerate(rows):
        ids[i, :len(r)] = r
        mask[i, :len(r)] = 1
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}


def encode(folder, texts, max_len):
    try:
        from transformers import AutoTokenizer
        tok = AutoTokenizer.from_pretrained(folder)
        enc = tok(texts, padding=True, truncation=True, max_length=max_len, return_tensors="np")
        return {k: enc[k].astype(np.int64) for k in ("input_ids", "attention_mask", "token_type_ids")}
    except Exception as e:
        log(f"  AutoTokenizer failed ({e!r}); using the built-in WordPiece fallback")
        return _basic_wordpiece(folder, texts, max_len)


def export(folder, out_dir, long_check=0):
    from transformers import BertForSequenceClassification
    os.makedirs(out_dir, exist_ok=True)
    model = BertForSequenceClassification.from_pretrained(
        folder, dtype=torch.float32, attn_implementation="eager").eval()
    model = model.float()
    w = Wrapper(model).eval()
    feeds = encode(folder, SENTENCES, 128)
    args = tuple(torch.from_numpy(feeds[k]) for k in ("input_ids", "attention_mask", "token_type_ids"))
    fp32 = os.path.join(out_dir, "model.onnx")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    dyn = {n: {0: "batch", 1: "sequence"} for n in names}
    dyn["logits"] = {0: "batch"}
    t0 = time.time()
    try:
        torch.onnx.export(w, args, fp32, input_names=names, output_names=["logits"],
                          dynamic_axes=dyn, opset_version=17, do_constant_folding=True, dynamo=False)
        how = "torch.onnx.export(dynamo=False), opset 17"
    except Exception:
        traceback.print_exc()
        log("legacy exporter failed; trying dynamo=True (opset 18)")
        b = torch.export.Dim("batch", min=1, max=64)
        s = torch.export.Dim("sequence", min=2, max=model.config.max_position_embeddings)
        shapes = {n: {0: b, 1: s} for n in names}
        prog = torch.onnx.export(w, args, dynamic_shapes=shapes, opset_version=18, dynamo=True,
                                 input_names=names, output_names=["logits"])
        prog.save(fp32)
        how = "torch.onnx.export(dynamo=True), opset 18"
    log(f"  exported {fp32} ({os.path.getsize(fp32) / 1e6:.1f} MB) with {how} in {time.time() - t0:.1f}s")

    from onnxruntime.quantization import QuantType, quantize_dynamic
    q = os.path.join(out_dir, "model_quantized.onnx")
    quantize_dynamic(fp32, q, weight_type=QuantType.QInt8, per_channel=False, reduce_range=False,
                     extra_options={"MatMulConstBOnly": True})
    log(f"  quantized {q} ({os.path.getsize(q) / 1e6:.1f} MB)")

    import onnxruntime as ort
    with torch.no_grad():
        ref = w(*args).numpy()
    report = {"export": how, "sentences": SENTENCES, "torch_logits": ref.tolist()}
    for name, path in (("fp32", fp32), ("int8", q)):
        sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        got = sess.run(["logits"], feeds)[0]
        diff = float(np.abs(got - ref).max())
        agree = float((got.argmax(-1) == ref.argmax(-1)).mean())
        report[name] = {"max_abs_diff_vs_torch": diff, "argmax_agreement": agree,
                        "bytes": os.path.getsize(path)}
        log(f"  ORT {name}: max |logits - torch| = {diff:.2e}, argmax agreement {agree:.2f}")
        if name == "fp32" and diff > 1e-3:
            log("  WARNING: fp32 ONNX disagrees with PyTorch")
        if long_check:  # one random text of long_check tokens: the dynamic sequence axis past 512
            rng = np.random.RandomState(0)
            ids = rng.randint(5, 8000, size=(1, long_check)).astype(np.int64)
            ids[0, 0], ids[0, -1] = 2, 3
            lf = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
            with torch.no_grad():
                lref = w(*(torch.from_numpy(lf[k]) for k in names)).numpy()
            t0 = time.time()
            lgot = sess.run(["logits"], lf)[0]
            report[name][f"max_abs_diff_vs_torch_at_{long_check}_tokens"] = float(np.abs(lgot - lref).max())
            report[name][f"ort_cpu_seconds_at_{long_check}_tokens"] = round(time.time() - t0, 3)
            log(f"  ORT {name} at 1x{long_check}: max |logits - torch| = {np.abs(lgot - lref).max():.2e}")
    with open(os.path.join(out_dir, "export_report.json"), "w") as f:
        json.dump(report, f, indent=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(ROOT, "bench/models/onnx"))
    ap.add_argument("--models", default="demo,minilm", help="comma-separated: demo, minilm, base, long")
    a = ap.parse_args()
    torch.manual_seed(0)
    np.random.seed(0)
    import onnxruntime, transformers, onnx
    log(f"torch {torch.__version__} transformers {transformers.__version__} onnx {onnx.__version__} "
        f"onnxruntime {onnxruntime.__version__}")
    folders = {"demo": os.path.join(ROOT, "web-demo/model"),
               "minilm": os.path.join(ROOT, "bench/models/minilm-random"),
               "base": os.path.join(ROOT, "bench/models/base-random"),
               "long": os.path.join(ROOT, "bench/models/long-random")}
    ok = True
    for name in a.models.split(","):
        folder = folders[name]
        if name in SHAPES and not os.path.exists(os.path.join(folder, "model.safetensors")):
            log(f"{folder} missing: building it with torch (seed 0)")
            build_random(folder, name)
        log(f"== {name}: {folder}")
        try:
            export(folder, os.path.join(a.out, name), long_check=2048 if name == "long" else 0)
        except Exception:
            traceback.print_exc()
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
