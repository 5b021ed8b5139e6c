#!/usr/bin/env python3
"""Train hummingbert's shipped demo model: a small BERT pre-trained from scratch and fine-tuned
on SST-2 sentiment, with DeeBERT-style early-exit heads, exported as a Hugging Face folder.

Runs on the device machine (one H100 or H200; PyTorch 2.11, transformers 5.17, safetensors, numpy;
no internet). The data comes from ../shared/data, copied into .device-data/ (git-ignored) so that
it travels with the working tree. Exact commands (repo root; see tools/README.md):

  mkdir -p .device-data/{sst2,imdb_unsup,vocab}
  cp ../shared/data/sst2/{train,dev}.tsv .device-data/sst2/
  cp ../shared/data/imdb_unsup/unsup.jsonl.gz .device-data/imdb_unsup/
  cp ../shared/data/vocab/bert-base-uncased-vocab.txt .device-data/vocab/
  # on the device (run tool, kind nvidia-h100-x1, carry [".device-data"], timeout_s 600):
  set -o pipefail; export PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=true; \
  nvidia-smi --query-gpu=name,memory.total --format=csv,noheader; \
  python3 tools/train_demo_model.py --data .device-data --out $OUT --deadline 570 2>&1 | tee $OUT/log.txt
  # here:
  mkdir -p web-demo/model && tar -xzf <files_at>/model.tar.gz -C web-demo/model --strip-components=1

Stages (each bounded by wall-clock limits given as arguments; the whole script by --deadline):
  1. vocab     trimmed WordPiece vocabulary (~8000) from bert-base-uncased: [PAD] [UNK] [CLS] [SEP]
               [MASK], every single character and "##"+character of the full vocabulary, then the most
               frequent tokens of SST-2 train + imdb_unsup tokenized with the full vocabulary
               (transformers' BertTokenizer, tokenizers backend). Kept in the original order.
  2. mlm       masked-LM pre-training (BertForMaskedLM, dynamic 15% masking, 80/10/10, seq 128,
               packed documents, bf16 autocast, AdamW, warmup + linear decay on a time schedule).
  3. finetune  BertForSequenceClassification on SST-2 train minus a held-out slice (--heldout
               sentences of >= --heldout-min-words words); one run per learning rate in --ft-lrs;
               the best epoch by held-out accuracy is kept. Dev accuracy is logged per epoch.
  4. exits     early-exit heads (pooler dense+tanh on token 0 of layer l's output + classifier) for
               layers 0..L-2, backbone frozen; the last layer uses the model's own pooler+classifier.
               Sweeps of entropy / max-prob / patience rules; defaults chosen on the held-out slice
               (accuracy within --exit-tolerance of full depth with the fewest layers).
  5. export    HF folder (fp16 weights), exit_heads.safetensors, exit_config.json, report.json,
               dev_predictions.json (reloaded fp32 model's logits on the first 100 dev sentences),
               packed as $OUT/model.tar.gz. A first export is written right after fine-tuning, so a
               usable model comes back even if a later stage fails.

Outputs under --out: log (via tee), report.json, model.tar.gz, mlm_encoder.safetensors (fp16 encoder
after pre-training; --init-encoder resumes from it), trimmed_vocab.txt (--trimmed-vocab reuses it).

Seeds are fixed (--seed); the pre-training schedule is time-based, so the number of steps (and so the
exact weights) depends on the machine's speed.
"""
import time

T0 = time.time()

import argparse  # noqa: E402
import contextlib  # noqa: E402
import copy  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tarfile  # noqa: E402
import tempfile  # noqa: E402
import traceback  # noqa: E402
from itertools import chain  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
ID2LABEL = {0: "negative", 1: "positive"}


def now():
    return time.time() - T0


def log(msg):
    print(f"[{now():7.1f}s] {msg}", flush=True)


def f7(xs):
    return [float("%.7g" % float(v)) for v in xs]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", default=".device-data", help="folder with sst2/, imdb_unsup/, vocab/")
    p.add_argument("--out", required=True, help="output folder ($OUT on the device)")
    p.add_argument("--work", default=None, help="scratch folder (default: a temp dir)")
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--deadline", type=float, default=570.0,
                   help="wall-clock seconds for the whole script; stages shrink to fit")
    # vocabulary
    p.add_argument("--vocab-size", type=int, default=8000)
    p.add_argument("--trimmed-vocab", default=None, help="reuse this trimmed vocab.txt (skip stage 1)")
    # model
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--ffn", type=int, default=768)
    p.add_argument("--max-pos", type=int, default=128)
    # masked-LM pre-training
    p.add_argument("--mlm-seconds", type=float, default=420.0, help="upper limit; shrinks to fit --deadline")
    p.add_argument("--mlm-min-seconds", type=float, default=60.0)
    p.add_argument("--mlm-batch", type=int, default=512)
    p.add_argument("--mlm-lr", type=float, default=8e-4)
    p.add_argument("--mlm-warmup", type=float, default=0.06, help="fraction of the time budget")
    p.add_argument("--mlm-seq", type=int, default=128)
    p.add_argument("--mlm-mask", type=float, default=0.15)
    p.add_argument("--mlm-eval-every", type=float, default=60.0, help="seconds")
    p.add_argument("--log-every", type=int, default=200, help="steps")
    p.add_argument("--compile", action="store_true", help="torch.compile the encoder for pre-training")
    p.add_argument("--init-encoder", default=None, help="skip pre-training: load this encoder safetensors")
    # fine-tuning
    p.add_argument("--ft-seconds", type=float, default=110.0)
    p.add_argument("--ft-lrs", default="2e-4,1e-4")
    p.add_argument("--ft-epochs", type=int, default=3)
    p.add_argument("--ft-batch", type=int, default=64)
    p.add_argument("--ft-max-len", type=int, default=128)
    p.add_argument("--heldout", type=int, default=2000)
    p.add_argument("--heldout-min-words", type=int, default=8)
    # early exits
    p.add_argument("--exit-seconds", type=float, default=30.0)
    p.add_argument("--exit-epochs", type=int, default=2)
    p.add_argument("--exit-lr", type=float, default=5e-4)
    p.add_argument("--exit-batch", type=int, default=64)
    p.add_argument("--exit-tolerance", type=float, default=0.01, help="accuracy drop allowed (fraction)")
    p.add_argument("--exit-mode", choices=("joint", "frozen"), default="joint",
                   help="joint: exit heads trained with the backbone during fine-tuning (loss on every "
                        "layer + self-distillation from the final layer); frozen: a second stage on the "
                        "frozen fine-tuned backbone (DeeBERT)")
    p.add_argument("--exit-loss-weight", type=float, default=1.0, help="joint: weight of each exit head's loss")
    p.add_argument("--exit-kd", type=float, default=0.5,
                   help="joint: share of each exit head's loss taken from the final layer's soft labels")
    p.add_argument("--exit-temp", type=float, default=2.0, help="joint: distillation temperature")
    p.add_argument("--reserve-seconds", type=float, default=40.0,
                   help="kept free after fine-tuning/exits for evaluation and export")
    p.add_argument("--n-golden", type=int, default=100)
    return p.parse_args(argv)


