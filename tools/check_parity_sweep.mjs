// Compares hummingbert with the Hugging Face outputs of tools/parity_sweep.py, through the npm
// package's public API (the wasm core in Node): every model folder, every case.
//
//   node tools/check_parity_sweep.mjs SWEEP_DIR [--native build/hummingbert]
//
// fp32: ids, tokens and type ids identical; logits / cls / mean / pooler within 1e-4 absolute
// (relative above 1); sequence classifiers' probs equal to the text-classification pipeline's
// scores (softmax, sigmoid or none by problem_type). int8 (load dtype int8): argmax agreement and
// embedding cosine, reported. With --native, the native CLI's fp32 logits and embeddings for the
// single texts are held to the same tolerance. Exit status 1 on any fp32 mismatch.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { load } from '../js/src/index.js';

const TOL = 1e-4;
const args = process.argv.slice(2);
const dir = args[0];
const nativeAt = args.indexOf('--native');
const native = nativeAt >= 0 ? args[nativeAt + 1] : null;
if (!dir) {
  console.error('usage: node tools/check_parity_sweep.mjs SWEEP_DIR [--native PATH]');
  process.exit(2);
}

const flat = (v) => (Array.isArray(v) ? v.flatMap((x) => (typeof x === 'number' ? [x] : flat(x))) : Array.from(v ?? []));
function worstDiff(ours, ref) {
  const a = flat(ours);
  const b = flat(ref);
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; ++i) {
    const d = Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i]));
    m = Number.isNaN(d) ? Infinity : Math.max(m, d);
  }
  return m;
}
const argmax = (v) => v.reduce((best, x, i) => (x > v[best] ? i : best), 0);
function cosine(a, b) {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; ++i) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}
const input = (c) => ('pair' in c ? [c.text, c.pair] : c.text);

let failures = 0;
const rows = [];
for (const name of fs.readdirSync(dir).sort()) {
  const folder = path.join(dir, name);
  const goldenPath = path.join(folder, 'golden.json');
  if (!fs.existsSync(goldenPath)) continue;
  const golden = JSON.parse(fs.readFileSync(goldenPath, 'utf8'));
  const bad = [];
  const row = { model: name, cases: golden.cases.length };
  let model;
  try {
    model = await load(folder);
  } catch (e) {
    bad.push(`load: ${e.message}`);
  }
  if (model) {
    const embeddings = golden.task === 'encoder';
    const results = model.run(golden.cases.map(input), { maxLength: golden.max_length, embeddings });
    let worst = 0;
    let worstScores = 0;
    golden.cases.forEach((c, i) => {
      const r = results[i];
      if (JSON.stringify(Array.from(r.ids)) !== JSON.stringify(c.ids)) {
        bad.push(`case ${i} ${JSON.stringify(c.text).slice(0, 50)}: ids differ`);
        return;
      }
      if (JSON.stringify(Array.from(r.typeIds)) !== JSON.stringify(c.type_ids)) bad.push(`case ${i}: type ids`);
      if (r.tokens && JSON.stringify(r.tokens) !== JSON.stringify(c.tokens)) bad.push(`case ${i}: tokens`);
      for (const key of ['logits', 'cls', 'mean', 'pooler']) {
        if (!(key in c)) continue;
        const d = worstDiff(r[key], c[key]);
        worst = Math.max(worst, d);
        if (!(d <= TOL)) bad.push(`case ${i} ${key}: diff ${d}`);
      }
      if ('scores' in c) {
        const d = worstDiff(r.probs, c.scores);
        worstScores = Math.max(worstScores, d);
        if (!(d <= TOL)) bad.push(`case ${i} scores: ours ${Array.from(r.probs)} vs pipeline ${c.scores}`);
      }
    });
    row.fp32 = worst.toExponential(1);
    if (golden.cases.some((c) => 'scores' in c)) row.scores = worstScores.toExponential(1);
    model.dispose();

    const q = await load(folder, { dtype: 'int8' });
    const qr = q.run(golden.cases.map(input), { maxLength: golden.max_length, embeddings });
    let agree = 0;
    let total = 0;
    let minCos = 1;
    golden.cases.forEach((c, i) => {
      if (golden.task === 'encoder') {
        minCos = Math.min(minCos, cosine(flat(qr[i].mean), c.mean));
      } else if (golden.task === 'token-classification') {
        c.logits.forEach((l, t) => {
          total += 1;
          agree += argmax(l) === argmax(Array.from(qr[i].logits[t])) ? 1 : 0;
        });
      } else if (c.logits.length > 1) {
        total += 1;
        agree += argmax(c.logits) === argmax(Array.from(qr[i].logits)) ? 1 : 0;
      }
    });
    row.int8 = golden.task === 'encoder' ? `min cos ${minCos.toFixed(4)}` : total ? `argmax ${(100 * agree / total).toFixed(1)}%` : '-';
    q.dispose();

    if (native) {
      const singles = golden.cases.filter((c) => !('pair' in c));
      const tmp = path.join(os.tmpdir(), `hb-sweep-${process.pid}.txt`);
      fs.writeFileSync(tmp, singles.map((c) => c.text).join('\n') + '\n');
      const out = execFileSync(native, ['run', '--model', folder, '--input', tmp, '--max-length',
        String(golden.max_length), '--dtype', 'fp32', '--early-exit', 'off',
        ...(embeddings ? ['--embeddings'] : [])], { maxBuffer: 1 << 28 }).toString();
      fs.unlinkSync(tmp);
      let nworst = 0;
      out.trim().split('\n').forEach((line, i) => {
        const r = JSON.parse(line);
        const c = singles[i];
        if (JSON.stringify(r.ids) !== JSON.stringify(c.ids)) bad.push(`native case ${i}: ids differ`);
        for (const key of ['logits', 'cls', 'mean', 'pooler']) {
          if (!(key in c)) continue;
          const d = worstDiff(r[key], c[key]);
          nworst = Math.max(nworst, d);
          if (!(d <= TOL)) bad.push(`native case ${i} ${key}: diff ${d}`);
        }
        if ('scores' in c && !(worstDiff(r.probs, c.scores) <= TOL)) bad.push(`native case ${i}: scores`);
      });
      row.native = nworst.toExponential(1);
    }
  }
  row.ok = bad.length === 0;
  if (bad.length) {
    failures += 1;
    console.log(`${name}: ${bad.length} problems\n  ${bad.slice(0, 6).join('\n  ')}`);
  }
  rows.push(row);
}
console.table(rows);
process.exit(failures ? 1 : 0);
