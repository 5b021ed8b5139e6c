#!/usr/bin/env python3
"""Distil the demo model (teacher) into smaller students: fewer layers and/or a narrower FFN,
trained on temperature-softened teacher logits over SST-2 train plus unlabeled IMDB sentences.

Runs on the device machine (PyTorch + transformers; no internet), usually in the same call as
tools/train_demo_model.py, whose exported folder is the teacher. Exact command (repo root; see
tools/README.md, "Distilled students"):

  python3 tools/distill_student.py --teacher <demo model HF folder> --data .device-data --out $OUT \\
      --student l2:layers=2 --student l2f384:layers=2,ffn=384 --seconds 75

Each --student NAME:key=value,... overrides the teacher's config (layers, ffn; hidden and heads
stay the teacher's so the student starts from the teacher's weights). Initialisation: embeddings,
pooler and classifier copied; student layer i from teacher layer round(i * L_teacher / L_student)
(every other layer for half the depth, as DistilBERT); a narrower FFN keeps the teacher neurons
with the largest ||w_in[j]|| * ||w_out[:, j]|| (weight-magnitude importance).

Transfer set: SST-2 train minus the demo model's held-out slice (same rule and seed, labels kept)
plus up to --unlabeled sentences cut from imdb_unsup reviews (3..50 words). Loss per batch:
KL(teacher || student) at --temp (times T^2) on every row + --ce-weight * cross-entropy on the
labeled rows. The best checkpoint by held-out accuracy is exported (fp16 HF folder, the teacher's
vocab and tokenizer settings) with its dev accuracy in report.json; all students go into
$OUT/students.tar.gz as students/<name>/.
"""
import argparse
import json
import os
import re
import shutil
import sys
import tarfile
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_demo_model import (accuracy, autocast, collate, encode_sentences, make_optimizer,  # noqa: E402
                              predict_logits, read_imdb, read_tsv, set_lr, split_heldout, write_json)

T0 = time.time()


def log(msg):
    print(f"[distill {time.time() - T0:7.1f}s] {msg}", flush=True)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--teacher", required=True, help="HF folder of the teacher (BertForSequenceClassification)")
    p.add_argument("--data", default=".device-data")
    p.add_argument("--out", required=True)
    p.add_argument("--student", action="append", required=True, help="NAME:layers=2,ffn=384")
    p.add_argument("--seconds", type=float, default=75.0, help="training time per student")
    p.add_argument("--unlabeled", type=int, default=200000, help="IMDB sentences in the transfer set")
    p.add_argument("--temp", type=float, default=2.0)
    p.add_argument("--ce-weight", type=float, default=0.5)
    p.add_argument("--lr", type=float, default=2e-4)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--max-len", type=int, default=128)
    p.add_argument("--eval-every", type=float, default=15.0, help="seconds")
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--heldout", type=int, default=2000)
    p.add_argument("--heldout-min-words", type=int, default=8)
    return p.parse_args(argv)


def parse_spec(spec):
    name, _, rest = spec.partition(":")
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
        raise SystemExit(f"bad student name {name!r}")
    over = {}
    for kv in filter(None, rest.split(",")):
        k, _, v = kv.partition("=")
        if k not in ("layers", "ffn", "emb"):
            raise SystemExit(f"unknown student setting {k!r} (layers, ffn, emb)")
        over[k] = int(v)
    return name, over


def imdb_sentences(path, n, rng):
    sents = []
    for review in read_imdb(path):
        for s in re.split(r"(?<=[.!?])\s+", review):
            w = len(s.split())
            if 3 <= w <= 50:
                sents.append(s.strip())
    idx = rng.choice(len(sents), size=min(n, len(sents)), replace=False)
    return [sents[i] for i in sorted(idx)]


class FactorizedEmbedding(torch.nn.Module):
    """ALBERT-style word embeddings: a [vocab x E] table then a Linear E -> hidden, in place of
    BertEmbeddings.word_embeddings (position and token-type embeddings stay [.. x hidden] and are
    added after the projection, as hummingbert's engine does for `embedding_size`)."""

    def __init__(self, table, hidden):
        super().__init__()
        self.weight = torch.nn.Parameter(table)
        self.projection = torch.nn.Linear(table.shape[1], hidden)

    def forward(self, ids):
        return self.projection(F.embedding(ids, self.weight))


def factorize_embedding(student, e):
    """Replaces the word table W [V x H] by its rank-e SVD: table U_e S_e, projection V_e."""
    w = student.bert.embeddings.word_embeddings.weight.detach().double()
    u, s, vt = torch.linalg.svd(w, full_matrices=False)
    fe = FactorizedEmbedding((u[:, :e] * s[:e]).float(), w.shape[1])
    fe.projection.weight.data = vt[:e].T.float().contiguous()
    fe.projection.bias.data.zero_()
    student.bert.embeddings.word_embeddings = fe
    return float(((s[e:] ** 2).sum() / (s ** 2).sum()).sqrt())