# ----------------------------------------------------------------------------------------- data

def read_tsv(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        si, li = header.index("sentence"), header.index("label")
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) <= max(si, li):
                continue
            rows.append((parts[si].strip(), int(parts[li])))
    return rows


def split_heldout(rows, n, min_words, seed):
    """(train rows, held-out rows): n random phrases of >= min_words words are held out."""
    rng = np.random.RandomState(seed)
    cand = [i for i, (s, _) in enumerate(rows) if len(s.split()) >= min_words]
    ho_idx = set(rng.choice(cand, size=min(n, len(cand)), replace=False).tolist())
    return [r for i, r in enumerate(rows) if i not in ho_idx], [rows[i] for i in sorted(ho_idx)]


def read_imdb(path):
    texts = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            t = json.loads(line)["text"]
            texts.append(t.replace("<br />", " ").replace("<br/>", " ").replace("<br>", " "))
    return texts


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f]


def write_lines(path, lines):
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def write_json(path, obj):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=1, ensure_ascii=False)
    os.replace(tmp, path)


def load_tokenizer(vocab_path, max_len):
    """transformers' BertTokenizer (tokenizers backend in v5) over a bare vocab.txt."""
    from transformers import BertTokenizer
    d = tempfile.mkdtemp(prefix="hbtok_")
    shutil.copy(vocab_path, os.path.join(d, "vocab.txt"))
    return BertTokenizer.from_pretrained(d, do_lower_case=True, model_max_length=max_len)


def tokenize_texts(tok, texts, chunk=20000):
    """WordPiece ids without special tokens, one list per text."""
    out = []
    for i in range(0, len(texts), chunk):
        enc = tok(texts[i:i + chunk], add_special_tokens=False, return_attention_mask=False,
                  return_token_type_ids=False)
        out.extend(enc["input_ids"])
    return out


def encode_sentences(tok, sents, max_len):
    """[CLS] ... [SEP] ids, truncated to max_len, as int64 arrays."""
    enc = tok(list(sents), add_special_tokens=True, truncation=True, max_length=max_len,
              return_attention_mask=False, return_token_type_ids=False)
    return [np.asarray(x, dtype=np.int64) for x in enc["input_ids"]]


def flatten(id_lists):
    total = sum(len(x) for x in id_lists)
    return np.fromiter(chain.from_iterable(id_lists), dtype=np.int64, count=total)


def build_trimmed_vocab(full_vocab, counts, target):
    """Specials + all single characters and ##characters + most frequent tokens; original order."""
    keep = set()
    for i, t in enumerate(full_vocab):
        if t in SPECIALS:
            keep.add(i)
        elif t.startswith("[unused"):
            continue
        elif len(t) == 1 or (t.startswith("##") and len(t) == 3):
            keep.add(i)
    n_base = len(keep)
    for i in np.argsort(-counts, kind="stable"):
        if len(keep) >= target or counts[i] <= 0:
            break
        if full_vocab[i].startswith("[unused"):
            continue
        keep.add(int(i))
    ids = sorted(keep)
    tokens = [full_vocab[i] for i in ids]
    assert tokens[:5] == SPECIALS, tokens[:5]
    kept_ids = np.asarray(ids, dtype=np.int64)
    stats = {
        "size": len(tokens),
        "specials_and_characters": n_base,
        "frequent_tokens": len(tokens) - n_base,
        "full_vocab_token_coverage": float(counts[kept_ids].sum() / max(1, counts.sum())),
    }
    return tokens, stats


def build_stream(doc_ids, sep_id, rng):
    """Documents in random order, each followed by [SEP], as one int64 array."""
    order = rng.permutation(len(doc_ids))
    total = sum(len(d) + 1 for d in doc_ids)
    arr = np.empty(total, dtype=np.int64)
    pos = 0
    for i in order:
        d = doc_ids[i]
        n = len(d)
        if n:
            arr[pos:pos + n] = d
        arr[pos + n] = sep_id
        pos += n + 1
    return arr


# ---------------------------------------------------------------------------------------- model

def make_config(args, vocab_size):
    from transformers import BertConfig
    return BertConfig(
        vocab_size=vocab_size, hidden_size=args.hidden, num_hidden_layers=args.layers,
        num_attention_heads=args.heads, intermediate_size=args.ffn, hidden_act="gelu",
        hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1,
        max_position_embeddings=args.max_pos, type_vocab_size=2, initializer_range=0.02,
        layer_norm_eps=1e-12, pad_token_id=0,
        id2label=dict(ID2LABEL), label2id={v: k for k, v in ID2LABEL.items()})


def autocast(device):
    if device.type == "cuda":
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return contextlib.nullcontext()


def make_optimizer(named_params, lr, wd, betas=(0.9, 0.999), eps=1e-8):
    decay, no_decay, seen = [], [], set()
    for n, p in named_params:
        if not p.requires_grad or id(p) in seen:
            continue
        seen.add(id(p))
        if p.ndim < 2 or "LayerNorm" in n or n.endswith("bias"):
            no_decay.append(p)
        else:
            decay.append(p)
    groups = [{"params": decay, "weight_decay": wd}, {"params": no_decay, "weight_decay": 0.0}]
    if all(p.is_cuda for p in decay + no_decay):
        try:
            return torch.optim.AdamW(groups, lr=lr, betas=betas, eps=eps, fused=True)
        except Exception as e:  # older torch / unsupported
            log(f"fused AdamW unavailable ({e}); using the default")
    return torch.optim.AdamW(groups, lr=lr, betas=betas, eps=eps)


def set_lr(opt, lr):
    for g in opt.param_groups:
        g["lr"] = lr


class ExitHead(nn.Module):
    """DeeBERT-style exit: pooler (dense + tanh on token 0) + classifier."""

    def __init__(self, hidden, num_labels, dropout=0.1):
        super().__init__()
        self.pooler = nn.Linear(hidden, hidden)
        self.classifier = nn.Linear(hidden, num_labels)
        self.dropout = nn.Dropout(dropout)

    def forward(self, h):
        return self.classifier(self.dropout(torch.tanh(self.pooler(h[:, 0]))))


def encoder_forward(model, ids, mask, token_type_ids=None):
    """(hidden_states tuple of L+1 [B,T,H] tensors (embeddings first), pooled output)."""
    kw = {"input_ids": ids, "attention_mask": mask, "output_hidden_states": True}
    if token_type_ids is not None:
        kw["token_type_ids"] = token_type_ids
    out = model.bert(**kw)
    hs = out.hidden_states
    L = model.config.num_hidden_layers
    if hs is None or len(hs) != L + 1:
        raise RuntimeError(f"unexpected hidden_states: {None if hs is None else len(hs)}")
    return hs, out.pooler_output


