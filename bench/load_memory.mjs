// Peak memory while loading a .hbm model file: the streaming loader (load() of a path, a
// Uint8Array, an http: URL) against the old whole-file path (wasm.ModelHandle.fromModelFile(bytes)
// after reading or downloading the whole file), each case in a fresh Node process.
//
//   node bench/load_memory.mjs            (after `npm run build:wasm`)
//
// Models: the demo model (dist/models/sst2-demo.hbm, int8) and bench/models/minilm-random and
// bench/models/base-random (Hugging Face folders, not committed) converted with the CLI at int8
// and fp32 into bench/results/tmp/. Per case:
//   model      = memoryStats().allocated after the load - before (the loaded model's size)
//   peak       = memoryStats().peakFootprint after - allocated before: the allocator's own
//                high-water mark (dlmalloc max footprint) during the load; ratio = peak / model
//                (goal <= 1.3)
//   heap growth = heapSize after - allocated before: the linear memory only grows, so this
//                bounds the wasm peak from above (it includes Emscripten's growth steps and the
//                16 MiB initial memory)
//   RSS        = process.resourceUsage().maxRSS - that of a process that only loads the module;
//                includes the JS side (e.g. the caller's own Uint8Array for the bytes source).
// Writes bench/results/load_memory.json and .md.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TMP = path.join(ROOT, 'bench/results/tmp');
const SOURCES = ['path', 'bytes', 'url'];
const PATHS = ['new', 'old'];

// ------------------------------------------------------------------ child: one load
async function child(caseJson) {
  const c = JSON.parse(caseJson);
  const { load, memoryStats } = await import('../js/src/index.js');
  const { getModule } = await import('../js/src/runtime.js');
  const { checkLoadOptions } = await import('../js/src/load.js');
  const wasm = await getModule();
  const before = await memoryStats();
  let after = before;
  if (c.mode !== 'baseline') {
    let handle;
    let model;
    if (c.path === 'new') {
      const source = c.source === 'path' ? c.file : c.source === 'url' ? c.url : new Uint8Array(fs.readFileSync(c.file));
      model = await load(source);
    } else {
      // The old path: the whole file in JS, then copied into the heap and parsed there.
      const bytes = c.source === 'url'
        ? new Uint8Array(await (await fetch(c.url)).arrayBuffer())
        : new Uint8Array(fs.readFileSync(c.file));
      const r = wasm.ModelHandle.fromModelFile(bytes, checkLoadOptions({}).wasmOptions);
      if (!r.ok) throw new Error(r.message);
      handle = r.value;
    }
    after = await memoryStats();
    model?.dispose();
    handle?.delete();
  }
  process.stdout.write(JSON.stringify({
    allocatedBefore: before.allocated, allocatedAfter: after.allocated, heapSize: after.heapSize,
    peakFootprint: after.peakFootprint, maxRssBytes: process.resourceUsage().maxRSS * 1024,
  }));
}

// ------------------------------------------------------------------ parent
function run(caseObj) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', JSON.stringify(caseObj)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`case ${JSON.stringify(caseObj)} exited ${code}`))));
  });
}

function ensureModel(name, folder, dtype) {
  const out = path.join(TMP, `${name}-${dtype}.hbm`);
  if (!fs.existsSync(out)) {
    if (!fs.existsSync(path.join(ROOT, folder))) return null;
    fs.mkdirSync(TMP, { recursive: true });
    execFileSync(process.execPath, [path.join(ROOT, 'js/cli.js'), 'convert', path.join(ROOT, folder), '-o', out, '--dtype', dtype], {
      stdio: 'inherit',
    });
  }
  return out;
}

const MB = (n) => (n / 1e6).toFixed(1);

