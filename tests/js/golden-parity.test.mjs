// Golden parity through the WebAssembly build: every model fixture, every case. ids/type_ids
// identical to HF transformers; logits, probs and cls/mean/pooler within TOL.
import path from 'node:path';

import { loadModel } from '../../js/src/index.js';
import { MODEL_NAMES, TOL, caseInput, maxAbsDiff, modelDir, readGolden } from './helpers.mjs';

const OUTPUT_KEYS = ['logits', 'probs', 'cls', 'mean', 'pooler'];

describe.each(MODEL_NAMES)('golden parity: %s', (name) => {
  const golden = readGolden(path.join(modelDir(name), 'golden.json'));
  let model;
  let results;

  beforeAll(async () => {
    model = await loadModel(modelDir(name));
    results = model.run(golden.cases.map(caseInput), { maxLength: golden.max_length });
  });
  afterAll(() => model?.dispose());

  test('architecture matches', () => {
    expect(model.info.architecture).toBe(golden.architecture);
    expect(results).toHaveLength(golden.cases.length);
  });

  test(`ids and type_ids identical for all ${golden.cases.length} cases`, () => {
    const bad = [];
    golden.cases.forEach((c, i) => {
      const r = results[i];
      if (JSON.stringify(Array.from(r.ids)) !== JSON.stringify(c.ids) ||
          JSON.stringify(Array.from(r.typeIds)) !== JSON.stringify(c.type_ids)) {
        bad.push(`case ${i} ${JSON.stringify(c.text).slice(0, 60)}: ids ${Array.from(r.ids)} vs ${c.ids}`);
      }
      if (c.tokens && JSON.stringify(r.tokens) !== JSON.stringify(c.tokens)) {
        bad.push(`case ${i}: tokens ${JSON.stringify(r.tokens)} vs ${JSON.stringify(c.tokens)}`);
      }
    });
    expect(bad.slice(0, 5)).toEqual([]);
  });

  test(`outputs within ${TOL} of HF for all cases`, () => {
    const bad = [];
    let worst = 0;
    let compared = 0;
    golden.cases.forEach((c, i) => {
      const r = results[i];
      for (const key of OUTPUT_KEYS) {
        if (!(key in c)) {
          if (key === 'pooler' && r.pooler !== undefined) bad.push(`case ${i}: unexpected pooler`);
          continue;
        }
        const d = maxAbsDiff(r[key] ?? [], c[key]);
        compared++;
        worst = Math.max(worst, d);
        if (!(d <= TOL)) bad.push(`case ${i} ${key}: max |diff| ${d}`);
      }
    });
    expect(compared).toBeGreaterThan(0);
    expect(bad.slice(0, 5)).toEqual([]);
    expect(worst).toBeLessThanOrEqual(TOL);
  });

  test('labels are consistent with logits', () => {
    const labels = model.info.labels;
    results.forEach((r) => {
      if (model.info.task === 'sequence-classification') {
        expect(r.label).toBe(labels[r.labelId]);
        expect(r.labelId).toBe(r.logits.indexOf(Math.max(...r.logits)));
      } else if (model.info.task === 'token-classification') {
        expect(r.labels).toHaveLength(r.ids.length);
        r.logits.forEach((row, t) => expect(r.labelIds[t]).toBe(row.indexOf(Math.max(...row))));
      }
    });
  });
});
