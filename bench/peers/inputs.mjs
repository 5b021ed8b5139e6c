// The benchmark inputs shared by bench/run.mjs and bench/browser_bench.mjs: SST-2 dev sentences,
// and texts of exactly n tokens made by concatenating them (the same texts for every engine).
import fs from 'node:fs';
import path from 'node:path';

/** SST-2 dev: ../shared (beside the repository) unless HB_SST2_DEV names the file. */
export function readSst2(root) {
  const file = process.env.HB_SST2_DEV || path.resolve(root, '..', 'shared', 'data', 'sst2', 'dev.tsv');
  const lines = fs.readFileSync(file, 'utf8').split('\n').slice(1).filter(Boolean);
  return lines.map((l) => {
    const i = l.lastIndexOf('\t');
    return { text: l.slice(0, i).trim(), label: Number(l.slice(i + 1)) };
  });
}

/** Texts that tokenize to at least `len` tokens (concatenated SST-2 sentences). */
function longTexts(sst, count, len, tok) {
  const out = [];
  for (let i = 0; i < count; ++i) {
    let s = '';
    let j = (i * 97) % sst.length;
    while (tok.tokenize(s, { maxLength: 512 }).ids.length < Math.min(len, 510) + 2 || s.length < len * 4) {
      s += (s ? ' ' : '') + sst[j].text;
      j = (j + 1) % sst.length;
    }
    out.push(s);
  }
  return out;
}

/**
 * {cases: {len: {texts, ids}}, sst: {texts, labels, ids}}: 8 texts of exactly len tokens for
 * each length, and the first `sstCount` SST-2 dev sentences (all by default) with their ids.
 * `hb` is the package's module (its tokenizer makes the ids every engine gets).
 */
export async function prepareInputs(hb, root, lengths, sstCount = Infinity) {
  const all = readSst2(root);
  const tok = await hb.loadTokenizer(path.join(root, 'web-demo/model/vocab.txt'), { maxLength: 512 });
  try {
    const cases = {};
    for (const len of new Set(lengths)) {
      const texts = longTexts(all, 8, len, tok);
      const ids = texts.map((t) => Array.from(tok.tokenize(t, { maxLength: len }).ids));
      if (!ids.every((x) => x.length === len)) throw new Error(`could not build ${len}-token inputs`);
      cases[len] = { texts, ids };
    }
    const sst = all.slice(0, Math.min(sstCount, all.length));
    return {
      cases,
      sst: {
        texts: sst.map((s) => s.text),
        labels: sst.map((s) => s.label),
        ids: sst.map((s) => Array.from(tok.tokenize(s.text, { maxLength: 128 }).ids)),
      },
    };
  } finally {
    tok.dispose?.();
  }
}
