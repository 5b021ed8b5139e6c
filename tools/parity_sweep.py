#!/usr/bin/env python3
"""Out-of-sample Hugging Face parity: random checkpoints of random shapes on held-out texts.

The committed fixtures (tools/make_goldens.py) pin seven hand-picked shapes on one text set. This
sweep draws new ones from a seed -- architecture, sizes (odd head sizes and FFN widths included),
activation, LayerNorm epsilon, positions, token types, labels and problem_type, tokenizer settings
and which tokenizer files the folder keeps -- and computes Hugging Face's outputs on texts the
fixtures never saw: other SST-2 / IMDB / 20 Newsgroups lines and seeded random Unicode. Nothing here
is committed; `node tools/check_parity_sweep.mjs DIR` compares hummingbert with what it wrote.

  # here: the texts, from ../shared/data, into the git-ignored .device-data/
  python3 tools/parity_sweep.py texts --data ../shared/data -o .device-data/sweep_texts.json
  # device (carry [".device-data"]): models + goldens, packed for the trip back
  python3 tools/parity_sweep.py models --texts .device-data/sweep_texts.json --out /tmp/sweep \
      --seed 9 --count 12 && tar czf $OUT/sweep.tgz -C /tmp sweep

Every code point through tokenizers' BertNormalizer (three settings) and BertPreTokenizer, and
the committed fixture tests/fixtures/tokenizer/codepoints_golden.json selected from it:

  python3 tools/parity_sweep.py codepoints -o $OUT/cp.json                      # device
  python3 tools/parity_sweep.py select-codepoints --hf cp.json \
      -o tests/fixtures/tokenizer/codepoints_golden.json                          # here
"""
import argparse
import gzip
import json
import os
import random
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # make_goldens


# ---------------------------------------------------------------------------------------------
# texts (runs here; needs only the standard library)

# Code point ranges random text is drawn from: scripts, combining marks, CJK, emoji, zero-width
# and bidi controls, C0/C1 controls, private use, noncharacters, variation selectors, tags.
RANGES = [
    (0x20, 0x7E, 30), (0xA0, 0xFF, 6), (0x100, 0x24F, 4), (0x300, 0x36F, 4), (0x370, 0x3FF, 3),
    (0x400, 0x4FF, 3), (0x590, 0x5FF, 2), (0x600, 0x6FF, 2), (0x900, 0x97F, 2), (0xE00, 0xE7F, 2),
    (0x1100, 0x11FF, 1), (0x2000, 0x206F, 3), (0x2100, 0x22FF, 2), (0x3000, 0x30FF, 3),
    (0x4E00, 0x9FFF, 5), (0xAC00, 0xD7A3, 2), (0xE000, 0xE0FF, 1), (0xFE00, 0xFE0F, 1),
    (0xFF00, 0xFFEF, 2), (0xFFF0, 0xFFFF, 1), (0x1D400, 0x1D7FF, 1), (0x1F300, 0x1F6FF, 3),
    (0x20000, 0x2A6DF, 1), (0xE0000, 0xE007F, 1), (0x0, 0x1F, 2), (0x7F, 0x9F, 1),
]


def random_text(rng, words):
    weights = [w for _, _, w in RANGES]
    out = []
    for _ in range(rng.randint(1, 14)):
        if rng.random() < 0.35:
            w = rng.choice(words)
            out.append(w.upper() if rng.random() < 0.2 else w.capitalize() if rng.random() < 0.3 else w)
            continue
        lo, hi, _ = rng.choices(RANGES, weights)[0]
        cps = [rng.randint(lo, hi) for _ in range(rng.randint(1, 12))]
        out.append("".join(chr(c) for c in cps if c not in (0x0A, 0x0D) and not 0xD800 <= c <= 0xDFFF))
    return rng.choice([" ", "", "  ", "\t"]).join(out) if rng.random() < 0.2 else " ".join(out)


def read_jsonl(path, n, rng):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows = [json.loads(line)["text"] for line in f]
    return rng.sample(rows, n)


def make_texts(data, out):
    rng = random.Random(20261129)
    with open(os.path.join(data, "sst2", "dev.tsv"), encoding="utf-8") as f:
        sst = [line.split("\t")[0] for line in f.read().splitlines()[1:]]
    with open(os.path.join(data, "vocab", "bert-base-uncased-vocab.txt"), encoding="utf-8") as f:
        words = [w for w in f.read().splitlines()[2000:12000] if w.isalpha()]
    texts = rng.sample(sst, 70)
    texts += [t[: rng.randint(200, 3000)] for t in read_jsonl(os.path.join(data, "imdb", "test.jsonl.gz"), 30, rng)]
    texts += [t[: rng.randint(200, 4000)] for t in
              read_jsonl(os.path.join(data, "20newsgroups", "test.jsonl.gz"), 20, rng)]
    texts += [random_text(rng, words) for _ in range(80)]
    # One text per line for the CLI: no line breaks inside a text.
    texts = [t.replace("\r", " ").replace("\n", " ") for t in texts]
    pairs = [(rng.choice(sst), rng.choice(texts)) for _ in range(30)]
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"texts": texts, "pairs": pairs}, f, ensure_ascii=False)
    print(f"{out}: {len(texts)} texts, {len(pairs)} pairs")