def export_student(student, teacher_dir, d, dev_texts, tok, max_len):
    """HF folder. A factorized student (no transformers class holds it) is written with
    safetensors directly: config.json gains "embedding_size" and the projection is stored as
    bert.embeddings.word_embeddings_projection.{weight,bias}; golden logits from PyTorch on the
    fp16-rounded weights go to dev_predictions.json for the engine's parity test."""
    from safetensors.torch import save_file
    os.makedirs(d, exist_ok=True)
    student = student.half().float().eval().cpu()
    fe = student.bert.embeddings.word_embeddings
    if isinstance(fe, FactorizedEmbedding):
        sd = {k.replace("word_embeddings.projection.", "word_embeddings_projection."): v.half().contiguous()
              for k, v in student.state_dict().items() if "position_ids" not in k}
        save_file(sd, os.path.join(d, "model.safetensors"), metadata={"format": "pt"})
        cfg = student.config.to_dict()
        cfg["embedding_size"] = int(fe.weight.shape[1])
        cfg["dtype"] = "float16"
        write_json(os.path.join(d, "config.json"), cfg)
    else:
        student.half().save_pretrained(d)
        student.float()
    for fn in ("vocab.txt", "tokenizer_config.json"):   # the teacher's tokenizer, unchanged
        shutil.copy(os.path.join(teacher_dir, fn), os.path.join(d, fn))
    preds = []
    with torch.no_grad():
        for i, text in enumerate(dev_texts):
            enc = tok(text, truncation=True, max_length=max_len)
            ids = torch.tensor([enc["input_ids"]])
            lg = student(input_ids=ids, attention_mask=torch.ones_like(ids),
                         token_type_ids=torch.zeros_like(ids)).logits[0]
            preds.append({"index": i, "sentence": text, "input_ids": enc["input_ids"],
                          "logits": [round(float(x), 7) for x in lg]})
    write_json(os.path.join(d, "dev_predictions.json"), {
        "description": "PyTorch student (fp16 weights as fp32), CPU, one sentence at a time",
        "max_length": max_len, "predictions": preds})


def init_student(teacher, over):
    from transformers import BertForSequenceClassification
    cfg = teacher.config.__class__.from_dict(teacher.config.to_dict())
    L = teacher.config.num_hidden_layers
    cfg.num_hidden_layers = over.get("layers", L)
    cfg.intermediate_size = over.get("ffn", teacher.config.intermediate_size)
    student = BertForSequenceClassification(cfg)
    tsd = teacher.state_dict()
    sd = student.state_dict()
    layer_map = [min(L - 1, round(i * L / cfg.num_hidden_layers)) for i in range(cfg.num_hidden_layers)]
    for k in sd:
        if ".encoder.layer." not in k:
            sd[k] = tsd[k].clone()
    for i, t in enumerate(layer_map):
        sp, tp = f"bert.encoder.layer.{i}.", f"bert.encoder.layer.{t}."
        w_in, b_in = tsd[tp + "intermediate.dense.weight"], tsd[tp + "intermediate.dense.bias"]
        w_out = tsd[tp + "output.dense.weight"]
        keep = torch.argsort(w_in.norm(dim=1) * w_out.norm(dim=0), descending=True)[:cfg.intermediate_size]
        keep = torch.sort(keep).values
        for k in sd:
            if not k.startswith(sp):
                continue
            src = tsd[tp + k[len(sp):]]
            if k.endswith("intermediate.dense.weight"):
                src = w_in[keep]
            elif k.endswith("intermediate.dense.bias"):
                src = b_in[keep]
            elif k.endswith("output.dense.weight") and ".attention." not in k:
                src = w_out[:, keep]
            sd[k] = src.clone()
    student.load_state_dict(sd)
    if over.get("emb"):
        student.embedding_svd_rel_error = factorize_embedding(student, over["emb"])
    return student, layer_map