async function main() {
  const models = [{ name: 'sst2-demo', dtype: 'int8', file: path.join(ROOT, 'dist/models/sst2-demo.hbm') }];
  for (const [name, folder] of [['minilm-random', 'bench/models/minilm-random'], ['base-random', 'bench/models/base-random']]) {
    for (const dtype of ['int8', 'fp32']) {
      const file = ensureModel(name, folder, dtype);
      if (file) models.push({ name, dtype, file });
      else console.error(`skipping ${name}: ${folder} is missing`);
    }
  }
  // The http: source is served from this process, so its buffers do not count in the child.
  const server = http.createServer((req, res) => {
    const file = decodeURIComponent(req.url.slice(1));
    res.writeHead(200, { 'Content-Length': fs.statSync(file).size, 'Content-Type': 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}/`;

  const baseline = await run({ mode: 'baseline' });
  const rows = [];
  for (const m of models) {
    const fileBytes = fs.statSync(m.file).size;
    for (const source of SOURCES) {
      for (const p of PATHS) {
        const r = await run({ mode: 'load', path: p, source, file: m.file, url: base + encodeURIComponent(m.file) });
        const model = r.allocatedAfter - r.allocatedBefore;
        const growth = r.heapSize - r.allocatedBefore;
        // The allocator's own high-water mark (dlmalloc max footprint) above what was in use
        // before: the true wasm peak of the load, free blocks inside the footprint included.
        const peak = r.peakFootprint - r.allocatedBefore;
        const rss = r.maxRssBytes - baseline.maxRssBytes;
        const row = {
          model: m.name, dtype: m.dtype, source, path: p, fileBytes, modelBytes: model, heapGrowthBytes: growth,
          heapRatio: +(growth / model).toFixed(3), peakBytes: peak, peakRatio: +(peak / model).toFixed(3), rssBytes: rss, rssRatio: +(rss / model).toFixed(3),
        };
        rows.push(row);
        console.log(`${m.name} ${m.dtype} ${source} ${p}: model ${MB(model)} MB, heap growth ${MB(growth)} MB (${row.heapRatio}x), peak ${MB(peak)} MB (${row.peakRatio}x), RSS +${MB(rss)} MB (${row.rssRatio}x)`);
      }
    }
  }
  server.close();

  const out = path.join(ROOT, 'bench/results');
  fs.mkdirSync(out, { recursive: true });
  const meta = { node: process.version, date: new Date().toISOString().slice(0, 10), baselineMaxRssBytes: baseline.maxRssBytes };
  fs.writeFileSync(path.join(out, 'load_memory.json'), JSON.stringify({ meta, rows }, null, 2) + '\n');
  const lines = [
    '# Peak memory while loading a model file (`node bench/load_memory.mjs`)',
    '',
    'model = wasm heap allocated by the loaded model; peak = the allocator\'s high-water mark during the load ' +
      '(dlmalloc max footprint, `memoryStats().peakFootprint`) above what was in use before; heap = linear-memory growth ' +
      'during the load (an upper bound: it includes Emscripten\'s growth steps and the 16 MiB initial memory); RSS = process peak RSS minus a process that only loads the module. ' +
      'new = streaming loader (`load()`), old = whole file then `ModelHandle.fromModelFile`. Ratios are / model.',
    '',
    '| model | dtype | file MB | model MB | source | peak new | peak old | heap new | heap old | RSS new | RSS old |',
    '|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const m of models) {
    for (const source of SOURCES) {
      const n = rows.find((r) => r.model === m.name && r.dtype === m.dtype && r.source === source && r.path === 'new');
      const o = rows.find((r) => r.model === m.name && r.dtype === m.dtype && r.source === source && r.path === 'old');
      lines.push(`| ${m.name} | ${m.dtype} | ${MB(n.fileBytes)} | ${MB(n.modelBytes)} | ${source} | ` +
        `${n.peakRatio.toFixed(2)}x | ${o.peakRatio.toFixed(2)}x | ${n.heapRatio.toFixed(2)}x | ${o.heapRatio.toFixed(2)}x | ${n.rssRatio.toFixed(2)}x | ${o.rssRatio.toFixed(2)}x |`);
    }
  }
  lines.push('', `Node ${meta.node}, ${meta.date}.`, '');
  fs.writeFileSync(path.join(out, 'load_memory.md'), lines.join('\n'));
  console.log(lines.join('\n'));
}

if (process.argv[2] === '--child') {
  child(process.argv[3]).catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
