#!/usr/bin/env python3
"""Builds tests/fixtures/texts.json: the varied texts every golden fixture is computed on.

Hand-written edge cases (accents, CJK, emoji, control characters, long words, special tokens in
text, empty-ish lines) plus real sentences from ../shared/data (SST-2 dev, IMDB, 20 Newsgroups),
some long enough to be truncated. Deterministic: fixed selection, no randomness.

Usage: python3 tools/make_fixture_texts.py [--data ../shared/data] [-o tests/fixtures/texts.json]
"""
import argparse
import gzip
import json
import os

EDGE_CASES = [
    "Hello, world!",
    "I loved it",
    "This movie was terrible and boring.",
    "",
    " ",
    "   \t  ",
    "\u3000\u00a0 \u2009",
    "a",
    "A",
    "UNAFFABLE unaffable Unaffable",
    "Héllo Wörld! Ça va? Naïve café, résumé, jalapeño, Ångström.",
    "ÉCOLE Über straße STRASSE ß",
    "e\u0301 versus \u00e9 (combining acute vs precomposed)",
    "İstanbul ıstanbul DİYARBAKIR",
    "ΟΔΥΣΣΕΥΣ Οδυσσεύς σοφός ΣΟΦΟΣ ς Σ",
    "Ǆemal ǅemal ǆemal",
    "ﬁnancial ﬂow ﬀ ﬃ",
    "Ⅻ ⅻ ① ⑳ ²³ ½",
    "ＡＢＣ ｆｕｌｌｗｉｄｔｈ １２３ ！？",
    "中文字符测试：我爱自然语言处理。",
    "日本語のテキスト、カタカナとひらがな。",
    "한국어 텍스트입니다. 안녕하세요!",
    "混合mixed中英文text测试",
    "𠀀𠀁 𪜀 CJK extension B and C: 𫝀",
    "Emoji: 😀😃😄 👍🏽 👨‍👩‍👧‍👦 🇫🇷 ❤️",
    "Zero\u200bwidth\u200cjoin\u200dtest\ufeffbom",
    "soft\u00adhyphen and\u2028line separator\u2029para",
    "tab\there\r\nwindows line",
    "control \x01\x02\x07\x1b[31mred\x1b[0m \x7f del \x85 nel",
    "null\x00byte",
    "replacement \ufffd char",
    "private use \ue000\uf8ff",
    "Arabic: مرحبا بالعالم، كيف حالك؟",
    "Hebrew: שָׁלוֹם עוֹלָם",
    "Hindi: नमस्ते दुनिया, क्या हाल है?",
    "Thai: สวัสดีชาวโลก",
    "Vietnamese: Tiếng Việt có dấu: ắ ằ ẳ ẵ ặ",
    "Russian: Привет, мир! Ёлка ёжик.",
    "Greek accents: άέήίόύώ ΐΰ",
    "Math: ∀x∈ℝ, x² ≥ 0 ⇒ √x ∈ ℂ; ∑∫∂ ≤ ≠ ±",
    "Symbols: © ® ™ § ¶ † ‡ • … ‰ € £ ¥ ₹ ₿ $ ¢",
    "Quotes: “smart” ‘quotes’ «guillemets» „low“ ‹single›",
    "Dashes: en–dash em—dash minus − hyphen‐",
    "Punctuation!!! ??? ... ;;; ::: --- ___ *** ### @@@ $$$ %%% ^^^ &&& ~~~ `` '' \"\"",
    "don't can't won't it's we're I'm y'all",
    "e-mail: someone@example.com, url: https://www.example.org/path?q=1&x=2#frag",
    "Numbers: 3.14159 1,000,000 -42 +7 1e-10 0x1F 2026-11-27 12:30:45",
    "Prices $19.99, €5,50 and ¥1000.",
    "[CLS] [SEP] [MASK] [PAD] [UNK] in the middle of text",
    "hello [MASK] world",
    "[mask] lower-case special token stays text",
    "[MASK][MASK]adjacent[SEP]",
    "##subword ## #hashtag ###",
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "a" * 99,
    "b" * 100,
    "c" * 101,
    "word " + "x" * 150 + " after",
    "é" * 101,
    "unbelievably unbelievable believer believing",
    "The quick brown fox jumps over the lazy dog.",
    "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG.",
    "MiXeD CaSe WoRdS",
    "    leading and trailing spaces    ",
    "multiple     internal      spaces",
    "new\nline\nseparated",
    "<br /><br />html tags <b>bold</b> &amp; entities &lt;3",
    ":) :( :D ;) <3 xD ^_^",
    "Ellipsis… and midline·dot",
    "Accented capitals: ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞ",
    "Accented lowers: àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ",
    "Latin extended: ĀāĂăĄąĆćĈĉĊċČčĎďĐđĒēĔĕĖėĘęĚěĜĝĞğ",
    "Ligatures and special: Œuvre œuvre Æsir æsir Ĳssel ĳs",
    "Combining stack: a\u0300\u0301\u0302\u0303 o\u0308\u0304",
    "Decomposed hangul: \u1112\u1161\u11ab\u1100\u1173\u11af",
    "Kelvin sign \u212a and Angstrom sign \u212b and Ohm \u2126",
    "Dotless: \u0131 dotted: \u0130 final: \u03c2",
    "Armenian ligature \u0587 and \ufb00",
    "Cherokee: \u13a0\u13a1 \uab70",
    "Deseret: \U00010400\U00010428",
    "Mongolian \u1820\u1821 vowel separator\u180e here",
    "Tamil: வணக்கம் உலகம்",
    "Bengali: হ্যালো বিশ্ব",
    "Georgian: გამარჯობა მსოფლიო",
    "Amharic: ሰላም ልዑል",
    "Lao: ສະບາຍດີ",
    "Khmer: សួស្តី​ពិភពលោក",
    "Burmese: မင်္ဂလာပါ",
    "Tibetan: བཀྲ་ཤིས་བདེ་ལེགས།",
    "Music ♩♪♫♬ and chess ♔♕♖ and cards ♠♣♥♦",
    "Box drawing ┌─┐│└┘ and blocks ▀▄█▌▐░▒▓",
    "Arrows ← ↑ → ↓ ↔ ⇐ ⇒ and shapes ■□▲△●○",
    "A sentence with a very long word pneumonoultramicroscopicsilicovolcanoconiosis inside.",
    "It's a charming and often affecting journey.",
    "Not good. Not bad either. Just... fine?",
    "I absolutely loved this film — the acting was superb!",
    "Worst. Movie. Ever.",
]