def collate(seqs, idx, device):
    n = max(len(seqs[i]) for i in idx)
    ids = np.zeros((len(idx), n), dtype=np.int64)
    mask = np.zeros((len(idx), n), dtype=np.int64)
    for r, i in enumerate(idx):
        s = seqs[i]
        ids[r, :len(s)] = s
        mask[r, :len(s)] = 1
    return torch.from_numpy(ids).to(device), torch.from_numpy(mask).to(device)


@torch.no_grad()
def predict_logits(model, seqs, device, bs=256):
    """Full-depth logits (fp32, eval mode) in the original order."""
    model.eval()
    order = np.argsort([len(s) for s in seqs], kind="stable")
    out = np.zeros((len(seqs), model.config.num_labels), dtype=np.float32)
    for i in range(0, len(seqs), bs):
        idx = order[i:i + bs]
        ids, mask = collate(seqs, idx, device)
        out[idx] = model(input_ids=ids, attention_mask=mask).logits.float().cpu().numpy()
    return out


@torch.no_grad()
def predict_layers(model, heads, seqs, device, bs=256):
    """Per-layer logits [L, N, C]: exit heads for layers 0..L-2, the model's own head for L-1."""
    model.eval()
    heads.eval()
    L = model.config.num_hidden_layers
    order = np.argsort([len(s) for s in seqs], kind="stable")
    out = np.zeros((L, len(seqs), model.config.num_labels), dtype=np.float32)
    for i in range(0, len(seqs), bs):
        idx = order[i:i + bs]
        ids, mask = collate(seqs, idx, device)
        hs, pooled = encoder_forward(model, ids, mask)
        for l in range(L - 1):
            out[l, idx] = heads[str(l)](hs[l + 1]).float().cpu().numpy()
        out[L - 1, idx] = model.classifier(pooled).float().cpu().numpy()
    return out


def accuracy(logits, labels):
    return float((np.asarray(logits).argmax(-1) == np.asarray(labels)).mean())


# -------------------------------------------------------------------------------- early exit rules

ENT_GRID = [round(0.01 * i, 2) for i in range(70)] + [0.6932]          # nats; ln 2 = 0.69315
MP_GRID = [round(0.5 + 0.01 * i, 2) for i in range(50)] + [0.995, 0.999, 1.01]


