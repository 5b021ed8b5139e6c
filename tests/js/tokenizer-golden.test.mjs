// Tokenizer goldens (HF BertTokenizer) through the WebAssembly build, via loadTokenizer(vocab):
// ids, tokens, type ids and code-point offsets identical; UTF-16 offsets checked as well.
import fs from 'node:fs';
import path from 'node:path';

import { loadTokenizer } from '../../js/src/index.js';
import { FIXTURES, codePointToUtf16, readGolden } from './helpers.mjs';

const DIR = path.join(FIXTURES, 'tokenizer');
const GOLDENS = fs.readdirSync(DIR).filter((f) => /^golden_.*\.json$/.test(f)).sort();

// loadTokenizer (hb::Tokenizer::FromVocab) takes `lowercase` only; accents and CJK splitting
// follow HF's defaults (strip_accents follows lowercase, CJK split on).
function expressible(settings) {
  return (settings.strip_accents ?? null) === null && settings.tokenize_chinese_chars !== false;
}

describe.each(GOLDENS)('tokenizer golden %s', (file) => {
  const golden = readGolden(path.join(DIR, file));
  const run = expressible(golden.settings) ? test : test.skip;

  run(`all ${golden.cases.length} cases identical (settings ${JSON.stringify(golden.settings)})`, async () => {
    const tok = await loadTokenizer(path.join(DIR, golden.vocab), { lowercase: golden.settings.lowercase });
    const bad = [];
    golden.cases.forEach((c, i) => {
      const options = { offsets: 'codepoint', pair: c.pair ?? null };
      if (c.max_length !== undefined) options.maxLength = c.max_length;
      const e = tok.tokenize(c.text, options);
      // Offsets where the golden has them (the goldens cut from model sweeps carry ids and tokens).
      const got = { ids: Array.from(e.ids), tokens: e.tokens, type_ids: Array.from(e.typeIds), offsets: c.offsets && e.offsets };
      const want = { ids: c.ids, tokens: c.tokens, type_ids: c.type_ids, offsets: c.offsets };
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        bad.push(`case ${i} ${JSON.stringify(c.text).slice(0, 60)}: ${JSON.stringify(got).slice(0, 200)}`);
        return;
      }
      if (!c.offsets) return;
      // UTF-16 offsets: the same spans, counted in JS string indices.
      const u16 = tok.tokenize(c.text, { ...options, offsets: 'utf16' }).offsets;
      const typeIds = e.typeIds;
      const expected = c.offsets.map((o, t) => codePointToUtf16(typeIds[t] === 1 ? c.pair : c.text, o));
      if (JSON.stringify(u16) !== JSON.stringify(expected)) bad.push(`case ${i}: utf16 offsets ${JSON.stringify(u16)}`);
    });
    tok.dispose();
    expect(bad.slice(0, 5)).toEqual([]);
  });
});
