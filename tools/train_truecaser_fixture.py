#!/usr/bin/env python3
"""A trained token classifier for the golden fixtures: an uncased BERT truecaser.

The other fixture models are random-init (tools/make_goldens.py), where near-tied logits make
argmax comparisons noisy; this one is trained, so its predictions have the margins of a real
tagger. Task: the tokenizer lowercases the text, and the model labels every word piece with the
casing of its word in the original: lower (or no letters), Capitalized, UPPER (>= 2 letters, all
capitals). [CLS]/[SEP] are "lower". Sentences come from IMDB train reviews (../shared/data/imdb,
copied by the caller into a git-ignored folder); the last 2,000 sentences are held out.

Writes OUT/bert_truecaser/{config.json, model.safetensors, vocab.txt, tokenizer_config.json,
special_tokens_map.json, golden.json}: golden.json holds transformers' logits (CPU fp32, one
text at a time) on tests/fixtures/texts.json and 200 held-out sentences, as make_goldens.py writes
them for token classifiers.

  python3 tools/train_truecaser_fixture.py --reviews DIR/train.jsonl.gz --out /tmp/fixtures
"""
import argparse
import gzip
import json
import os
import random
import re
import shutil
import sys
import time
import unicodedata

import torch
import transformers
from transformers import BertConfig, BertForTokenClassification, BertTokenizer

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_goldens as mg  # noqa: E402  (encode, f7: the goldens' conventions)

LABELS = {0: "lower", 1: "Capitalized", 2: "UPPER"}
MAX_LEN = 128


def cased_words(text):
    """Whitespace, then every punctuation character on its own (BERT's basic split, no lowercasing)."""
    out = []
    for chunk in text.split():
        cur = ""
        for ch in chunk:
            cat = unicodedata.category(ch)
            if cat.startswith("P") or (ord(ch) < 128 and not ch.isalnum()):
                if cur:
                    out.append(cur)
                out.append(ch)
                cur = ""
            else:
                cur += ch
        if cur:
            out.append(cur)
    return out


def word_label(word):
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return 0
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return 2
    return 1 if letters[0].isupper() else 0


def sentences(path, limit):
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            text = json.loads(line)["text"].replace("<br />", " ")
            for s in re.split(r"(?<=[.!?])\s+", text):
                n = len(s.split())
                if 4 <= n <= 60:
                    out.append(s.strip())
            if len(out) >= limit:
                break
    return out[:limit]


def example(tok, sentence):
    ids, labels = [tok.cls_token_id], [0]
    for w in cased_words(sentence):
        pieces = tok.convert_tokens_to_ids(tok.tokenize(w))
        ids += pieces
        labels += [word_label(w)] * len(pieces)
    ids, labels = ids[:MAX_LEN - 1] + [tok.sep_token_id], labels[:MAX_LEN - 1] + [0]
    return ids, labels