def softmax_np(x):
    x = x - x.max(-1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(-1, keepdims=True)


def first_exit(ok):
    ok = ok.copy()
    ok[-1] = True
    return ok.argmax(0)


def score_exit(probs, labels, ex):
    n = probs.shape[1]
    pred = probs[ex, np.arange(n)].argmax(-1)
    return {"accuracy": float((pred == labels).mean()), "avg_layers": float((ex + 1).mean()),
            "exit_histogram": np.bincount(ex, minlength=probs.shape[0]).tolist()}


def sweeps(logits, labels):
    """logits [L, N, C] -> per-layer accuracy and the sweeps of the three exit rules."""
    probs = softmax_np(logits.astype(np.float64))
    labels = np.asarray(labels)
    L = probs.shape[0]
    ent = -(probs * np.log(np.clip(probs, 1e-300, 1.0))).sum(-1)
    mp = probs.max(-1)
    preds = probs.argmax(-1)
    res = {"per_layer_accuracy": [float((preds[l] == labels).mean()) for l in range(L)],
           "entropy": [], "max_prob": [], "patience": []}
    for t in ENT_GRID:
        res["entropy"].append(dict(threshold=t, **score_exit(probs, labels, first_exit(ent < t))))
    for p in MP_GRID:
        res["max_prob"].append(dict(threshold=p, **score_exit(probs, labels, first_exit(mp >= p))))
    for k in range(1, L + 1):
        ok = np.zeros(preds.shape, dtype=bool)
        for l in range(k - 1, L):
            ok[l] = np.all(preds[l - k + 1:l + 1] == preds[l][None, :], axis=0)
        res["patience"].append(dict(k=k, **score_exit(probs, labels, first_exit(ok))))
    return res


def choose(rows, full_acc, tol):
    cands = [r for r in rows if r["accuracy"] >= full_acc - tol - 1e-9]
    return min(cands, key=lambda r: (r["avg_layers"], -r["accuracy"]))


def rule_key(rule):
    return "k" if rule == "patience" else "threshold"


def pick_rules(sel, other, tol):
    """Choose each rule's setting on `sel` sweeps; report it on both sets."""
    full = sel["per_layer_accuracy"][-1]
    out = {}
    for rule in ("entropy", "max_prob", "patience"):
        key = rule_key(rule)
        c = choose(sel[rule], full, tol)
        o = next(r for r in other[rule] if r[key] == c[key])
        out[rule] = {key: c[key], "selection_set": {k: c[k] for k in ("accuracy", "avg_layers")},
                     "other_set": {k: o[k] for k in ("accuracy", "avg_layers", "exit_histogram")}}
    return out


# ------------------------------------------------------------------------------------ MLM stage

def mlm_pretrain(args, cfg, stream_np, budget_s, device, report):
    from transformers import BertForMaskedLM
    torch.manual_seed(args.seed)
    model = BertForMaskedLM(cfg).to(device)
    model.train()
    info = report.setdefault("mlm", {})
    info["attn_implementation"] = str(getattr(model.config, "_attn_implementation", None))
    head = getattr(model, "cls", None)
    V = cfg.vocab_size
    cls_id, mask_id = SPECIALS.index("[CLS]"), SPECIALS.index("[MASK]")
    first_regular = len(SPECIALS)
    body = args.mlm_seq - 1
    n_mask = max(1, int(round(args.mlm_mask * body)))
    stream = torch.from_numpy(stream_np).to(device)
    n_eval_blocks = 256
    n_eval_tok = n_eval_blocks * body
    eval_blocks = stream[-n_eval_tok:].view(n_eval_blocks, body)
    train_stream = stream[:-n_eval_tok]
    ntr = train_stream.numel()
    bs = args.mlm_batch

    def make_batch(blocks, gen):
        B = blocks.shape[0]
        x = torch.cat([torch.full((B, 1), cls_id, dtype=blocks.dtype, device=device), blocks], 1)
        score = torch.rand(x.shape, device=device, generator=gen)
        score = score.masked_fill(x < first_regular, -1.0)      # never mask special tokens
        pos = score.topk(n_mask, dim=1).indices                  # fixed count: no host sync
        labels = x.gather(1, pos)
        r = torch.rand(pos.shape, device=device, generator=gen)
        rand_tok = torch.randint(first_regular, V, pos.shape, device=device, generator=gen)
        new = torch.where(r < 0.8, torch.full_like(labels, mask_id), torch.where(r < 0.9, rand_tok, labels))
        return x.scatter(1, pos, new), pos, labels

    encoder = model.bert
    if args.compile:
        try:
            encoder = torch.compile(model.bert)
            log("mlm: torch.compile enabled for the encoder")
        except Exception as e:
            log(f"mlm: torch.compile failed ({e}); eager")
            encoder = model.bert

    def mlm_loss(enc, inp, pos, labels):
        with autocast(device):
            if head is not None:
                h = enc(input_ids=inp)[0]
                hsel = h.gather(1, pos.unsqueeze(-1).expand(-1, -1, h.shape[-1]))
                logits = head(hsel)
            else:
                full = model(input_ids=inp).logits
                logits = full.gather(1, pos.unsqueeze(-1).expand(-1, -1, full.shape[-1]))
        loss = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), labels.reshape(-1))
        return loss, logits

    egen = torch.Generator(device=device)
    egen.manual_seed(args.seed + 7)
    ev = make_batch(eval_blocks, egen)

    def mlm_eval():
        model.eval()
        with torch.no_grad():
            loss, logits = mlm_loss(model.bert, *ev)
            acc = (logits.argmax(-1) == ev[2]).float().mean().item()
        model.train()
        return float(loss.item()), float(acc)

    params = [p for p in model.parameters() if p.requires_grad]
    opt = make_optimizer(model.named_parameters(), args.mlm_lr, 0.01, betas=(0.9, 0.98), eps=1e-6)
    gen = torch.Generator(device=device)
    gen.manual_seed(args.seed)
    cpu_gen = torch.Generator()
    cpu_gen.manual_seed(args.seed)

    info.update({"budget_s": round(budget_s, 1), "batch": bs, "seq_len": args.mlm_seq, "masked_per_seq": n_mask,
                 "peak_lr": args.mlm_lr, "warmup_fraction": args.mlm_warmup, "stream_tokens": int(stream.numel()),
                 "history": []})
    log(f"mlm: {ntr} training tokens, batch {bs}x{args.mlm_seq}, budget {budget_s:.0f}s, "
        f"attn={info['attn_implementation']}")
    t_start = time.time()
    deadline = t_start + budget_s
    step, epoch, lr_scale, n_restore = 0, 0, 1.0, 0
    run_loss = torch.zeros((), device=device)
    run_n = 0
    snap = None
    last_eval = t_start
    done = False
    while not done:
        off = int(torch.randint(0, body, (1,), generator=cpu_gen).item())
        nb = (ntr - off) // body
        blocks_all = train_stream[off:off + nb * body].view(nb, body)
        perm = torch.randperm(nb, device=device, generator=gen)
        for i in range(0, nb - bs + 1, bs):
            t = time.time()
            if t >= deadline:
                done = True
                break
            frac = (t - t_start) / budget_s
            w = args.mlm_warmup
            lr = args.mlm_lr * lr_scale * (frac / w if frac < w else max(0.0, (1.0 - frac) / (1.0 - w)))
            set_lr(opt, lr)
            inp, pos, lab = make_batch(blocks_all[perm[i:i + bs]], gen)
            try:
                loss, _ = mlm_loss(encoder, inp, pos, lab)
            except Exception as e:
                if encoder is model.bert:
                    raise
                log(f"mlm: compiled step failed ({type(e).__name__}: {e}); falling back to eager")
                encoder = model.bert
                loss, _ = mlm_loss(encoder, inp, pos, lab)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            run_loss += loss.detach()
            run_n += 1
            step += 1
            if step % args.log_every == 0:
                avg = float((run_loss / run_n).item())
                run_loss.zero_()
                run_n = 0
                el = time.time() - t_start
                if not math.isfinite(avg):
                    n_restore += 1
                    lr_scale *= 0.5
                    log(f"mlm: non-finite loss at step {step}; restoring snapshot, lr scale {lr_scale}")
                    if snap is not None:
                        model.load_state_dict(snap[0])
                        opt.load_state_dict(snap[1])
                    if n_restore > 4:
                        log("mlm: too many restores; stopping pre-training")
                        done = True
                        break
                    continue
                snap = ({k: v.detach().clone() for k, v in model.state_dict().items()},
                        copy.deepcopy(opt.state_dict()))
                tps = step * bs * args.mlm_seq / max(el, 1e-6)
                info["history"].append({"step": step, "t": round(el, 1), "loss": round(avg, 4), "lr": lr})
                log(f"mlm: step {step} ep {epoch} loss {avg:.4f} lr {lr:.2e} {tps / 1e6:.2f}M tok/s")
            if time.time() - last_eval >= args.mlm_eval_every:
                last_eval = time.time()
                el_, ea_ = mlm_eval()
                info.setdefault("eval", []).append({"step": step, "loss": round(el_, 4), "masked_acc": round(ea_, 4)})
                log(f"mlm: eval step {step}: loss {el_:.4f} masked-token acc {ea_:.4f}")
        epoch += 1
    secs = time.time() - t_start
    el_, ea_ = mlm_eval()
    info.update({"steps": step, "epochs_started": epoch, "seconds": round(secs, 1),
                 "tokens_seen": step * bs * args.mlm_seq,
                 "tokens_per_s": round(step * bs * args.mlm_seq / max(secs, 1e-6)),
                 "final_eval_loss": round(el_, 4), "final_eval_masked_acc": round(ea_, 4), "restores": n_restore})
    log(f"mlm: done: {step} steps, {epoch} epochs started, {secs:.0f}s; eval loss {el_:.4f} acc {ea_:.4f}")
    enc_state = {k: v.detach().float().cpu().clone() for k, v in model.bert.state_dict().items()
                 if torch.is_floating_point(v)}
    return enc_state


# ------------------------------------------------------------------------------- fine-tuning

def joint_exit_loss(args, exit_logits, final_logits, y):
    """Exit heads' share of the joint loss: per head, cross-entropy on the labels mixed with
    distillation from the final layer's temperature-softened prediction (which makes the early
    heads' confidence track the full model's, so entropy thresholds transfer between layers)."""
    if not exit_logits:
        return final_logits.new_zeros(())
    t = args.exit_temp
    soft = F.softmax(final_logits.detach().float() / t, dim=-1)
    total = 0.0
    for lg in exit_logits:
        lg = lg.float()
        ce = F.cross_entropy(lg, y)
        kd = F.kl_div(F.log_softmax(lg / t, dim=-1), soft, reduction="batchmean") * (t * t)
        total = total + (1.0 - args.exit_kd) * ce + args.exit_kd * kd
    return args.exit_loss_weight * total


