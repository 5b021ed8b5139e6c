#!/usr/bin/env python3
"""Golden fixtures from Hugging Face transformers (run on the device machine, CPU fp32).

Writes, under --out (default tests/fixtures):
  tokenizer/vocab_cased.txt, tokenizer/golden_<name>.json  -- BertTokenizer ids/tokens/offsets
  models/<name>/{config.json, model.safetensors, vocab.txt, tokenizer files, golden.json}
    -- small random-initialized BERT / DistilBERT checkpoints of different shapes and their
       outputs (logits, embeddings) on tests/fixtures/texts.json, computed one text at a time.

Inputs: tests/fixtures/texts.json (tools/make_fixture_texts.py) and
tests/fixtures/tokenizer/vocab_uncased.txt (bert-base-uncased). Deterministic (fixed seeds).

Usage (device): python3 tools/make_goldens.py --out /tmp/fixtures
"""
import argparse
import json
import math
import os
import shutil
import sys
import tempfile
import traceback

import torch
import transformers
from transformers import (BertConfig, BertForSequenceClassification, BertForTokenClassification,
                          BertModel, BertTokenizer, DistilBertConfig,
                          DistilBertForSequenceClassification, DistilBertForTokenClassification,
                          DistilBertModel)

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "tests", "fixtures")
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def f7(x):
    """Floats rounded to 7 significant digits (goldens are compared at 1e-4)."""
    return [float("%.7g" % v) for v in x]


def make_cased_vocab(uncased):
    """A synthetic cased vocabulary: bert-base-uncased plus capitalized/upper-case words."""
    extra, seen = [], set(uncased)
    for w in uncased[1997:8000]:
        if w.isalpha():
            for v in (w.capitalize(), w.upper() if len(w) <= 4 else None):
                if v and v not in seen:
                    seen.add(v)
                    extra.append(v)
    for w in ["café", "Café", "naïve", "résumé", "Über", "über", "straße", "École", "Ça",
              "Héllo", "Wörld", "##é", "##ö", "##ß", "İ", "Σ", "σ", "ς"]:
        if w not in seen:
            seen.add(w)
            extra.append(w)
    return uncased + extra


def model_vocab(lines, n_words):
    """A small vocabulary for test models: specials, single characters, frequent words."""
    head = [t for t in lines[:1997] if not t.startswith("[unused")]
    out = [t for t in SPECIALS]
    out += [t for t in head if t not in SPECIALS]
    out += lines[1997:1997 + n_words]
    return out


def write_lines(path, lines):
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def load_tokenizer(vocab_path, **kw):
    d = tempfile.mkdtemp()
    shutil.copy(vocab_path, os.path.join(d, "vocab.txt"))
    tok = BertTokenizer.from_pretrained(d, **kw)
    return tok


_LEGACY_VOCABS = {}


def legacy_python_tokenize(vocab_path, text, lowercase, strip_accents, chinese):
    """The pre-v5 pure-Python BasicTokenizer+WordpieceTokenizer, when this transformers has it."""
    try:
        from transformers.models.bert import tokenization_bert as tb
        if not hasattr(tb, "BasicTokenizer"):
            return None
        if vocab_path not in _LEGACY_VOCABS:
            _LEGACY_VOCABS[vocab_path] = tb.load_vocab(vocab_path)
        vocab = _LEGACY_VOCABS[vocab_path]
        basic = tb.BasicTokenizer(do_lower_case=lowercase, strip_accents=strip_accents,
                                  tokenize_chinese_chars=chinese)
        wp = tb.WordpieceTokenizer(vocab=vocab, unk_token="[UNK]")
        toks = []
        for t in basic.tokenize(text):
            toks += wp.tokenize(t)
        return [vocab.get(t, vocab["[UNK]"]) for t in toks]
    except Exception:
        return None


def encode(tok, text, pair=None, max_length=None):
    kw = dict(truncation=True, return_token_type_ids=True)
    if max_length:
        kw["max_length"] = max_length
    if getattr(tok, "is_fast", False):
        kw["return_offsets_mapping"] = True
    enc = tok(text, pair, **kw) if pair is not None else tok(text, **kw)
    out = {"ids": list(enc["input_ids"]), "type_ids": list(enc["token_type_ids"]),
           "tokens": tok.convert_ids_to_tokens(enc["input_ids"])}
    if "offset_mapping" in enc:
        out["offsets"] = [list(o) for o in enc["offset_mapping"]]
    return out


