// The threaded build (dist/hummingbert-simd-threaded.*), chosen by load({numThreads > 1}) in
// Node: same results as one thread, threads shared out from the pool and returned by dispose(),
// and a process that exits on its own. Skipped when the threaded build is absent.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { load } from '../../js/src/index.js';
import { ROOT } from './helpers.mjs';

const built = fs.existsSync(path.join(ROOT, 'dist/hummingbert-simd-threaded.wasm'));
const TEXTS = ['I loved it: the acting was superb.', 'A dull, lifeless film that wastes a talented cast.', 'word '.repeat(200)];

(built ? describe : describe.skip)('threaded build', () => {
  test('numThreads 2: same results as 1 thread; pool threads returned by dispose()', async () => {
    const one = await load();
    const two = await load(undefined, { numThreads: 2 });
    expect(one.info.numThreads).toBe(1);
    expect(two.info.numThreads).toBe(2);
    const a = one.classify(TEXTS, { earlyExit: false });
    const b = two.classify(TEXTS, { earlyExit: false });
    expect(b.map((r) => [r.label, r.exitLayer, r.tokens])).toEqual(a.map((r) => [r.label, r.exitLayer, r.tokens]));
    b.forEach((r, i) => expect(r.score).toBe(a[i].score)); // results do not depend on the thread count
    expect(Array.from(two.embed(TEXTS[2]))).toEqual(Array.from(one.embed(TEXTS[2])));
    // The pool (hardware threads - 1 workers) is shared: a second model gets what is left.
    const cores = (await import('node:os')).availableParallelism();
    const third = await load(undefined, { numThreads: 8 });
    expect(third.info.numThreads).toBe(Math.max(1, Math.min(7, cores - 1)) - 1 + 1);
    third.dispose();
    two.dispose();
    const again = await load(undefined, { numThreads: 8 });
    expect(again.info.numThreads).toBe(1 + Math.max(1, Math.min(7, cores - 1)));
    again.dispose();
    one.dispose();
  });

  test('a Node process using threads exits on its own (idle pool workers are unref()ed)', () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e',
      "import { load } from 'hummingbert'; const m = await load(undefined, { numThreads: 2 }); console.log(m.info.numThreads, m.classify('I loved it').label);"],
    { cwd: ROOT, encoding: 'utf8', timeout: 60000 });
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '2 positive\n', '']);
    const cjs = spawnSync(process.execPath, ['-e',
      "require('hummingbert').load(undefined, { numThreads: 2 }).then((m) => console.log(m.info.numThreads, m.classify('awful').label))"],
    { cwd: ROOT, encoding: 'utf8', timeout: 60000 });
    expect([cjs.status, cjs.stdout, cjs.stderr]).toEqual([0, '2 negative\n', '']);
  });
});