def finetune(args, cfg, enc_state, tr, ho, dv, device, deadline, report):
    """tr/ho/dv: (seqs, labels). Returns the best state dict (by held-out accuracy)."""
    from transformers import BertForSequenceClassification
    info = report.setdefault("finetune", {"runs": []})
    tr_seqs, tr_lab = tr
    ntr = len(tr_seqs)
    bs = args.ft_batch
    best = {"heldout_acc": -1.0, "state": None}
    for lr in [float(x) for x in args.ft_lrs.split(",") if x.strip()]:
        if time.time() >= deadline - 3:
            log(f"ft: no time left for lr {lr}")
            break
        torch.manual_seed(args.seed)
        rng = np.random.RandomState(args.seed)
        model = BertForSequenceClassification(cfg)
        res = model.bert.load_state_dict(enc_state, strict=False)
        missing = [k for k in res.missing_keys if "position_ids" not in k]
        log(f"ft: lr {lr}: encoder loaded; missing {missing}; unexpected {list(res.unexpected_keys)}")
        model.to(device)
        joint = args.exit_mode == "joint"
        L = cfg.num_hidden_layers
        heads = None
        named = list(model.named_parameters())
        if joint:
            heads = nn.ModuleDict({str(l): ExitHead(cfg.hidden_size, cfg.num_labels) for l in range(L - 1)})
            heads.to(device)
            named += [("exit_heads." + n, p) for n, p in heads.named_parameters()]
        params = [p for _, p in named if p.requires_grad]
        opt = make_optimizer(named, lr, 0.01)
        spe = ntr // bs
        total = spe * args.ft_epochs
        warm = max(1, int(0.1 * total))
        step = 0
        stopped = False
        run = {"lr": lr, "epochs": []}
        info["runs"].append(run)
        for ep in range(args.ft_epochs):
            model.train()
            if joint:
                heads.train()
            perm = rng.permutation(ntr)
            t_ep = time.time()
            loss_sum = torch.zeros((), device=device)
            nsteps = 0
            for b in range(spe):
                if time.time() >= deadline:
                    stopped = True
                    break
                idx = perm[b * bs:(b + 1) * bs]
                ids, mask = collate(tr_seqs, idx, device)
                y = torch.from_numpy(tr_lab[idx]).to(device)
                set_lr(opt, lr * (step / warm if step < warm else max(0.0, (total - step) / max(1, total - warm))))
                with autocast(device):
                    out = model(input_ids=ids, attention_mask=mask, output_hidden_states=joint)
                    logits = out.logits
                    exit_logits = [heads[str(l)](out.hidden_states[l + 1]) for l in range(L - 1)] if joint else []
                loss = F.cross_entropy(logits.float(), y)
                if joint:
                    loss = loss + joint_exit_loss(args, exit_logits, logits, y)
                opt.zero_grad(set_to_none=True)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(params, 1.0)
                opt.step()
                loss_sum += loss.detach()
                step += 1
                nsteps += 1
            ho_acc = accuracy(predict_logits(model, ho[0], device), ho[1])
            dv_acc = accuracy(predict_logits(model, dv[0], device), dv[1])
            e = {"epoch": ep + 1, "steps": nsteps, "partial": stopped,
                 "train_loss": round(float(loss_sum.item()) / max(1, nsteps), 4),
                 "heldout_acc": round(ho_acc, 4), "dev_acc": round(dv_acc, 4),
                 "seconds": round(time.time() - t_ep, 1)}
            run["epochs"].append(e)
            log(f"ft: lr {lr} epoch {ep + 1}{' (partial)' if stopped else ''}: loss {e['train_loss']} "
                f"held-out {ho_acc:.4f} dev {dv_acc:.4f} ({e['seconds']}s)")
            if nsteps > 0 and ho_acc > best["heldout_acc"]:
                best = {"heldout_acc": ho_acc, "dev_acc": dv_acc, "lr": lr, "epoch": ep + 1, "partial": stopped,
                        "state": {k: v.detach().cpu().clone() for k, v in model.state_dict().items()},
                        "heads_state": ({k: v.detach().cpu().clone() for k, v in heads.state_dict().items()}
                                        if joint else None)}
            if stopped:
                break
        del model, opt, heads
        if stopped:
            break
    info["best"] = {k: v for k, v in best.items() if k not in ("state", "heads_state")}
    info["exit_mode"] = args.exit_mode
    log(f"ft: best {info['best']}")
    return best


# ---------------------------------------------------------------------------------- exit heads

def train_exits(args, model, tr, device, deadline, report):
    L = model.config.num_hidden_layers
    H = model.config.hidden_size
    C = model.config.num_labels
    heads = nn.ModuleDict({str(l): ExitHead(H, C) for l in range(L - 1)})
    for h in heads.values():   # start from the final head: converges in one epoch
        h.pooler.load_state_dict(model.bert.pooler.dense.state_dict())
        h.classifier.load_state_dict(model.classifier.state_dict())
    heads.to(device)
    model.eval()
    for p in model.parameters():
        p.requires_grad_(False)
    opt = make_optimizer(heads.named_parameters(), args.exit_lr, 0.01)
    tr_seqs, tr_lab = tr
    ntr = len(tr_seqs)
    bs = args.exit_batch
    spe = ntr // bs
    total = spe * args.exit_epochs
    rng = np.random.RandomState(args.seed + 1)
    torch.manual_seed(args.seed + 1)
    info = report.setdefault("exit_training", {"epochs": []})
    step = 0
    t0 = time.time()
    stopped = False
    for ep in range(args.exit_epochs):
        heads.train()
        perm = rng.permutation(ntr)
        loss_sum = torch.zeros((), device=device)
        n = 0
        for b in range(spe):
            if time.time() >= deadline:
                stopped = True
                break
            idx = perm[b * bs:(b + 1) * bs]
            ids, mask = collate(tr_seqs, idx, device)
            y = torch.from_numpy(tr_lab[idx]).to(device)
            with torch.no_grad():
                hs, _ = encoder_forward(model, ids, mask)
            set_lr(opt, args.exit_lr * max(0.0, 1.0 - step / max(1, total)))
            loss = sum(F.cross_entropy(heads[str(l)](hs[l + 1].float()), y) for l in range(L - 1))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            loss_sum += loss.detach()
            step += 1
            n += 1
        info["epochs"].append({"epoch": ep + 1, "steps": n, "partial": stopped,
                               "loss_sum_heads": round(float(loss_sum.item()) / max(1, n), 4)})
        log(f"exits: epoch {ep + 1}{' (partial)' if stopped else ''}: {n} steps, "
            f"mean summed loss {info['epochs'][-1]['loss_sum_heads']}")
        if stopped:
            break
    info["seconds"] = round(time.time() - t0, 1)
    heads.eval()
    return heads


# ------------------------------------------------------------------------------------- export

