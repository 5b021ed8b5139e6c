// A batch of texts of mixed lengths (packed without padding) gives the results of running each
// text alone: every task kind, singles and pairs mixed, and truncation inside a batch.
import path from 'node:path';

import { loadModel } from '../../js/src/index.js';
import { caseInput, maxAbsDiff, modelDir, readGolden } from './helpers.mjs';

// The packed batch must not change results beyond float reassociation noise.
const BATCH_TOL = 1e-5;

describe.each(['bert_seqcls', 'bert_tokcls_cased', 'bert_encoder', 'distilbert_encoder'])('batch == one by one: %s', (name) => {
  test('mixed lengths, pairs and truncated texts', async () => {
    const golden = readGolden(path.join(modelDir(name), 'golden.json'));
    const model = await loadModel(modelDir(name));
    // Short and long texts interleaved, with pairs where the fixture has them.
    const sorted = [...golden.cases].sort((a, b) => a.ids.length - b.ids.length);
    const picked = [];
    for (let i = 0; i < 12; ++i) picked.push(sorted[i * 7 % sorted.length], sorted[sorted.length - 1 - i * 5]);
    picked.push(...golden.cases.filter((c) => 'pair' in c).slice(0, 4));
    picked.push({ text: '' }, { text: 'x' });
    const inputs = picked.map(caseInput);
    const options = { embeddings: true, maxLength: golden.max_length };

    const batch = model.run(inputs, options);
    expect(batch).toHaveLength(inputs.length);
    expect(new Set(batch.map((r) => r.ids.length)).size).toBeGreaterThan(3);
    let worst = 0;
    inputs.forEach((input, i) => {
      const [alone] = model.run([input], options);
      expect(batch[i].ids).toEqual(alone.ids);
      expect(batch[i].tokens).toEqual(alone.tokens);
      expect(batch[i].offsets).toEqual(alone.offsets);
      for (const key of ['logits', 'probs', 'cls', 'mean', 'pooler']) {
        if (alone[key] === undefined) {
          expect(batch[i][key]).toBeUndefined();
          continue;
        }
        worst = Math.max(worst, maxAbsDiff(batch[i][key], alone[key]));
      }
      if (alone.label !== undefined) expect(batch[i].label).toBe(alone.label);
      if (alone.labels !== undefined) expect(batch[i].labels).toEqual(alone.labels);
    });
    expect(worst).toBeLessThanOrEqual(BATCH_TOL);
    model.dispose();
  });
});
