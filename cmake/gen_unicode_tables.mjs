// Generates src/tokenizer's Unicode tables (general category, canonical combining class, full
// canonical decompositions, full lower-case mappings, White_Space) from Debian's unicode-data,
// as compact sorted range arrays, so tokenization never depends on the platform's Unicode.
//
// Usage: node gen_unicode_tables.mjs <unicode data dir> <output .cc>
// Node 20, no npm dependencies. Deterministic output; the layout is documented in
// src/tokenizer/unicode_tables.h, which must stay in sync with the writers below.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

const [dataDir, outFile] = process.argv.slice(2);
if (!dataDir || !outFile) {
  console.error('usage: node gen_unicode_tables.mjs <unicode data dir> <output .cc>');
  process.exit(2);
}
const read = (name) => readFileSync(join(dataDir, name), 'utf8');
const dataLines = (name) =>
  read(name)
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter((l) => l.length > 0);
const hex = (s) => parseInt(s, 16);
const kMaxCp = 0x10ffff;

// Order must match hb::GeneralCategory in src/tokenizer/unicode.h.
const kCategories = ['Cn', 'Lu', 'Ll', 'Lt', 'Lm', 'Lo', 'Mn', 'Mc', 'Me', 'Nd', 'Nl', 'No', 'Pc',
  'Pd', 'Ps', 'Pe', 'Pi', 'Pf', 'Po', 'Sm', 'Sc', 'Sk', 'So', 'Zs', 'Zl', 'Zp', 'Cc', 'Cf', 'Cs',
  'Co'];
const catIndex = new Map(kCategories.map((c, i) => [c, i]));

// ---------------------------------------------------------------- UnicodeData.txt
const gc = new Uint8Array(kMaxCp + 1);    // 0 = Cn (unassigned)
const ccc = new Uint8Array(kMaxCp + 1);
const decomp = new Map();                  // cp -> [cp...] (canonical, one level)
const lower = new Map();                   // cp -> [cp...] (full lower-case mapping)
let rangeFirst = -1;
for (const line of read('UnicodeData.txt').split('\n')) {
  if (!line) continue;
  const f = line.split(';');
  const cp = hex(f[0]);
  const cat = catIndex.get(f[2]);
  if (cat === undefined) throw new Error(`unknown category ${f[2]} at ${f[0]}`);
  if (f[1].endsWith(', First>')) { rangeFirst = cp; continue; }
  if (f[1].endsWith(', Last>')) {
    gc.fill(cat, rangeFirst, cp + 1);  // ranges have ccc 0, no mappings
    continue;
  }
  gc[cp] = cat;
  ccc[cp] = parseInt(f[3], 10);
  if (f[5] && !f[5].startsWith('<')) decomp.set(cp, f[5].split(' ').map(hex));
  if (f[13]) lower.set(cp, [hex(f[13])]);
}

// General categories as the tokenizer needs them: those of Unicode 8.0, the tables of the Rust
// unicode_categories crate behind tokenizers' BertNormalizer / BertPreTokenizer (is_other,
// is_punctuation, is_mark_nonspacing). Measured against tokenizers 0.23 over every code point
// (tools/parity_sweep.py): code points assigned after 8.0 (DerivedAge.txt) are neither control,
// punctuation nor accents there, so they are Cn here; and the six whose category changed since
// 8.0 keep their 8.0 one. Only the tokenizer reads this table.
const kBertCategoryAge = 8.0;
for (const line of dataLines('DerivedAge.txt')) {
  const [range, version] = line.split(';').map((s) => s.trim());
  if (parseFloat(version) <= kBertCategoryAge) continue;
  const [a, b] = range.split('..').map(hex);
  gc.fill(0, a, (b === undefined ? a : b) + 1);
}
for (const [cp, cat] of [
  [0x166d, 'Po'],   // CANADIAN SYLLABICS CHI SIGN: So since 12.0
  [0x1734, 'Mn'],   // HANUNOO SIGN PAMUDPOD: Mc since 14.0
  [0x1885, 'Lo'],   // MONGOLIAN LETTER ALI GALI BALUDA: Mn since 9.0
  [0x1886, 'Lo'],   // MONGOLIAN LETTER ALI GALI THREE BALUDA: Mn since 9.0
  [0xa9bd, 'Mc'],   // JAVANESE CONSONANT SIGN KERET: Mn since 12.0
  [0x111c9, 'Po'],  // SHARADA SANDHI MARK: Mn since 11.0
]) {
  gc[cp] = catIndex.get(cat);
}