def batches(data, size, shuffle):
    order = list(range(len(data)))
    if shuffle:
        random.shuffle(order)
    for i in range(0, len(order), size):
        chunk = [data[j] for j in order[i:i + size]]
        n = max(len(x[0]) for x in chunk)
        ids = torch.zeros(len(chunk), n, dtype=torch.long)
        lab = torch.full((len(chunk), n), -100, dtype=torch.long)
        mask = torch.zeros(len(chunk), n, dtype=torch.long)
        for r, (a, b) in enumerate(chunk):
            ids[r, :len(a)] = torch.tensor(a)
            lab[r, :len(b)] = torch.tensor(b)
            mask[r, :len(a)] = 1
        yield ids, mask, lab


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reviews", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--sentences", type=int, default=120000)
    ap.add_argument("--epochs", type=int, default=4)
    a = ap.parse_args()
    random.seed(0)
    torch.manual_seed(0)
    dev = "cuda" if torch.cuda.is_available() else "cpu"
    print("transformers", transformers.__version__, "torch", torch.__version__, "device", dev, flush=True)
    d = os.path.join(a.out, "bert_truecaser")
    os.makedirs(d, exist_ok=True)
    vocab_path = os.path.join(HERE, "..", "web-demo", "model", "vocab.txt")
    tok = mg.load_tokenizer(vocab_path, do_lower_case=True, model_max_length=MAX_LEN)
    sents = sentences(a.reviews, a.sentences + 2000)
    train_s, held_s = sents[:-2000], sents[-2000:]
    train = [example(tok, s) for s in train_s]
    held = [example(tok, s) for s in held_s]
    counts = [0, 0, 0]
    for _, lab in train:
        for x in lab:
            counts[x] += 1
    print(f"{len(train)} training / {len(held)} held-out sentences; piece labels {counts}", flush=True)

    config = BertConfig(vocab_size=tok.vocab_size, hidden_size=64, num_hidden_layers=2,
                        num_attention_heads=4, intermediate_size=192, max_position_embeddings=MAX_LEN,
                        type_vocab_size=2, hidden_act="gelu", pad_token_id=0, id2label=LABELS,
                        label2id={v: k for k, v in LABELS.items()})
    model = BertForTokenClassification(config).to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
    steps = a.epochs * ((len(train) + 127) // 128)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=steps, pct_start=0.06)
    t0 = time.time()
    for epoch in range(a.epochs):
        model.train()
        for ids, mask, lab in batches(train, 128, True):
            loss = model(input_ids=ids.to(dev), attention_mask=mask.to(dev), labels=lab.to(dev)).loss
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        model.eval()
        right = total = 0
        per = [[0, 0], [0, 0], [0, 0]]
        with torch.no_grad():
            for ids, mask, lab in batches(held, 256, False):
                pred = model(input_ids=ids.to(dev), attention_mask=mask.to(dev)).logits.argmax(-1).cpu()
                ok = lab != -100
                right += int(((pred == lab) & ok).sum())
                total += int(ok.sum())
                for c in range(3):
                    m = lab == c
                    per[c][0] += int(((pred == lab) & m).sum())
                    per[c][1] += int(m.sum())
        acc = {LABELS[c]: round(per[c][0] / max(1, per[c][1]), 4) for c in range(3)}
        print(f"epoch {epoch + 1}: loss {loss.item():.4f}, held-out piece accuracy {right / total:.4f} "
              f"{acc} ({time.time() - t0:.0f}s)", flush=True)

    model = model.cpu().float().eval()
    model.save_pretrained(d, safe_serialization=True)
    shutil.copy(vocab_path, os.path.join(d, "vocab.txt"))  # save_pretrained of a v5 tokenizer may omit it
    tok.save_pretrained(d)
    for fn in os.listdir(d):
        if fn not in ("config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json",
                      "special_tokens_map.json"):
            os.remove(os.path.join(d, fn))
    tok = BertTokenizer.from_pretrained(d)  # as a user would load the folder
    assert tok.convert_tokens_to_ids("movie") != tok.unk_token_id, "the saved folder lost its vocabulary"
    with open(os.path.join(HERE, "..", "tests", "fixtures", "texts.json"), encoding="utf-8") as f:
        texts = json.load(f)["texts"] + held_s[:200]
    cases = []
    with torch.no_grad():
        for text in texts:
            enc = mg.encode(tok, text, None, max_length=MAX_LEN)
            ids = torch.tensor([enc["ids"]])
            out = model(input_ids=ids, attention_mask=torch.ones_like(ids),
                        token_type_ids=torch.tensor([enc["type_ids"]]))
            cases.append({"text": text, "ids": enc["ids"], "type_ids": enc["type_ids"], "tokens": enc["tokens"],
                          "logits": [mg.f7(r) for r in out.logits[0].tolist()]})
    doc = {"model": "bert_truecaser", "architecture": "BertForTokenClassification", "max_length": MAX_LEN,
           "reference": f"transformers {transformers.__version__}, torch {torch.__version__}, CPU fp32, one text at a time",
           "trained": "tools/train_truecaser_fixture.py: uncased truecaser on IMDB train sentences",
           "held_out_piece_accuracy": round(right / total, 4), "held_out_per_label": acc,
           "cases": cases}
    with open(os.path.join(d, "golden.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
    print(f"bert_truecaser: {len(cases)} cases, files {sorted(os.listdir(d))}", flush=True)


if __name__ == "__main__":
    main()
