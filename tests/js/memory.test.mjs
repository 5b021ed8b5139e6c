// Memory: the wasm heap does not grow over 10,000 mixed calls after warm-up (errors included),
// nothing stays allocated after a call, and dispose() gives memory back that the next model
// reuses, over and over (20 load/dispose cycles leave the heap flat).
import { load, memoryStats } from '../../js/src/index.js';

const TEXTS = ['I loved it.', 'A dull, lifeless film that wastes a talented cast.', 'ok', 'Not the worst thing I have seen this year, but close.'];

test('heap stable over 10,000 mixed calls; reused after dispose()', async () => {
  const model = await load();
  const calls = [
    (i) => model.classify(TEXTS[i % 4]),
    (i) => model.classify([TEXTS[i % 4], TEXTS[(i + 1) % 4]]),
    (i) => model.embed(TEXTS[i % 4], { pooling: i % 2 ? 'mean' : 'cls' }),
    (i) => model.tokenize(TEXTS[i % 4]),
    (i) => model.run(TEXTS[i % 4], { embeddings: true }),
    (i) => { try { model.classify(i); } catch { /* INVALID_ARGUMENT, checked in JS */ } },
    (i) => { try { model.classify('x', { earlyExit: 'patience', exitPatience: 2, maxLength: 100000 }); } catch { /* core error */ } },
    // Over InputLimits: in the core (UTF-8 longer than the UTF-16 length) and before it.
    (i) => { try { model.embed('\u00e9\u00e9\u00e9', { limits: { maxTextBytes: 4 } }); } catch { /* RESOURCE_EXHAUSTED */ } },
    (i) => { try { model.run([TEXTS[i % 4], TEXTS[1]], { limits: { maxTotalTokens: 12 } }); } catch { /* RESOURCE_EXHAUSTED */ } },
    (i) => { try { model.tokenize('x'.repeat(2000), { limits: { maxTextBytes: 1000 } }); } catch { /* RESOURCE_EXHAUSTED */ } },
  ];
  for (let i = 0; i < 300; ++i) calls[i % calls.length](i); // warm-up: the heap reaches its size
  const before = await memoryStats();
  for (let i = 0; i < 10000; ++i) calls[i % calls.length](i);
  const after = await memoryStats();
  expect(after.heapSize).toBe(before.heapSize);
  expect(after.allocated).toBe(before.allocated);
  // The allocator's high-water mark: at least what is held now, never past the linear memory.
  expect(after.peakFootprint).toBeGreaterThanOrEqual(after.allocated);
  expect(after.peakFootprint).toBeLessThanOrEqual(after.heapSize);

  model.dispose();
  const disposed = await memoryStats();
  // The model's weights (~6 MB int8) are freed.
  expect(before.allocated - disposed.allocated).toBeGreaterThan(4e6);
  const again = await load();
  again.classify(TEXTS[0]);
  const reloaded = await memoryStats();
  expect(reloaded.heapSize).toBe(before.heapSize); // freed memory reused, no growth
  again.dispose();
  expect((await memoryStats()).allocated).toBe(disposed.allocated);
}, 300000);

test('20 load/dispose cycles: allocations return to the pre-load level, heap flat', async () => {
  const base = await memoryStats();
  const sizes = [];
  for (let i = 0; i < 20; ++i) {
    const model = await load();
    model.classify(TEXTS[i % 4]);
    model.embed([TEXTS[0], TEXTS[1]]);
    model.dispose();
    const s = await memoryStats();
    expect(s.allocated).toBe(base.allocated);
    sizes.push(s.heapSize);
  }
  // The heap may grow during the first cycle (the model did not fit the spare heap), then never.
  expect(new Set(sizes.slice(1)).size).toBe(1);
  expect(sizes[19]).toBe(sizes[0]);
}, 300000);
