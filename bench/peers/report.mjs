// Renders bench/results/latest.json as latest.md (tables) and latest.svg (hand-written bar chart).
import fs from 'node:fs';
import path from 'node:path';

const fmt = (x, d = 2) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x >= 100 ? x.toFixed(0) : x.toFixed(d));
const ratio = (r) => (r ? `${fmt(r.cpu ?? r.wall)}×` : '–');

export function writeReports(res, dir) {
  const m = res.machine;
  const L = [];
  L.push('# hummingbert vs peers (`npm run bench`)', '');
  L.push(`Machine: ${m.cpu} (${m.logicalCpus} logical CPUs; ${m.cpuFlags.join(', ') || 'no AVX2'}), ${m.memGB} GB; Node ${m.node} (V8 ${m.v8}); onnxruntime-web ${m.onnxruntimeWeb}, onnxruntime-node ${m.onnxruntimeNode}; load average ${m.loadAvgAtStart.join('/')} at start, ${m.loadAvgAtEnd?.join('/')} at end; ${m.date}${m.ci ? ' (CI/quick: fewer repetitions)' : ''}; total ${res.totalSeconds} s.`, '');
  L.push('Models:');
  for (const [k, v] of Object.entries(res.models)) L.push(`- **${k}**: ${v.description}; ONNX: ${v.onnx ?? 'none'}`);
  L.push('');
  L.push('Speed: median ms per call after warm-up (batch × tokens), engines interleaved call by call. **speedup = peer time / hummingbert time** (> 1: hummingbert faster); 1-thread ratios use CPU time (shared machine), 2-thread ratios wall time. hb-native: per-batch wall time from the CLI, (T(R batches) − T(1 batch)) / (R − 1).', '');
  L.push('2 threads: hb-wasm 2t is the threaded build (`hummingbert-simd-threaded.wasm`) and ort-web 2t `numThreads = 2`, each in a fresh process after the 1-thread block; "2t vs ort-web 2t" = ort-web 2t time / hb-wasm 2t time, "hb 2t/1t" = hb-wasm 1t time / hb-wasm 2t time (wall), both timed call by call in the 2-thread process.', '');
  L.push('| model | dtype | batch×len | hb-wasm 1t | ort-web 1t | speedup | hb-wasm 2t | ort-web 2t | 2t vs ort-web 2t | hb 2t/1t | hb-native 1t | ort-node 1t | speedup (native) | ort-node vs hb-wasm |');
  L.push('|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const div = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${fmt(a / b)}×` : '–');
  for (const r of res.speed) {
    const e = r.engines;
    const s = r.speedup;
    L.push(`| ${r.model} | ${r.dtype} | ${r.batch}×${r.length} | ${fmt(e['hb-wasm']?.wallMs)} | ${fmt(e['ort-web']?.wallMs)} | ${ratio(s['ort-web(1t)/hb-wasm(1t)'])} | ${fmt(e['hb-wasm-2t']?.wallMs)} | ${fmt(e['ort-web-2t']?.wallMs)} | ${div(e['ort-web-2t']?.wallMs, e['hb-wasm-2t']?.wallMs)} | ${s['hb-wasm(1t)/hb-wasm(2t), interleaved'] ? ratio(s['hb-wasm(1t)/hb-wasm(2t), interleaved']) : div(e['hb-wasm']?.wallMs, e['hb-wasm-2t']?.wallMs)} | ${fmt(e['hb-native']?.wallMs)} | ${fmt(e['ort-node']?.wallMs)} | ${ratio(s['ort-node(1t)/hb-native(1t)'])} | ${ratio(s['ort-node(1t)/hb-wasm(1t)'])} |`);
  }
  L.push('', 'Times above are wall ms; CPU ms and repetitions are in latest.json. Logit agreement with hb-wasm (max |Δlogit|) is in latest.json per engine (fp32 ≈ 1e-5; int8 differs by design: different quantization schemes).', '');
  if (res.earlyExit) {
    L.push('## Early exit, SST-2 dev (872 sentences), batch 1, demo model, int8, 1 thread', '');
    L.push('| engine | sentences/s (wall) | sentences/s (CPU) | accuracy | mean layers |', '|---|---:|---:|---:|---:|');
    for (const r of res.earlyExit.rows) L.push(`| ${r.engine} | ${fmt(r.sentencesPerSecWall, 1)} | ${fmt(r.sentencesPerSecCpu, 1)} | ${fmt(r.accuracy * 100, 2)}% | ${fmt(r.meanLayers)} |`);
    L.push('', `hummingbert with early exit vs onnxruntime-web int8 (full depth): ${ratio(res.earlyExit.speedupVsOrtWebInt8)} (CPU; wall ${fmt(res.earlyExit.speedupVsOrtWebInt8?.wall)}×). ${res.earlyExit.note}.`, '');
  }
  if (res.cold.length) {
    L.push('## Cold start and peak memory (fresh process each)', '');
    L.push(`Cold = module import/compile + model load + first 1×16 run (node engines: measured inside the process, Node's own start excluded; hb-native: whole process). hb-wasm loads the Hugging Face folder (fp16 safetensors, quantized at load for int8); hb-wasm-hbm loads the \`.hbm\` that \`hummingbert convert --dtype DTYPE\` writes, as ORT loads its \`.onnx\`. Peak RSS after the model's largest case; a bare Node process peaks at ${fmt((res.coldBaselineNodeRssKB ?? NaN) / 1024, 1)} MB.`, '');
    L.push('| model | dtype | engine | cold ms | load ms | first run ms | peak RSS MB | wasm heap MB |', '|---|---|---|---:|---:|---:|---:|---:|');
    for (const c of res.cold) L.push(`| ${c.model} | ${c.dtype} | ${c.engine} | ${c.error ? `error: ${c.error}` : fmt(c.coldMs, 0)} | ${fmt(c.loadMs, 0)} | ${fmt(c.firstRunMs, 1)} | ${fmt(c.maxRssKB / 1024, 1)} | ${c.wasmHeap ? fmt(c.wasmHeap / 2 ** 20, 1) : '–'} |`);
    L.push('');
  }
  if (res.profile) {
    L.push('## Profile (measured)', '', res.profile.method, '');
    if (res.profile.missing) L.push(`Missing: ${res.profile.missing}`, '');
    if (res.profile.breakdown) {
      L.push(`${res.profile.case}: ${fmt(res.profile.measuredMs)} ms per call (${res.profile.calls} calls sampled)`, '', '| operation | ms per call | share |', '|---|---:|---:|');
      for (const b of res.profile.breakdown) L.push(`| ${b.op} | ${fmt(b.ms)} | ${fmt(b.pct, 1)}% |`);
      L.push('', `Top functions: ${res.profile.topFunctions.map((f) => `\`${f.function}\` ${fmt(f.pct, 1)}%`).join(', ')}.`);
      L.push('');
    }
  }
  if (res.blocked.length || res.notes.length) {
    L.push('## Blocked / notes', '');
    for (const b of res.blocked) L.push(`- blocked: ${b}`);
    for (const n of res.notes) L.push(`- ${n}`);
    L.push('');
  }
  L.push('![speedups](latest.svg)', '');
  fs.writeFileSync(path.join(dir, 'latest.md'), L.join('\n'));
  fs.writeFileSync(path.join(dir, 'latest.svg'), svg(res));
}

function esc(s) {
  return String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
}

/** Horizontal bars: speedup of hummingbert over each peer (log2 axis, 1× line). */
function svg(res) {
  const bars = [];
  const series = [
    ['ort-web(1t)/hb-wasm(1t)', 'hb-wasm vs ort-web 1t', '#2b7bb9'],
    ['ort-web(2t)/hb-wasm(1t)', 'hb-wasm 1t vs ort-web 2t', '#7fb3d5'],
    ['ort-node(1t)/hb-native(1t)', 'hb-native vs ort-node', '#d35400'],
  ];
  for (const r of res.speed) {
    for (const [key, , color] of series) {
      const v = r.speedup[key];
      const x = v?.cpu ?? v?.wall;
      if (x) bars.push({ label: `${r.model} ${r.dtype} ${r.batch}×${r.length}`, key, x, color });
    }
  }
  const rowH = 14;
  const left = 170;
  const width = 720;
  const plotW = width - left - 60;
  const top = 40;
  const height = top + bars.length * rowH + 50;
  const lo = -3;
  const hi = 3; // log2 range 1/8× .. 8×
  const X = (v) => left + ((Math.min(hi, Math.max(lo, Math.log2(v))) - lo) / (hi - lo)) * plotW;
  const s = [];
  s.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="10">`);
  s.push(`<rect width="100%" height="100%" fill="white"/>`);
  s.push(`<text x="10" y="16" font-size="13" font-weight="bold">hummingbert speedup over peers (peer time / ours; &gt; 1 = hummingbert faster; log scale)</text>`);
  series.forEach(([, name, color], i) => {
    s.push(`<rect x="${10 + i * 200}" y="24" width="10" height="10" fill="${color}"/><text x="${24 + i * 200}" y="33">${esc(name)}</text>`);
  });
  for (let e = lo; e <= hi; ++e) {
    const x = X(2 ** e);
    s.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${height - 40}" stroke="${e === 0 ? '#000' : '#ddd'}"/>`);
    s.push(`<text x="${x}" y="${height - 28}" text-anchor="middle">${2 ** e >= 1 ? 2 ** e : `1/${2 ** -e}`}×</text>`);
  }
  bars.forEach((b, i) => {
    const y = top + i * rowH;
    const x0 = X(1);
    const x1 = X(b.x);
    s.push(`<text x="${left - 6}" y="${y + 10}" text-anchor="end">${esc(b.label)}</text>`);
    s.push(`<rect x="${Math.min(x0, x1)}" y="${y + 2}" width="${Math.max(1, Math.abs(x1 - x0))}" height="${rowH - 4}" fill="${b.color}"><title>${esc(`${b.label} ${b.key}: ${b.x}×`)}</title></rect>`);
    s.push(`<text x="${Math.max(x0, x1) + 3}" y="${y + 10}">${b.x.toFixed(2)}×</text>`);
  });
  s.push(`<text x="10" y="${height - 10}" fill="#555">${esc(`${res.machine.cpu}, Node ${res.machine.node}, onnxruntime ${res.machine.onnxruntimeWeb}; 1-thread ratios from CPU time`)}</text>`);
  s.push('</svg>');
  return s.join('\n') + '\n';
}