def hf_forward(model, tok, text, pair, max_length, is_distil):
    """One text (or pair) through the tokenizer and the model, as a user would: (encoding, output)."""
    enc = encode(tok, text, pair, max_length=max_length)
    ids = torch.tensor([enc["ids"]])
    kw = {"input_ids": ids, "attention_mask": torch.ones_like(ids)}
    if not is_distil:
        kw["token_type_ids"] = torch.tensor([enc["type_ids"]])
    return enc, model(**kw)


def tokenizer_goldens(out_dir, texts, pairs, vocab_uncased, vocab_cased):
    configs = [
        ("uncased", "vocab_uncased.txt", dict(lowercase=True, strip_accents=None, tokenize_chinese_chars=True)),
        ("cased", "vocab_cased.txt", dict(lowercase=False, strip_accents=None, tokenize_chinese_chars=True)),
        ("uncased_keep_accents", "vocab_uncased.txt", dict(lowercase=True, strip_accents=False, tokenize_chinese_chars=True)),
        ("cased_strip_accents", "vocab_cased.txt", dict(lowercase=False, strip_accents=True, tokenize_chinese_chars=True)),
        ("uncased_no_chinese", "vocab_uncased.txt", dict(lowercase=True, strip_accents=None, tokenize_chinese_chars=False)),
    ]
    for name, vocab_file, s in configs:
        try:
            vp = os.path.join(out_dir, "tokenizer", vocab_file)
            tok = load_tokenizer(vp, do_lower_case=s["lowercase"], strip_accents=s["strip_accents"],
                                 tokenize_chinese_chars=s["tokenize_chinese_chars"], model_max_length=512)
            print(name, type(tok).__name__, "fast" if getattr(tok, "is_fast", False) else "slow", flush=True)
            if getattr(tok, "is_fast", False):
                print("  normalizer:", tok.backend_tokenizer.normalizer.__getstate__() if hasattr(tok.backend_tokenizer.normalizer, "__getstate__") else tok.backend_tokenizer.normalizer, flush=True)
            cases = []
            for t in texts:
                c = {"text": t}
                c.update(encode(tok, t))
                legacy = legacy_python_tokenize(vp, t, s["lowercase"], s["strip_accents"], s["tokenize_chinese_chars"])
                if legacy is not None:
                    c["ids_python"] = [tok.cls_token_id] + legacy[:510] + [tok.sep_token_id]
                cases.append(c)
            for a, b in pairs:
                c = {"text": a, "pair": b}
                c.update(encode(tok, a, b))
                cases.append(c)
            for i, t in enumerate(texts[::9]):
                for ml in (2, 3, 5, 9, 16):
                    c = {"text": t, "max_length": ml}
                    c.update(encode(tok, t, max_length=ml))
                    cases.append(c)
            for a, b in pairs[::2]:
                for ml in (4, 7, 12, 20):
                    c = {"text": a, "pair": b, "max_length": ml}
                    c.update(encode(tok, a, b, max_length=ml))
                    cases.append(c)
            doc = {"vocab": vocab_file, "settings": s,
                   "reference": f"transformers {transformers.__version__} {type(tok).__name__}",
                   "model_max_length": 512, "cases": cases}
            with open(os.path.join(out_dir, "tokenizer", f"golden_{name}.json"), "w", encoding="utf-8") as f:
                json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
            npy = sum(1 for c in cases if "ids_python" in c and c["ids_python"] != c["ids"])
            print(f"  {len(cases)} cases; legacy-python id mismatches: {npy}", flush=True)
        except Exception:
            traceback.print_exc()