def export_folder(args, cfg, best_state, heads, vocab_tokens, exit_cfg, report, export_dir, dev_rows, dev_seqs,
                  device):
    """Write the HF folder, verify the reload, write goldens + report, tar into --out."""
    from transformers import BertForSequenceClassification, BertTokenizer
    from safetensors.torch import save_file, load_file
    if os.path.isdir(export_dir):
        shutil.rmtree(export_dir)
    os.makedirs(export_dir)
    m = BertForSequenceClassification(cfg)
    m.load_state_dict(best_state)
    m = m.half().eval()
    m.save_pretrained(export_dir)
    del m
    write_lines(os.path.join(export_dir, "vocab.txt"), vocab_tokens)
    write_json(os.path.join(export_dir, "tokenizer_config.json"), {
        "backend": "tokenizers", "cls_token": "[CLS]", "do_lower_case": True, "mask_token": "[MASK]",
        "model_max_length": cfg.max_position_embeddings, "pad_token": "[PAD]", "sep_token": "[SEP]",
        "strip_accents": None, "tokenize_chinese_chars": True, "tokenizer_class": "BertTokenizer",
        "unk_token": "[UNK]"})
    L = cfg.num_hidden_layers
    if heads is not None:
        tensors = {}
        for l, h in heads.items():
            for part in ("pooler", "classifier"):
                lin = getattr(h, part)
                tensors[f"exit_heads.{l}.{part}.weight"] = lin.weight.detach().half().cpu().contiguous()
                tensors[f"exit_heads.{l}.{part}.bias"] = lin.bias.detach().half().cpu().contiguous()
        save_file(tensors, os.path.join(export_dir, "exit_heads.safetensors"), metadata={"format": "pt"})
        write_json(os.path.join(export_dir, "exit_config.json"), exit_cfg)

    # verify: reload fp16 folder into fp32 and re-tokenize with the saved tokenizer
    ver = report.setdefault("verification", {})
    try:
        reloaded = BertForSequenceClassification.from_pretrained(export_dir, dtype=torch.float32)
    except TypeError:
        reloaded = BertForSequenceClassification.from_pretrained(export_dir, torch_dtype=torch.float32)
    reloaded = reloaded.float().eval()
    tok = BertTokenizer.from_pretrained(export_dir)
    ver["tokenizer_class"] = type(tok).__name__
    ver["tokenizer_vocab_size"] = len(tok)
    sents = [s for s, _ in dev_rows]
    labels = np.asarray([y for _, y in dev_rows])
    seqs = encode_sentences(tok, sents, cfg.max_position_embeddings)
    ver["dev_ids_match_training_tokenizer"] = bool(
        len(seqs) == len(dev_seqs) and all(np.array_equal(a, b) for a, b in zip(seqs, dev_seqs)))
    ref = {k: v.half().float() for k, v in best_state.items() if torch.is_floating_point(v)}
    rsd = reloaded.state_dict()
    diffs = [float((rsd[k].float() - ref[k]).abs().max()) for k in ref if k in rsd]
    ver["weights_max_abs_diff_vs_fp16_rounded"] = max(diffs) if diffs else None
    ver["weights_missing_after_reload"] = [k for k in ref if k not in rsd]
    reloaded.to(device)
    logits = predict_logits(reloaded, seqs, device)
    report["dev_accuracy_reloaded_fp32"] = accuracy(logits, labels)
    log(f"export: reloaded fp32 dev accuracy {report['dev_accuracy_reloaded_fp32']:.4f}; "
        f"ids match {ver['dev_ids_match_training_tokenizer']}; max weight diff {ver['weights_max_abs_diff_vs_fp16_rounded']}")

    # golden: reloaded model, one sentence at a time, CPU fp32
    cpu = torch.device("cpu")
    reloaded.to(cpu)
    cheads = None
    if heads is not None:
        ht = load_file(os.path.join(export_dir, "exit_heads.safetensors"))
        cheads = nn.ModuleDict()
        for l in heads.keys():
            h = ExitHead(cfg.hidden_size, cfg.num_labels)
            h.pooler.weight.data = ht[f"exit_heads.{l}.pooler.weight"].float()
            h.pooler.bias.data = ht[f"exit_heads.{l}.pooler.bias"].float()
            h.classifier.weight.data = ht[f"exit_heads.{l}.classifier.weight"].float()
            h.classifier.bias.data = ht[f"exit_heads.{l}.classifier.bias"].float()
            cheads[l] = h
        cheads.eval()
    preds = []
    with torch.no_grad():
        for i, (s, y) in enumerate(dev_rows[:args.n_golden]):
            enc = tok(s, truncation=True, max_length=cfg.max_position_embeddings)
            ids = torch.tensor([enc["input_ids"]])
            tt = torch.tensor([enc.get("token_type_ids") or [0] * ids.shape[1]])
            am = torch.ones_like(ids)
            lg = reloaded(input_ids=ids, attention_mask=am, token_type_ids=tt).logits[0]
            rec = {"index": i, "sentence": s, "label": int(y), "input_ids": list(enc["input_ids"]),
                   "logits": f7(lg.tolist()), "pred": int(lg.argmax())}
            if cheads is not None:
                hs, pooled = encoder_forward(reloaded, ids, am, tt)
                rec["layer_logits"] = [f7(cheads[str(l)](hs[l + 1])[0].tolist()) for l in range(L - 1)]
                rec["layer_logits"].append(f7(reloaded.classifier(pooled)[0].tolist()))
            preds.append(rec)
    write_json(os.path.join(export_dir, "dev_predictions.json"), {
        "description": "reloaded model (fp16 weights loaded as fp32), CPU fp32, one sentence at a time, "
                       "no padding; layer_logits[l] = exit head of encoder layer l (last = model head)",
        "max_length": cfg.max_position_embeddings, "predictions": preds})
    del reloaded

    report["files"] = {fn: os.path.getsize(os.path.join(export_dir, fn)) for fn in sorted(os.listdir(export_dir))}
    report["files"]["report.json"] = None
    report["folder_bytes_without_report"] = sum(v for v in report["files"].values() if v)
    write_json(os.path.join(export_dir, "report.json"), report)
    tar_path = os.path.join(args.out, "model.tar.gz")
    tmp = os.path.join(args.out, "model.tar.gz.tmp")
    with tarfile.open(tmp, "w:gz") as tf:
        for fn in sorted(os.listdir(export_dir)):
            tf.add(os.path.join(export_dir, fn), arcname="model/" + fn)
    os.replace(tmp, tar_path)
    log(f"export: wrote {tar_path} ({os.path.getsize(tar_path)} bytes): {sorted(os.listdir(export_dir))}")


# --------------------------------------------------------------------------------------- main