PAIR_SECONDS = [
    "Is it good?",
    "The second sentence of the pair.",
    "",
    "中文第二句",
    "Héllo again, naïve reader!",
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))
    ap.add_argument("-o", "--output", default=os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "texts.json"))
    args = ap.parse_args()

    texts = list(EDGE_CASES)
    with open(os.path.join(args.data, "sst2", "dev.tsv"), encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f][1:]
    texts += [r[0] for r in rows[:120]]

    with gzip.open(os.path.join(args.data, "imdb", "test.jsonl.gz"), "rt", encoding="utf-8") as f:
        imdb = [json.loads(next(f))["text"] for _ in range(400)]
    # Every 10th review: a spread of lengths, many past 128 tokens (truncated by small models).
    texts += imdb[::10]

    with gzip.open(os.path.join(args.data, "20newsgroups", "test.jsonl.gz"), "rt", encoding="utf-8") as f:
        news = [json.loads(next(f))["text"] for _ in range(200)]
    texts += [t[:3000] for t in news[::10]]

    pairs = []
    for i in range(40):
        first = texts[(i * 7) % len(texts)]
        second = PAIR_SECONDS[i % len(PAIR_SECONDS)] if i % 3 else texts[(i * 13 + 5) % len(texts)]
        pairs.append([first, second])

    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as f:
        json.dump({"texts": texts, "pairs": pairs}, f, ensure_ascii=False, indent=0)
    print(f"{len(texts)} texts, {len(pairs)} pairs -> {args.output}")


if __name__ == "__main__":
    main()