def randomize(model, seed):
    """Re-initialize with larger, varied weights so outputs discriminate between bugs."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "LayerNorm" in name or "layer_norm" in name:
                p.copy_((1.0 if name.endswith("weight") else 0.0) + 0.2 * torch.randn(p.shape, generator=g))
            elif name.endswith("bias"):
                p.copy_(0.1 * torch.randn(p.shape, generator=g))
            elif "embeddings" in name:
                p.copy_(0.5 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(1.2 / math.sqrt(p.shape[-1]) * torch.randn(p.shape, generator=g))


MODELS = [
    # name, model class, config kwargs, vocab kind, tokenizer settings, tokenizer files kept
    ("bert_encoder", BertModel,
     dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
          max_position_embeddings=64, type_vocab_size=2, hidden_act="gelu", layer_norm_eps=1e-12),
     "uncased", dict(do_lower_case=True), "all"),
    ("bert_seqcls", BertForSequenceClassification,
     dict(hidden_size=48, num_hidden_layers=3, num_attention_heads=3, intermediate_size=100,
          max_position_embeddings=128, type_vocab_size=2, hidden_act="gelu_new", layer_norm_eps=1e-5,
          id2label={0: "negative", 1: "neutral", 2: "positive"},
          label2id={"negative": 0, "neutral": 1, "positive": 2}),
     "uncased", dict(do_lower_case=True), "config_only"),
    ("bert_tokcls_cased", BertForTokenClassification,
     dict(hidden_size=40, num_hidden_layers=2, num_attention_heads=5, intermediate_size=72,
          max_position_embeddings=48, type_vocab_size=3, hidden_act="relu", layer_norm_eps=1e-7,
          id2label={0: "O", 1: "B-PER", 2: "I-PER", 3: "B-LOC", 4: "I-LOC"},
          label2id={"O": 0, "B-PER": 1, "I-PER": 2, "B-LOC": 3, "I-LOC": 4}),
     "cased", dict(do_lower_case=False), "all"),
    ("bert_encoder_odd", BertModel,
     dict(hidden_size=33, num_hidden_layers=2, num_attention_heads=3, intermediate_size=65,
          max_position_embeddings=40, type_vocab_size=2, hidden_act="gelu_pytorch_tanh",
          layer_norm_eps=1e-6),
     "uncased", dict(do_lower_case=True), "vocab_only"),
    ("distilbert_encoder", DistilBertModel,
     dict(dim=32, n_layers=2, n_heads=2, hidden_dim=80, max_position_embeddings=64, activation="gelu"),
     "uncased", dict(do_lower_case=True), "all"),
    ("distilbert_seqcls", DistilBertForSequenceClassification,
     dict(dim=36, n_layers=3, n_heads=6, hidden_dim=37, max_position_embeddings=96, activation="gelu",
          id2label={0: "NEGATIVE", 1: "POSITIVE"}, label2id={"NEGATIVE": 0, "POSITIVE": 1}),
     "uncased", dict(do_lower_case=True), "config_only"),
    ("distilbert_tokcls", DistilBertForTokenClassification,
     dict(dim=24, n_layers=1, n_heads=4, hidden_dim=50, max_position_embeddings=40, activation="relu",
          sinusoidal_pos_embds=True,
          id2label={0: "O", 1: "B-MISC", 2: "I-MISC", 3: "B-ORG"},
          label2id={"O": 0, "B-MISC": 1, "I-MISC": 2, "B-ORG": 3}),
     "uncased", dict(do_lower_case=True), "all"),
]


def model_goldens(out_dir, texts, pairs, vocab_uncased, vocab_cased):
    for seed, (name, cls, cfg_kw, vkind, tok_kw, keep) in enumerate(MODELS):
        try:
            d = os.path.join(out_dir, "models", name)
            os.makedirs(d, exist_ok=True)
            vocab = model_vocab(vocab_uncased if vkind == "uncased" else vocab_cased, 2600)
            if vkind == "cased":
                vocab = vocab + [w for w in vocab_cased[30522:30522 + 900]]
            vp = os.path.join(d, "vocab.txt")
            write_lines(vp, vocab)
            is_distil = cls.__name__.startswith("Distil")
            cfg_cls = DistilBertConfig if is_distil else BertConfig
            config = cfg_cls(vocab_size=len(vocab), pad_token_id=0, **cfg_kw)
            torch.manual_seed(1000 + seed)
            model = cls(config)
            randomize(model, 2000 + seed)
            model.eval()
            model.save_pretrained(d, safe_serialization=True)
            max_len = config.max_position_embeddings
            tok = load_tokenizer(vp, model_max_length=max_len, **tok_kw)
            tok.save_pretrained(d)
            # What a user's folder may hold varies: keep all files, only tokenizer_config, or only vocab.
            for fn in os.listdir(d):
                if fn in ("config.json", "model.safetensors", "vocab.txt"):
                    continue
                if keep == "config_only" and fn == "tokenizer_config.json":
                    continue
                if keep == "all" and fn in ("tokenizer_config.json", "tokenizer.json", "special_tokens_map.json"):
                    continue
                os.remove(os.path.join(d, fn))
            # Reload from the folder as a user would, so the golden uses exactly what is stored.
            tok = BertTokenizer.from_pretrained(d) if keep != "vocab_only" else load_tokenizer(vp)
            cases = []
            inputs = [(t, None) for t in texts]
            if cls in (BertForSequenceClassification, DistilBertForSequenceClassification, BertModel):
                inputs += [(a, b) for a, b in pairs]
            with torch.no_grad():
                for a, b in inputs:
                    enc, out = hf_forward(model, tok, a, b, max_len, is_distil)
                    c = {"text": a, "ids": enc["ids"], "type_ids": enc["type_ids"]}
                    if b is not None:
                        c["pair"] = b
                    if cls in (BertModel, DistilBertModel):
                        h = out.last_hidden_state[0]
                        c["cls"] = f7(h[0].tolist())
                        c["mean"] = f7(h.mean(0).tolist())
                        if getattr(out, "pooler_output", None) is not None:
                            c["pooler"] = f7(out.pooler_output[0].tolist())
                    elif cls in (BertForTokenClassification, DistilBertForTokenClassification):
                        c["tokens"] = enc["tokens"]
                        c["logits"] = [f7(r) for r in out.logits[0].tolist()]
                    else:
                        lg = out.logits[0]
                        c["logits"] = f7(lg.tolist())
                        c["probs"] = f7(torch.softmax(lg.double(), -1).tolist())
                    cases.append(c)
            doc = {"model": name, "architecture": cls.__name__, "max_length": max_len,
                   "reference": f"transformers {transformers.__version__}, torch {torch.__version__}, CPU fp32, one text at a time",
                   "cases": cases}
            with open(os.path.join(d, "golden.json"), "w", encoding="utf-8") as f:
                json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
            print(f"{name}: {len(cases)} cases, files {sorted(os.listdir(d))}", flush=True)
        except Exception:
            traceback.print_exc()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=FIXTURES)
    args = ap.parse_args()
    print("python", sys.version.split()[0], "transformers", transformers.__version__, "torch", torch.__version__)
    import unicodedata
    print("unicodedata", unicodedata.unidata_version)
    print("BertTokenizer mro:", [c.__name__ for c in BertTokenizer.__mro__], flush=True)
    torch.set_num_threads(8)
    with open(os.path.join(FIXTURES, "texts.json"), encoding="utf-8") as f:
        doc = json.load(f)
    texts, pairs = doc["texts"], [tuple(p) for p in doc["pairs"]]
    os.makedirs(os.path.join(args.out, "tokenizer"), exist_ok=True)
    with open(os.path.join(FIXTURES, "tokenizer", "vocab_uncased.txt"), encoding="utf-8") as f:
        vocab_uncased = f.read().split("\n")[:-1]
    vocab_cased = make_cased_vocab(vocab_uncased)
    if os.path.abspath(args.out) != os.path.abspath(FIXTURES):
        shutil.copy(os.path.join(FIXTURES, "tokenizer", "vocab_uncased.txt"), os.path.join(args.out, "tokenizer"))
    write_lines(os.path.join(args.out, "tokenizer", "vocab_cased.txt"), vocab_cased)
    tokenizer_goldens(args.out, texts, pairs, vocab_uncased, vocab_cased)
    model_goldens(args.out, texts, pairs, vocab_uncased, vocab_cased)


if __name__ == "__main__":
    main()