def train_student(args, name, over, teacher, tok, data, device, report):
    tr_seqs, tr_soft, tr_lab, ho, dv = data
    torch.manual_seed(args.seed)
    rng = np.random.RandomState(args.seed)
    student, layer_map = init_student(teacher, over)
    student.to(device)
    info = {"config": {"layers": student.config.num_hidden_layers, "ffn": student.config.intermediate_size,
                       "hidden": student.config.hidden_size, "heads": student.config.num_attention_heads},
            "layer_map_from_teacher": layer_map, "params": int(sum(p.numel() for p in student.parameters())),
            "init_dev_accuracy": accuracy(predict_logits(student, dv[0], device), dv[1]), "evals": []}
    if over.get("emb"):
        info["config"]["embedding_size"] = over["emb"]
        info["embedding_svd_relative_error"] = student.embedding_svd_rel_error
    log(f"{name}: {info['config']} init from teacher layers {layer_map}; {info['params']} params; "
        f"dev at init {info['init_dev_accuracy']:.4f}")
    opt = make_optimizer(student.named_parameters(), args.lr, 0.01)
    params = [p for p in student.parameters() if p.requires_grad]
    n = len(tr_seqs)
    t_start = time.time()
    deadline = t_start + args.seconds
    best = {"heldout_acc": -1.0}
    step, last_eval = 0, t_start
    t = args.temp
    done = False
    student.train()
    while not done:
        perm = rng.permutation(n)
        for b in range(n // args.batch):
            now = time.time()
            if now >= deadline:
                done = True
            if done or now - last_eval >= args.eval_every:
                student.eval()
                ho_acc = accuracy(predict_logits(student, ho[0], device), ho[1])
                dv_acc = accuracy(predict_logits(student, dv[0], device), dv[1])
                info["evals"].append({"t": round(now - t_start, 1), "step": step, "heldout_acc": ho_acc,
                                      "dev_acc": dv_acc})
                log(f"{name}: step {step} held-out {ho_acc:.4f} dev {dv_acc:.4f}")
                if ho_acc > best["heldout_acc"]:
                    best = {"heldout_acc": ho_acc, "dev_acc": dv_acc, "step": step,
                            "state": {k: v.detach().cpu().clone() for k, v in student.state_dict().items()}}
                last_eval = now
                student.train()
                if done:
                    break
            idx = perm[b * args.batch:(b + 1) * args.batch]
            ids, mask = collate(tr_seqs, idx, device)
            soft = torch.from_numpy(tr_soft[idx]).to(device)
            y = torch.from_numpy(tr_lab[idx]).to(device)
            frac = (time.time() - t_start) / args.seconds
            set_lr(opt, args.lr * min(1.0, frac / 0.05) * max(0.0, 1.0 - frac))
            with autocast(device):
                logits = student(input_ids=ids, attention_mask=mask).logits
            logits = logits.float()
            loss = F.kl_div(F.log_softmax(logits / t, -1), F.softmax(soft / t, -1), reduction="batchmean") * t * t
            lab = y >= 0
            if lab.any():
                loss = loss + args.ce_weight * F.cross_entropy(logits[lab], y[lab])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            step += 1
    student.load_state_dict(best.pop("state"))
    info["best"] = best
    info["seconds"] = round(time.time() - t_start, 1)
    return student.eval(), info


def main(argv=None):
    args = parse_args(argv)
    from transformers import BertForSequenceClassification, BertTokenizer
    os.makedirs(args.out, exist_ok=True)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = False
    torch.manual_seed(args.seed)
    teacher = BertForSequenceClassification.from_pretrained(args.teacher, dtype=torch.float32).to(device).eval()
    tok = BertTokenizer.from_pretrained(args.teacher)
    report = {"teacher": os.path.basename(os.path.normpath(args.teacher)), "args": vars(args), "students": {}}

    sst_train = read_tsv(os.path.join(args.data, "sst2", "train.tsv"))
    sst_dev = read_tsv(os.path.join(args.data, "sst2", "dev.tsv"))
    tr_rows, ho_rows = split_heldout(sst_train, args.heldout, args.heldout_min_words, args.seed)
    unl = imdb_sentences(os.path.join(args.data, "imdb_unsup", "unsup.jsonl.gz"), args.unlabeled,
                         np.random.RandomState(args.seed + 7))
    tr_text = [s for s, _ in tr_rows] + unl
    tr_lab = np.asarray([y for _, y in tr_rows] + [-1] * len(unl), dtype=np.int64)
    tr_seqs = encode_sentences(tok, tr_text, args.max_len)
    ho = (encode_sentences(tok, [s for s, _ in ho_rows], args.max_len), np.asarray([y for _, y in ho_rows]))
    dv = (encode_sentences(tok, [s for s, _ in sst_dev], args.max_len), np.asarray([y for _, y in sst_dev]))
    tr_soft = predict_logits(teacher, tr_seqs, device, bs=1024)
    report["transfer_set"] = {"sst2_labeled": len(tr_rows), "imdb_sentences": len(unl), "heldout": len(ho_rows)}
    report["teacher_dev_accuracy"] = accuracy(predict_logits(teacher, dv[0], device), dv[1])
    report["teacher_heldout_accuracy"] = accuracy(predict_logits(teacher, ho[0], device), ho[1])
    log(f"transfer set {report['transfer_set']}; teacher dev {report['teacher_dev_accuracy']:.4f}")
    data = (tr_seqs, tr_soft, tr_lab, ho, dv)

    root = os.path.join(args.out, "students_work")
    for spec in args.student:
        name, over = parse_spec(spec)
        try:
            student, info = train_student(args, name, over, teacher, tok, data, device, report)
            d = os.path.join(root, "students", name)
            os.makedirs(d, exist_ok=True)
            export_student(student, args.teacher, d, [s for s, _ in sst_dev[:50]], tok, args.max_len)
            write_json(os.path.join(d, "distill_report.json"), info)
            report["students"][name] = info
            log(f"{name}: best {info['best']}")
        except Exception as e:  # one failed student must not cost the others
            import traceback
            traceback.print_exc()
            report["students"][name] = {"error": repr(e)}
        write_json(os.path.join(args.out, "distill_report.json"), report)
    with tarfile.open(os.path.join(args.out, "students.tar.gz"), "w:gz") as tf:
        tf.add(os.path.join(root, "students"), arcname="students")
    log("done")


if __name__ == "__main__":
    main()