def main(argv=None):
    args = parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    work = args.work or tempfile.mkdtemp(prefix="hb_train_")
    os.makedirs(work, exist_ok=True)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    import transformers
    report = {"seed": args.seed, "args": vars(args),
              "versions": {"python": sys.version.split()[0], "torch": torch.__version__,
                           "transformers": transformers.__version__, "numpy": np.__version__},
              "device": torch.cuda.get_device_name(0) if device.type == "cuda" else "cpu",
              "times": {}, "errors": []}
    report_path = os.path.join(args.out, "report.json")

    def save_report():
        try:
            write_json(report_path, report)
        except Exception:
            traceback.print_exc()

    def err(stage):
        tb = traceback.format_exc()
        log(f"ERROR in {stage}:\n{tb}")
        report["errors"].append({"stage": stage, "traceback": tb[-3000:]})
        save_report()

    log(f"device {report['device']}; torch {torch.__version__}; transformers {transformers.__version__}")
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = False   # fp32 evaluation stays fp32
        torch.backends.cudnn.allow_tf32 = False

    # ---- data
    t = time.time()
    sst_train = read_tsv(os.path.join(args.data, "sst2", "train.tsv"))
    sst_dev = read_tsv(os.path.join(args.data, "sst2", "dev.tsv"))
    imdb = read_imdb(os.path.join(args.data, "imdb_unsup", "unsup.jsonl.gz"))
    full_vocab_path = os.path.join(args.data, "vocab", "bert-base-uncased-vocab.txt")
    full_vocab = read_lines(full_vocab_path)
    while full_vocab and full_vocab[-1] == "":
        full_vocab.pop()
    tr_rows, ho_rows = split_heldout(sst_train, args.heldout, args.heldout_min_words, args.seed)
    report["data"] = {"sst2_train": len(sst_train), "sst2_train_used": len(tr_rows), "heldout": len(ho_rows),
                      "heldout_rule": f"random {args.heldout} train phrases with >= {args.heldout_min_words} words "
                                      f"(seed {args.seed}); their sub-phrases stay in training",
                      "sst2_dev": len(sst_dev), "imdb_unsup_docs": len(imdb)}
    log(f"data: {report['data']} ({time.time() - t:.1f}s)")

    # ---- stage 1: trimmed vocabulary
    t = time.time()
    vocab_out = os.path.join(args.out, "trimmed_vocab.txt")
    if args.trimmed_vocab:
        vocab_tokens = read_lines(args.trimmed_vocab)
        while vocab_tokens and vocab_tokens[-1] == "":
            vocab_tokens.pop()
        report["vocab"] = {"size": len(vocab_tokens), "source": args.trimmed_vocab}
    else:
        full_tok = load_tokenizer(full_vocab_path, 10 ** 9)
        ids_imdb_full = tokenize_texts(full_tok, imdb)
        ids_sst_full = tokenize_texts(full_tok, [s for s, _ in sst_train])
        flat = np.concatenate([flatten(ids_imdb_full), flatten(ids_sst_full)])
        counts = np.bincount(flat, minlength=len(full_vocab))[:len(full_vocab)]
        del ids_imdb_full, ids_sst_full, flat
        vocab_tokens, vstats = build_trimmed_vocab(full_vocab, counts, args.vocab_size)
        vstats["corpus_tokens_full_vocab"] = int(counts.sum())
        report["vocab"] = vstats
    write_lines(vocab_out, vocab_tokens)
    assert vocab_tokens[:5] == SPECIALS
    report["times"]["vocab_s"] = round(time.time() - t, 1)
    log(f"vocab: {report['vocab']} ({time.time() - t:.1f}s)")

    # ---- tokenization with the trimmed vocabulary
    t = time.time()
    vocab_path = os.path.join(work, "vocab.txt")
    write_lines(vocab_path, vocab_tokens)
    corpus_tok = load_tokenizer(vocab_path, 10 ** 9)
    tok = load_tokenizer(vocab_path, args.max_pos)
    if len(tok) != len(vocab_tokens):
        log(f"WARNING: tokenizer size {len(tok)} != vocab size {len(vocab_tokens)}")
    ml = min(args.ft_max_len, args.max_pos)
    tr_seqs = encode_sentences(tok, [s for s, _ in tr_rows], ml)
    tr_lab = np.asarray([y for _, y in tr_rows], dtype=np.int64)
    ho_seqs = encode_sentences(tok, [s for s, _ in ho_rows], args.max_pos)
    ho_lab = np.asarray([y for _, y in ho_rows], dtype=np.int64)
    dv_seqs = encode_sentences(tok, [s for s, _ in sst_dev], args.max_pos)
    dv_lab = np.asarray([y for _, y in sst_dev], dtype=np.int64)
    need_mlm = not args.init_encoder
    stream_np = None
    if need_mlm:
        ids_imdb = tokenize_texts(corpus_tok, imdb)
        ids_sst = [s[1:-1].tolist() for s in encode_sentences(corpus_tok, [s for s, _ in tr_rows], 10 ** 6)]
        stream_np = build_stream(ids_imdb + ids_sst, SPECIALS.index("[SEP]"), np.random.RandomState(args.seed + 3))
        n_unk = int((stream_np == SPECIALS.index("[UNK]")).sum())
        report["vocab"]["mlm_stream_tokens"] = int(stream_np.size)
        report["vocab"]["mlm_unk_rate"] = n_unk / max(1, stream_np.size)
        del ids_imdb, ids_sst
    report["times"]["tokenize_s"] = round(time.time() - t, 1)
    log(f"tokenize: train {len(tr_seqs)} held-out {len(ho_seqs)} dev {len(dv_seqs)}; "
        f"max train len {max(len(s) for s in tr_seqs)}; stream {None if stream_np is None else stream_np.size} "
        f"({time.time() - t:.1f}s)")
    del imdb
    save_report()

    cfg = make_config(args, len(vocab_tokens))

    # ---- stage 2: MLM pre-training
    t = time.time()
    if need_mlm:
        budget = min(args.mlm_seconds,
                     args.deadline - now() - args.ft_seconds - args.exit_seconds - args.reserve_seconds)
        budget = max(budget, args.mlm_min_seconds)
        enc_state = mlm_pretrain(args, cfg, stream_np, budget, device, report)
        del stream_np
        if device.type == "cuda":
            torch.cuda.empty_cache()
        try:
            from safetensors.torch import save_file
            save_file({k: v.half().contiguous() for k, v in enc_state.items()},
                      os.path.join(args.out, "mlm_encoder.safetensors"), metadata={"format": "pt"})
        except Exception:
            err("save mlm encoder")
    else:
        from safetensors.torch import load_file
        enc_state = {k: v.float() for k, v in load_file(args.init_encoder).items()}
        report["mlm"] = {"loaded_from": args.init_encoder}
    report["times"]["mlm_s"] = round(time.time() - t, 1)
    save_report()

    # ---- stage 3: fine-tuning
    t = time.time()
    ft_deadline = T0 + min(now() + args.ft_seconds, args.deadline - args.exit_seconds - args.reserve_seconds)
    best = finetune(args, cfg, enc_state, (tr_seqs, tr_lab), (ho_seqs, ho_lab), (dv_seqs, dv_lab), device,
                    ft_deadline, report)
    report["times"]["finetune_s"] = round(time.time() - t, 1)
    if best["state"] is None:
        log("ft: no model trained")
        save_report()
        return 1

    from transformers import BertForSequenceClassification
    model = BertForSequenceClassification(cfg)
    model.load_state_dict(best["state"])
    model.to(device).eval()
    n_params = sum(p.numel() for p in model.parameters())
    report["model"] = {"architecture": "BertForSequenceClassification", "hidden_size": cfg.hidden_size,
                       "num_hidden_layers": cfg.num_hidden_layers, "num_attention_heads": cfg.num_attention_heads,
                       "intermediate_size": cfg.intermediate_size, "vocab_size": cfg.vocab_size,
                       "max_position_embeddings": cfg.max_position_embeddings, "hidden_act": cfg.hidden_act,
                       "param_count": int(n_params), "fp16_bytes": int(2 * n_params), "int8_bytes_approx": int(n_params)}
    dev_logits = predict_logits(model, dv_seqs, device)
    ho_logits = predict_logits(model, ho_seqs, device)
    report["dev_accuracy"] = accuracy(dev_logits, dv_lab)
    report["heldout_accuracy"] = accuracy(ho_logits, ho_lab)
    log(f"model: {n_params} params; dev accuracy (fp32, full depth) {report['dev_accuracy']:.4f}; "
        f"held-out {report['heldout_accuracy']:.4f}")
    export_dir = os.path.join(work, "model")
    dev_rows = list(sst_dev)

    # ---- first export (no exit heads yet): a usable model even if later stages fail
    t = time.time()
    try:
        export_folder(args, cfg, best["state"], None, vocab_tokens, None, report, export_dir, dev_rows, dv_seqs,
                      device)
    except Exception:
        err("first export")
    report["times"]["first_export_s"] = round(time.time() - t, 1)
    save_report()

    # ---- stage 4: exit heads + sweeps
    heads, exit_cfg = None, None
    t = time.time()
    try:
        ex_deadline = T0 + min(now() + args.exit_seconds, args.deadline - 0.6 * args.reserve_seconds)
        if best.get("heads_state") is not None:
            heads = nn.ModuleDict({str(l): ExitHead(cfg.hidden_size, cfg.num_labels)
                                   for l in range(cfg.num_hidden_layers - 1)})
            heads.load_state_dict(best["heads_state"])
            heads.to(device).eval()
            report["exit_training"] = {"mode": "joint", "loss_weight": args.exit_loss_weight,
                                       "kd_share": args.exit_kd, "temperature": args.exit_temp,
                                       "epoch": best.get("epoch"), "lr": best.get("lr")}
        else:
            heads = train_exits(args, model, (tr_seqs, tr_lab), device, ex_deadline, report)
        ho_layers = predict_layers(model, heads, ho_seqs, device)
        dv_layers = predict_layers(model, heads, dv_seqs, device)
        report["final_head_consistency_max_abs_diff"] = float(np.abs(dv_layers[-1] - dev_logits).max())
        sw_dev, sw_ho = sweeps(dv_layers, dv_lab), sweeps(ho_layers, ho_lab)
        tol = args.exit_tolerance
        chosen = pick_rules(sw_ho, sw_dev, tol)
        oracle = pick_rules(sw_dev, sw_ho, tol)
        report["per_layer_dev_accuracy"] = sw_dev["per_layer_accuracy"]
        report["per_layer_heldout_accuracy"] = sw_ho["per_layer_accuracy"]
        full_dev = sw_dev["per_layer_accuracy"][-1]
        for rule, c in chosen.items():
            c["dev_within_tolerance"] = bool(c["other_set"]["accuracy"] >= full_dev - tol - 1e-9)
        report["early_exit"] = {
            "selection": f"chosen on the held-out slice: accuracy >= full depth - {tol}, fewest average layers",
            "tolerance": tol, "entropy_units": "nats (softmax in fp32/fp64 over the head's logits)",
            "chosen": chosen, "dev_oracle_for_reference": oracle,
            "sweeps_dev": sw_dev, "sweeps_heldout": sw_ho}
        L = cfg.num_hidden_layers
        exit_cfg = {
            "layers": list(range(L - 1)), "num_hidden_layers": L, "final_layer": L - 1,
            "head": "exit_heads.{layer}: pooler = tanh(dense(h[:, 0])) on encoder layer {layer}'s output "
                    "(0-based), then classifier = dense -> logits; the final layer uses the model's own "
                    "bert.pooler + classifier",
            "default_rule": {"type": "entropy", "threshold": chosen["entropy"]["threshold"]},
            "rules": {"entropy": {"threshold": chosen["entropy"]["threshold"],
                                  "description": "exit at the first layer whose softmax entropy (nats) < threshold"},
                      "max_prob": {"threshold": chosen["max_prob"]["threshold"],
                                   "description": "exit at the first layer whose max softmax probability >= threshold"},
                      "patience": {"k": chosen["patience"]["k"],
                                   "description": "exit at the first layer l where layers l-k+1..l all predict "
                                                  "the same label"}},
            "expected": {rule: {"dev_accuracy": c["other_set"]["accuracy"], "dev_avg_layers": c["other_set"]["avg_layers"],
                                "heldout_accuracy": c["selection_set"]["accuracy"],
                                "heldout_avg_layers": c["selection_set"]["avg_layers"]}
                         for rule, c in chosen.items()},
            "full_depth_dev_accuracy": full_dev,
            "id2label": {str(k): v for k, v in ID2LABEL.items()}}
        report["exit_heads_param_count"] = int(sum(p.numel() for p in heads.parameters()))
        log(f"exits: per-layer dev acc {sw_dev['per_layer_accuracy']}; held-out {sw_ho['per_layer_accuracy']}")
        for rule, c in chosen.items():
            log(f"exits: {rule} {rule_key(rule)}={c[rule_key(rule)]}: held-out {c['selection_set']} "
                f"dev acc {c['other_set']['accuracy']:.4f} avg layers {c['other_set']['avg_layers']:.3f}")
    except Exception:
        err("exit heads")
        heads, exit_cfg = None, None
    report["times"]["exits_s"] = round(time.time() - t, 1)
    save_report()

    # ---- final export
    if heads is not None:
        t = time.time()
        try:
            report["times"]["total_s_before_final_export"] = round(now(), 1)
            export_folder(args, cfg, best["state"], heads, vocab_tokens, exit_cfg, report, export_dir, dev_rows,
                          dv_seqs, device)
        except Exception:
            err("final export")
        report["times"]["final_export_s"] = round(time.time() - t, 1)
    report["times"]["total_s"] = round(now(), 1)
    save_report()
    log(f"done in {now():.0f}s; errors: {len(report['errors'])}")
    return 0 if not report["errors"] else 2


if __name__ == "__main__":
    sys.exit(main())
