// Sequence classifiers score as Hugging Face's text-classification pipeline does: softmax,
// sigmoid (multi-label and one-label models) or the raw logits (regression). The goldens' probs
// are the pipeline's own scores (tools/parity_sweep.py), so each path is held to HF here, through
// classify(), the pipeline() front end and the per-layer scores.
import path from 'node:path';

import { loadModel, pipeline } from '../../js/src/index.js';
import { TOL, maxAbsDiff, modelDir, readGolden } from './helpers.mjs';

const CASES = [
  ['bert_seqcls', 'softmax'],
  ['bert_seqcls_regression', 'none'],
  ['distilbert_seqcls_one_label', 'sigmoid'],
  ['distilbert_seqcls_multilabel', 'sigmoid'],
];

describe.each(CASES)('scores of %s', (name, scoreFunction) => {
  const golden = readGolden(path.join(modelDir(name), 'golden.json'));
  const singles = golden.cases.filter((c) => !('pair' in c) && 'probs' in c).slice(0, 40);
  let model;
  beforeAll(async () => {
    model = await loadModel(modelDir(name));
  });
  afterAll(() => model?.dispose());

  test(`info.scoreFunction is '${scoreFunction}'`, () => {
    expect(model.info.scoreFunction).toBe(scoreFunction);
  });

  test('classify() scores equal the HF pipeline scores', () => {
    expect(singles.length).toBeGreaterThan(10);
    const labels = model.info.labels;
    const results = model.classify(singles.map((c) => c.text), { maxLength: golden.max_length });
    results.forEach((r, i) => {
      const want = singles[i].probs;
      const got = labels.map((l) => r.scores[l]);
      expect(maxAbsDiff(got, want)).toBeLessThanOrEqual(TOL);
      // The per-layer scores of the final layer are the same numbers.
      const last = r.layers[r.layers.length - 1];
      expect(maxAbsDiff(labels.map((l) => last.scores[l]), want)).toBeLessThanOrEqual(TOL);
    });
  });

  test("pipeline('text-classification') returns the same scores", async () => {
    const classifier = await pipeline('text-classification', modelDir(name));
    try {
      const out = await classifier(singles[0].text, { topK: model.info.labels.length, maxLength: golden.max_length });
      const byLabel = Object.fromEntries(out.map((o) => [o.label, o.score]));
      expect(maxAbsDiff(model.info.labels.map((l) => byLabel[l]), singles[0].probs)).toBeLessThanOrEqual(TOL);
    } finally {
      classifier.dispose?.();
    }
  });
});