// SpecialCasing.txt: unconditional full mappings only (no language or context condition), as
// Rust's char::to_lowercase (U+0130 -> "i\u0307"). Final sigma etc. are conditional: skipped.
for (const line of dataLines('SpecialCasing.txt')) {
  const f = line.split(';').map((s) => s.trim());
  if (f.length >= 5 && f[4] !== '') continue;  // conditional
  const cp = hex(f[0]);
  const low = f[1].split(' ').filter(Boolean).map(hex);
  if (low.length === 1 && low[0] === cp) continue;
  lower.set(cp, low);
}

// Letters newer than Debian's Unicode data (16.0 and 17.0) that tokenizers 0.23 lower-cases
// (Rust's std has the newer tables; measured over every code point, tools/parity_sweep.py
// codepoints), as [first, last, lower-case of first]. Where the local data already maps one,
// the two must agree.
for (const [first, last, low] of [
  [0x10d50, 0x10d65, 0x10d70],  // GARAY CAPITAL LETTER A ... (16.0)
  [0x16ea0, 0x16eb8, 0x16ebb],  // BERIA ERFE CAPITAL LETTER ... (17.0)
  [0x1c89, 0x1c89, 0x1c8a],     // CYRILLIC CAPITAL LETTER TJE (16.0)
  [0xa7cb, 0xa7cb, 0x0264],     // LATIN CAPITAL LETTER RAMS HORN (16.0)
  [0xa7cc, 0xa7cc, 0xa7cd],     // LATIN CAPITAL LETTER S WITH DIAGONAL STROKE (16.0)
  [0xa7ce, 0xa7ce, 0xa7cf],     // LATIN CAPITAL LETTER PHARYNGEAL VOICED FRICATIVE (17.0)
  [0xa7d2, 0xa7d2, 0xa7d3],     // LATIN CAPITAL LETTER DOUBLE THORN (17.0)
  [0xa7d4, 0xa7d4, 0xa7d5],     // LATIN CAPITAL LETTER DOUBLE WYNN (17.0)
  [0xa7da, 0xa7da, 0xa7db],     // LATIN CAPITAL LETTER LAMBDA (16.0)
  [0xa7dc, 0xa7dc, 0x019b],     // LATIN CAPITAL LETTER LAMBDA WITH STROKE (16.0)
]) {
  for (let cp = first; cp <= last; ++cp) {
    const want = low + (cp - first), have = lower.get(cp);
    if (have && (have.length !== 1 || have[0] !== want)) {
      throw new Error(`local Unicode data lower-cases ${cp.toString(16)} differently`);
    }
    lower.set(cp, [want]);
  }
}

// ---------------------------------------------------------------- PropList.txt White_Space
const whiteSpace = [];
for (const line of dataLines('PropList.txt')) {
  const [range, prop] = line.split(';').map((s) => s.trim());
  if (prop !== 'White_Space') continue;
  const [a, b] = range.split('..').map(hex);
  whiteSpace.push([a, b === undefined ? a : b]);
}
whiteSpace.sort((x, y) => x[0] - y[0]);

// Cross-check against DerivedNormalizationProps: every NFD_QC=No code point must decompose
// (directly or algorithmically for Hangul), or our NFD would be silently incomplete.
const isHangulSyllable = (cp) => cp >= 0xac00 && cp <= 0xd7a3;
for (const line of dataLines('DerivedNormalizationProps.txt')) {
  const f = line.split(';').map((s) => s.trim());
  if (f[1] !== 'NFD_QC' || f[2] !== 'N') continue;
  const [a, b] = f[0].split('..').map(hex);
  for (let cp = a; cp <= (b === undefined ? a : b); ++cp) {
    if (!decomp.has(cp) && !isHangulSyllable(cp)) throw new Error(`NFD_QC=N without mapping ${cp}`);
  }
}
const version = (read('DerivedCoreProperties.txt').match(/DerivedCoreProperties-([\d.]+)\.txt/) ||
                 [null, 'unknown'])[1];

// ---------------------------------------------------------------- tables
// Runs over the whole code space: packed (start << shift) | value, one entry per change.
function runs(values, shift) {
  const out = [];
  let prev = -1;
  for (let cp = 0; cp <= kMaxCp; ++cp) {
    if (values[cp] !== prev) {
      out.push(((cp << shift) | values[cp]) >>> 0);
      prev = values[cp];
    }
  }
  return out;
}
const gcRuns = runs(gc, 5);
const cccRuns = runs(ccc, 8);

// Full (recursive) canonical decompositions. Stored as UTF-16 in one pool; most targets are BMP.
function fullDecomp(cp) {
  const d = decomp.get(cp);
  if (!d) return [cp];
  return d.flatMap(fullDecomp);
}
const decompKeys = [...decomp.keys()].sort((a, b) => a - b);
const decompOffsets = [];
const decompPool = [];
const pushUtf16 = (arr, cp) => {
  if (cp < 0x10000) arr.push(cp);
  else arr.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
};
for (const cp of decompKeys) {
  decompOffsets.push(decompPool.length);
  for (const c of fullDecomp(cp)) pushUtf16(decompPool, c);
}
decompOffsets.push(decompPool.length);
if (decompPool.length > 0xffff) throw new Error('decomposition pool exceeds uint16 offsets');

