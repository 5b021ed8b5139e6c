// int8 activation schemes through the wasm build: 'int8' (symmetric, the SIMD128 kernels'
// default in Node) and 'u7' (asymmetric 7-bit, what the relaxed-SIMD kernel consumes in
// Chromium; Node has no usable relaxed SIMD, so here 'u7' runs the SIMD128 kernels and gives the
// same bits the relaxed kernel gives there: tests/browser checks that equality). Option
// validation, the info fields, and the accuracy cost on labelled SST-2 sentences.
import fs from 'node:fs';
import path from 'node:path';

import { HummingbertError, createWorker, env, load } from '../../js/src/index.js';
import { ROOT, modelDir } from './helpers.mjs';

const DEMO_DIR = path.join(ROOT, 'web-demo/model');

function devSentences() {
  const golden = JSON.parse(fs.readFileSync(path.join(DEMO_DIR, 'dev_predictions.json'), 'utf8'));
  return golden.predictions.map((p) => ({ text: p.sentence, label: p.label }));
}

describe('int8Activations', () => {
  test('Node: the relaxed-SIMD kernel is not installed; int8 models default to int8 activations', async () => {
    expect(env.relaxedSimd).toBe(true);
    const m = await load();
    expect(m.info.dtype).toBe('int8');
    expect(m.info.int8Activations).toBe('int8');
    expect(m.info.relaxedSimd).toBe(false);
    m.dispose();
  });

  test("'u7' runs anywhere, reports itself, and keeps the demo model's predictions", async () => {
    const data = devSentences();
    const texts = data.map((d) => d.text);
    const i8 = await load(undefined, { int8Activations: 'int8' });
    const u7 = await load(undefined, { int8Activations: 'u7' });
    expect(u7.info.int8Activations).toBe('u7');
    expect(u7.info.relaxedSimd).toBe(false);
    const a = i8.classify(texts, { earlyExit: false });
    const b = u7.classify(texts, { earlyExit: false });
    let agree = 0;
    let correctA = 0;
    let correctB = 0;
    let maxDiff = 0;
    let identical = 0;
    b.forEach((r, i) => {
      agree += r.label === a[i].label;
      correctA += (a[i].label === 'positive') === (data[i].label === 1);
      correctB += (r.label === 'positive') === (data[i].label === 1);
      maxDiff = Math.max(maxDiff, Math.abs(r.score - a[i].score));
      identical += r.score === a[i].score;
    });
    // Different quantization, so not the same numbers; the same answers within a point.
    expect(identical).toBeLessThan(texts.length);
    expect(agree / texts.length).toBeGreaterThanOrEqual(0.98);
    expect(correctB).toBeGreaterThanOrEqual(correctA - 1);
    expect(maxDiff).toBeLessThan(0.15);
    i8.dispose();
    u7.dispose();
  });

  test("'u7' is deterministic and batch-independent", async () => {
    const m = await load(undefined, { int8Activations: 'u7' });
    const texts = devSentences().slice(0, 12).map((d) => d.text);
    const batch = m.classify(texts, { earlyExit: false });
    const one = texts.map((t) => m.classify(t, { earlyExit: false }));
    expect(batch.map((r) => r.scores)).toEqual(one.map((r) => r.scores));
    m.dispose();
  });

  test('fp32 models report no activation scheme; the option only affects int8 weights', async () => {
    const f = await load(modelDir('bert_seqcls'));
    expect(f.info.dtype).toBe('fp32');
    expect(f.info.int8Activations).toBe('');
    const g = await load(modelDir('bert_seqcls'), { int8Activations: 'u7' });
    expect(g.info.int8Activations).toBe('');
    expect(g.run(['hello world'])[0].logits).toEqual(f.run(['hello world'])[0].logits);
    f.dispose();
    g.dispose();
  });

  test('bad values are rejected up front', async () => {
    for (const bad of ['int4', 'U7', 7, true]) {
      let err;
      try {
        await load(undefined, { int8Activations: bad });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(HummingbertError);
      expect(err.code).toBe('INVALID_ARGUMENT');
      expect(err.message).toContain("int8Activations must be one of ['int8', 'u7']");
    }
  });

  test('the worker passes the option through', async () => {
    const w = await createWorker(undefined, { int8Activations: 'u7' });
    expect(w.info.int8Activations).toBe('u7');
    const direct = await load(undefined, { int8Activations: 'u7' });
    const text = 'A gorgeous, witty, seductive movie.';
    expect((await w.classify(text)).scores).toEqual(direct.classify(text).scores);
    await w.dispose();
    direct.dispose();
  });
});
