#!/usr/bin/env node
// The package through a bundler (`npm run test:bundler`): builds tests/bundler/app with Vite 7
// (vite.build, default config) against the package resolved by name through its `exports` map
// (node_modules/hummingbert is a symlink to the repo in a temp copy of the app), serves the
// built dist/ from 127.0.0.1 and loads it in headless Chromium, which must classify a sentence
// on the main thread and in the bundled worker, with no console errors and no other requests;
// then again from a cross-origin isolated server (COOP/COEP) with ?threads=2, where the worker
// must run the bundled threaded build on 2 threads.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';
import { build } from 'vite';

import { load } from '../../js/src/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env.HB_CHROMIUM || '/usr/bin/chromium';
const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.hbm': 'application/octet-stream' };

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-vite-'));
  try {
    fs.cpSync(path.join(ROOT, 'tests/bundler/app'), tmp, { recursive: true });
    fs.mkdirSync(path.join(tmp, 'node_modules'));
    fs.symlinkSync(ROOT, path.join(tmp, 'node_modules/hummingbert'), 'dir');
    const t0 = Date.now();
    await build({ root: tmp, logLevel: 'warn', configFile: false, build: { outDir: 'dist', target: 'es2022' },
                  worker: { format: 'es' } });
    const out = path.join(tmp, 'dist');
    const files = fs.readdirSync(path.join(out, 'assets'));
    const size = (re) => files.filter((f) => re.test(f)).map((f) => `${f} (${fs.statSync(path.join(out, 'assets', f)).size} B)`);
    console.log(`vite build: ${Date.now() - t0} ms; assets: ${[...size(/\.wasm$/), ...size(/\.hbm$/), ...size(/worker/)].join(', ')}`);
    for (const [what, re] of [['.wasm', /\.wasm$/], ['demo model', /\.hbm$/], ['worker chunk', /worker-entry.*\.js$/]]) {
      if (!files.some((f) => re.test(f))) throw new Error(`vite did not emit the ${what}: ${files.join(', ')}`);
    }

    const requests = [];
    let isolated = false;
    const server = http.createServer((req, res) => {
      const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
      requests.push(rel);
      const file = path.join(out, rel);
      if (!file.startsWith(out) || !fs.existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      const headers = { 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream' };
      if (isolated) Object.assign(headers, { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' });
      res.writeHead(200, headers).end(fs.readFileSync(file));
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    try {
      const m = await load();
      const r = m.classify('I loved it: the acting was superb and the story kept me hooked.');
      m.dispose();
      let failures = 0;
      for (const threads of [1, 2]) {
        isolated = threads > 1;
        requests.length = 0;
        const page = await browser.newPage();
        const problems = [];
        page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
        page.on('console', (msg) => msg.type() === 'error' && problems.push(`console: ${msg.text()}`));
        const origin = `http://127.0.0.1:${server.address().port}`;
        page.on('request', (q) => !q.url().startsWith(`${origin}/`) && !q.url().startsWith(`blob:${origin}/`) &&
          problems.push(`external request: ${q.url()}`));
        await page.goto(`http://127.0.0.1:${server.address().port}/?threads=${threads}`);
        await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 30000 });
        const result = await page.evaluate(() => window.__result);
        await page.close();
        const expected = { label: r.label, exitLayer: r.exitLayer, tokens: r.tokens, workerLabel: 'negative', workerThreads: threads };
        if (JSON.stringify(result) !== JSON.stringify(expected) || problems.length) {
          console.error(`FAIL vite app (threads ${threads}): ${JSON.stringify(result).slice(0, 800)} ${problems.join('; ')}\n  expected ${JSON.stringify(expected)}`);
          failures++;
        } else {
          console.log(`ok   vite app (${threads === 1 ? 'not isolated' : 'COOP/COEP'}): ${result.label} (exit layer ${result.exitLayer}), ` +
            `worker: ${result.workerLabel} on ${result.workerThreads} thread(s); requests: ${[...new Set(requests)].join(', ')}`);
        }
      }
      return failures ? 1 : 0;
    } finally {
      await browser.close();
      server.close();
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

process.exitCode = await main();