# ---------------------------------------------------------------------------------------------
# models (device: torch + transformers)

def draw_config(rng, index, large=False):
    arch = rng.choice(["BertModel", "BertForSequenceClassification", "BertForTokenClassification",
                       "DistilBertModel", "DistilBertForSequenceClassification",
                       "DistilBertForTokenClassification", "BertForSequenceClassification"])
    # Draw order fixed: a seed always gives the same models (fixtures name their seed).
    if large:  # production widths (MiniLM to BERT-base heads), long inputs; stored fp16
        heads = rng.choice([6, 8, 12])
        head_size = rng.choice([32, 64])
    else:
        heads = rng.randint(1, 8)
        head_size = rng.choice([4, 5, 6, 8, 12, 16, 20, 24, 32])
    hidden = heads * head_size
    ffn = rng.randint(max(4, hidden // 2), 4 * hidden + 7)
    if large:
        layers = rng.randint(1, 2)
        positions = 512
    else:
        layers = rng.randint(1, 4)
        positions = rng.choice([20, 33, 64, 77, 128, 200, 512])
    spec = {"architecture": arch, "index": index, "cased": rng.random() < 0.3,
            "vocab_words": rng.randint(300, 3000), "keep": rng.choice(["all", "config_only", "vocab_only"])}
    labels = 0
    kw = {}
    if arch.endswith("SequenceClassification"):
        problem = rng.choice([None, None, "single_label_classification", "multi_label_classification",
                              "regression", "one_label"])
        labels = 1 if problem in ("regression", "one_label") else rng.randint(2, 6)
        if problem not in (None, "one_label"):
            kw["problem_type"] = problem
    elif arch.endswith("TokenClassification"):
        labels = rng.randint(2, 9)
    if labels:
        names = [f"label_{index}_{i}" for i in range(labels)] if rng.random() < 0.7 else None
        kw["num_labels"] = labels
        if names:
            kw["id2label"] = dict(enumerate(names))
            kw["label2id"] = {n: i for i, n in enumerate(names)}
    if arch.startswith("Distil"):
        kw.update(dim=hidden, n_heads=heads, hidden_dim=ffn, n_layers=layers,
                  max_position_embeddings=positions, activation=rng.choice(["gelu", "relu"]),
                  sinusoidal_pos_embds=rng.random() < 0.3)
    else:
        kw.update(hidden_size=hidden, num_attention_heads=heads, intermediate_size=ffn,
                  num_hidden_layers=layers, max_position_embeddings=positions,
                  type_vocab_size=rng.randint(1, 3),
                  hidden_act=rng.choice(["gelu", "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "relu"]),
                  layer_norm_eps=rng.choice([1e-12, 1e-7, 1e-5, 1e-3]))
    # Tokenizer settings a folder may carry (tokenizer_config.json; dropped with keep=vocab_only).
    spec["tokenizer"] = {"do_lower_case": (not spec["cased"]) if rng.random() < 0.8 else spec["cased"],
                         "strip_accents": rng.choice([None, None, True, False]),
                         "tokenize_chinese_chars": rng.random() < 0.8}
    spec["config"] = kw
    return spec


def make_models(texts_path, out, seed, count, large=False):
    import torch
    import transformers

    from make_goldens import FIXTURES, make_cased_vocab

    torch.set_num_threads(8)
    with open(texts_path, encoding="utf-8") as f:
        doc = json.load(f)
    texts, pairs = doc["texts"], [tuple(p) for p in doc["pairs"]]
    with open(os.path.join(FIXTURES, "tokenizer", "vocab_uncased.txt"), encoding="utf-8") as f:
        vocab_uncased = f.read().split("\n")[:-1]
    vocab_cased = make_cased_vocab(vocab_uncased)
    rng = random.Random(seed)
    print("transformers", transformers.__version__, "torch", torch.__version__, flush=True)
    for index in range(count):
        spec = draw_config(rng, index, large)
        spec["fp16"] = large
        try:
            one_model(spec, index, seed, out, texts, pairs, vocab_uncased, vocab_cased)
        except Exception:  # one bad draw must not lose the others
            traceback.print_exc()


def one_model(spec, index, seed, out, texts, pairs, vocab_uncased, vocab_cased):
    import torch
    import transformers
    from transformers import BertConfig, BertTokenizer, DistilBertConfig, pipeline

    from make_goldens import f7, hf_forward, load_tokenizer, model_vocab, randomize, write_lines

    name = f"m{index:02d}_{spec['architecture']}"
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    vocab = model_vocab(vocab_cased if spec["cased"] else vocab_uncased, spec["vocab_words"])
    if spec["cased"]:
        vocab += [w for w in vocab_cased[30522:30522 + 600] if w not in set(vocab)]
    vp = os.path.join(d, "vocab.txt")
    write_lines(vp, vocab)
    cls = getattr(transformers, spec["architecture"])
    is_distil = spec["architecture"].startswith("Distil")
    config = (DistilBertConfig if is_distil else BertConfig)(vocab_size=len(vocab), pad_token_id=0,
                                                           **spec["config"])
    torch.manual_seed(seed * 1000 + index)
    model = cls(config)
    randomize(model, seed * 1000 + 500 + index)
    if spec.get("fp16"):
        # Stored fp16 (smaller to carry); the reference runs on exactly those values in fp32.
        model = model.half().float()
    model.eval()
    if spec.get("fp16"):
        model.half().save_pretrained(d, safe_serialization=True)
        model.float()
    else:
        model.save_pretrained(d, safe_serialization=True)
    max_len = config.max_position_embeddings
    tok = load_tokenizer(vp, model_max_length=max_len, **spec["tokenizer"])
    tok.save_pretrained(d)
    for fn in os.listdir(d):
        keep = fn in ("config.json", "model.safetensors", "vocab.txt")
        keep |= spec["keep"] == "config_only" and fn == "tokenizer_config.json"
        keep |= spec["keep"] == "all" and fn in ("tokenizer_config.json", "tokenizer.json",
                                                 "special_tokens_map.json")
        if not keep:
            os.remove(os.path.join(d, fn))
    tok = BertTokenizer.from_pretrained(d) if spec["keep"] != "vocab_only" else load_tokenizer(vp)
    use_pairs = not spec["architecture"].endswith("TokenClassification") and (
        is_distil or config.type_vocab_size >= 2)
    inputs = [(t, None) for t in texts] + ([(a, b) for a, b in pairs] if use_pairs else [])
    task = ("sequence-classification" if "Sequence" in spec["architecture"] else
            "token-classification" if "Token" in spec["architecture"] else "encoder")
    pipe = None
    if task == "sequence-classification":
        pipe = pipeline("text-classification", model=model, tokenizer=tok, device="cpu")
    cases = []
    with torch.no_grad():
        for a, b in inputs:
            enc, o = hf_forward(model, tok, a, b, max_len, is_distil)
            c = {"text": a, "ids": enc["ids"], "type_ids": enc["type_ids"], "tokens": enc["tokens"]}
            if b is not None:
                c["pair"] = b
            if task == "encoder":
                h = o.last_hidden_state[0]
                c["cls"], c["mean"] = f7(h[0].tolist()), f7(h.mean(0).tolist())
                if getattr(o, "pooler_output", None) is not None:
                    c["pooler"] = f7(o.pooler_output[0].tolist())
            elif task == "token-classification":
                c["logits"] = [f7(r) for r in o.logits[0].tolist()]
            else:
                c["logits"] = f7(o.logits[0].tolist())
                if b is None:
                    # The pipeline's own scores: softmax, sigmoid or none by problem_type.
                    res = pipe(a, top_k=None, truncation=True, max_length=max_len)
                    by_label = {r["label"]: r["score"] for r in res}
                    c["scores"] = f7([by_label[config.id2label[i]] for i in range(config.num_labels)])
            cases.append(c)
    golden = {"model": name, "architecture": spec["architecture"], "task": task, "max_length": max_len,
              "spec": spec, "reference": f"transformers {transformers.__version__}, CPU fp32",
              "cases": cases}
    with open(os.path.join(d, "golden.json"), "w", encoding="utf-8") as f:
        json.dump(golden, f, ensure_ascii=False, separators=(",", ":"))
    print(f"{name}: {len(cases)} cases, {sum(p.numel() for p in model.parameters())} params, "
          f"files {sorted(os.listdir(d))}, spec {json.dumps(spec)}", flush=True)


# ---------------------------------------------------------------------------------------------
# code points

CP_SETTINGS = [  # BertNormalizer settings of the three normalized columns
    dict(clean_text=True, handle_chinese_chars=True, strip_accents=None, lowercase=True),
    dict(clean_text=True, handle_chinese_chars=False, strip_accents=False, lowercase=False),
    dict(clean_text=True, handle_chinese_chars=False, strip_accents=True, lowercase=False),
]


def dump_codepoints(out):
    """Rows [c, lowered, cased, stripped, words of cased] of "a" + chr(c) + "b" where any differs
    from the input (device; tokenizers)."""
    import tokenizers
    from tokenizers.normalizers import BertNormalizer
    from tokenizers.pre_tokenizers import BertPreTokenizer
    norms = [BertNormalizer(**kw) for kw in CP_SETTINGS]
    pre = BertPreTokenizer()
    rows = []
    for c in range(0x110000):
        if 0xD800 <= c <= 0xDFFF:
            continue
        s = "a" + chr(c) + "b"
        n = [f.normalize_str(s) for f in norms]
        words = [w for w, _ in pre.pre_tokenize_str(n[1])]
        if n != [s, s, s] or words != [s]:
            rows.append([c] + n + [words])
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"tokenizers": tokenizers.__version__, "rows": rows}, f, ensure_ascii=False)
    print(f"{out}: {len(rows)} code points that change")


def select_codepoints(hf_path, unicode_dir, out):
    """The fixture: every code point where Unicode 8.0 and 15.0 categories disagree on control,
    punctuation or accent (later assignments, changed categories), those the local Unicode
    data lacks that tokenizers changes (newer letters it lower-cases, CJK), plus a seeded sample of the others that tokenizers
    changes, each with tokenizers' own row."""
    with open(hf_path, encoding="utf-8") as f:
        doc = json.load(f)
    hf = {r[0]: r[1:] for r in doc["rows"]}
    age, cat, first = {}, {}, None
    for line in open(os.path.join(unicode_dir, "DerivedAge.txt"), encoding="utf-8"):
        line = line.split("#")[0].strip()
        if line:
            r, v = (x.strip() for x in line.split(";"))
            a, _, b = r.partition("..")
            for c in range(int(a, 16), int(b or a, 16) + 1):
                age[c] = float(v)
    for line in open(os.path.join(unicode_dir, "UnicodeData.txt"), encoding="utf-8"):
        f = line.split(";")
        c = int(f[0], 16)
        if f[1].endswith("First>"):
            first = c
        elif f[1].endswith("Last>"):
            for x in range(first, c + 1):
                cat[x] = f[2]
        else:
            cat[c] = f[2]
    picked = {c for c, g in cat.items() if age.get(c, 0) > 8.0 and (g in ("Cc", "Cf", "Co", "Mn") or g[0] == "P")}
    picked |= {0x166D, 0x1734, 0x1885, 0x1886, 0xA9BD, 0x111C9}
    # Code points the local Unicode data lacks that tokenizers still changes: letters it
    # lower-cases (Rust's std has newer tables) and CJK code points it spaces out.
    picked |= {c for c, r in hf.items() if c not in cat and r[0] != "a" + chr(c) + "b"}
    rng = random.Random(8)
    picked |= set(rng.sample(sorted(hf), 600))
    rows = []
    for c in sorted(picked):
        s = "a" + chr(c) + "b"
        rows.append([c] + hf.get(c, [s, s, s, [s]]))
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"reference": f"tokenizers {doc['tokenizers']} BertNormalizer / BertPreTokenizer",
                   "input": "a + chr(cp) + b",
                   "columns": ["cp", "lowercase + strip_accents + chinese", "cased", "cased + strip_accents",
                               "words of cased"],
                   "settings": CP_SETTINGS, "rows": rows}, f, ensure_ascii=False, separators=(",", ":"))
    print(f"{out}: {len(rows)} code points")


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("texts")
    t.add_argument("--data", default=os.path.join("..", "shared", "data"))
    t.add_argument("-o", "--out", required=True)
    m = sub.add_parser("models")
    m.add_argument("--texts", required=True)
    m.add_argument("--out", required=True)
    m.add_argument("--seed", type=int, default=9)
    m.add_argument("--count", type=int, default=12)
    m.add_argument("--large", action="store_true", help="production widths, 512 positions, fp16 files")
    c = sub.add_parser("codepoints")
    c.add_argument("-o", "--out", required=True)
    s = sub.add_parser("select-codepoints")
    s.add_argument("--hf", required=True)
    s.add_argument("--unicode", default="/usr/share/unicode")
    s.add_argument("-o", "--out", required=True)
    args = ap.parse_args()
    if args.cmd == "texts":
        make_texts(args.data, args.out)
    elif args.cmd == "models":
        make_models(args.texts, args.out, args.seed, args.count, args.large)
    elif args.cmd == "codepoints":
        dump_codepoints(args.out)
    else:
        select_codepoints(args.hf, args.unicode, args.out)


if __name__ == "__main__":
    main()