// Lower-case: single-code-point mappings as runs of equal delta with stride 1 or 2 (A-Z, and
// the alternating upper/lower pairs of Latin Extended, Greek, Cyrillic ...); the rest (multi
// code point results) in a short list.
const singles = [];
const multis = [];
for (const [cp, m] of [...lower.entries()].sort((a, b) => a[0] - b[0])) {
  if (m.length === 1) singles.push([cp, m[0] - cp]);
  else multis.push([cp, m]);
}
const lowerRuns = [];  // [start, count, stride, delta]
for (let i = 0; i < singles.length;) {
  const [start, delta] = singles[i];
  let stride = 0;
  let count = 1;
  if (i + 1 < singles.length && singles[i + 1][1] === delta) {
    const s = singles[i + 1][0] - start;
    if (s === 1 || s === 2) {
      stride = s;
      while (i + count < singles.length && count < 1023 &&
             singles[i + count][1] === delta &&
             singles[i + count][0] === start + count * stride) {
        ++count;
      }
    }
  }
  lowerRuns.push([start, count, stride === 2 ? 2 : 1, delta]);
  i += count;
}
// The C++ lookup takes the last run starting at or before c: check spans are disjoint, so that
// lookup reproduces every mapping exactly.
for (let i = 1; i < lowerRuns.length; ++i) {
  const [s, c, st] = lowerRuns[i - 1];
  if (s + (c - 1) * st >= lowerRuns[i][0]) throw new Error(`lower-case runs overlap at ${s}`);
}
let maxDecomp = 0;
for (const cp of decompKeys) maxDecomp = Math.max(maxDecomp, fullDecomp(cp).length);
if (maxDecomp > 4) throw new Error(`decomposition longer than kMaxDecomposition: ${maxDecomp}`);
const lowerRunA = lowerRuns.map(([s, c, st]) => (s | ((st === 2 ? 1 : 0) << 21) | (c << 22)) >>> 0);
const lowerRunDelta = lowerRuns.map((r) => r[3]);
const lowerMulti = [];  // cp, n, out[0..n)
for (const [cp, m] of multis) lowerMulti.push(cp, m.length, ...m);

// ---------------------------------------------------------------- emit
function array(type, name, values, perLine = 8, fmt = (v) => `0x${v.toString(16)}`) {
  const lines = [];
  for (let i = 0; i < values.length; i += perLine) {
    lines.push('    ' + values.slice(i, i + perLine).map(fmt).join(', ') + ',');
  }
  return `extern const ${type} ${name}[] = {\n${lines.join('\n')}\n};\n` +
         `extern const size_t ${name}Size = ${values.length};\n`;
}
const dec = (v) => `${v}`;
const bytes = gcRuns.length * 4 + cccRuns.length * 4 + decompKeys.length * 4 +
              decompOffsets.length * 2 + decompPool.length * 2 + lowerRunA.length * 8 +
              lowerMulti.length * 4 + whiteSpace.length * 8;
const out = `// Generated by cmake/gen_unicode_tables.mjs from Unicode ${version} (${dataDir}).
// Do not edit. Layout: src/tokenizer/unicode_tables.h. Table data: ${bytes} bytes.
#include <cstddef>
#include <cstdint>

#include "tokenizer/unicode_tables.h"

namespace hb {
namespace unicode_tables {

extern const char kUnicodeVersion[] = "${version}";

${array('uint32_t', 'kGeneralCategoryRuns', gcRuns)}
${array('uint32_t', 'kCombiningClassRuns', cccRuns)}
${array('uint32_t', 'kDecompositionKeys', decompKeys)}
${array('uint16_t', 'kDecompositionOffsets', decompOffsets, 12, dec)}
${array('char16_t', 'kDecompositionPool', decompPool, 10)}
${array('uint32_t', 'kLowercaseRuns', lowerRunA)}
${array('int32_t', 'kLowercaseDeltas', lowerRunDelta, 12, dec)}
${array('uint32_t', 'kLowercaseMulti', lowerMulti)}
${array('uint32_t', 'kWhiteSpaceRanges', whiteSpace.flat())}
}  // namespace unicode_tables
}  // namespace hb
`;
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, out);
console.log(`unicode tables ${version}: gc ${gcRuns.length} runs, ccc ${cccRuns.length} runs, ` +
            `${decompKeys.length} decompositions (${decompPool.length} u16), ` +
            `${lowerRuns.length} lower-case runs + ${multis.length} multi, ` +
            `${whiteSpace.length} white-space ranges: ${bytes} bytes`);
