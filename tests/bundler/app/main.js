// A Vite app as a user would write it: `import ... from 'hummingbert'`, nothing configured.
// Vite must emit the .wasm, the embedded model and the worker chunk from the package's
// `new URL(..., import.meta.url)` references. Writes window.__result for the test.
import { createWorker, load } from 'hummingbert';

const TEXT = 'I loved it: the acting was superb and the story kept me hooked.';

try {
  const model = await load();
  const r = model.classify(TEXT);
  model.dispose();
  // ?threads=N: the worker asks for N threads (the test serves that page with COOP/COEP).
  const numThreads = Number(new URLSearchParams(location.search).get('threads') ?? 1);
  const worker = await createWorker(undefined, { numThreads });
  const w = await worker.classify('A dull, lifeless film that wastes a talented cast.');
  const threads = worker.info.numThreads;
  await worker.dispose();
  document.getElementById('out').textContent = `${r.label} ${r.score.toFixed(3)} (exit layer ${r.exitLayer}); worker: ${w.label}`;
  window.__result = { label: r.label, exitLayer: r.exitLayer, tokens: r.tokens, workerLabel: w.label, workerThreads: threads };
} catch (e) {
  window.__result = { error: String(e?.stack ?? e) };
}
