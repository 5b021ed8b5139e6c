// The package as users get it: `npm pack`, then `npm install ./hummingbert-*.tgz --offline` in
// an empty folder, then import (ESM and CJS) and classify with the embedded model, offline.
// Also reports the tarball size (limit 12 MB with the demo model).
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ROOT } from './helpers.mjs';

test('npm pack + install in an empty folder, then import and classify offline', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-pack-'));
  try {
    const json = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' }));
    const { filename, size, unpackedSize, files } = json[0];
    const names = files.map((f) => f.path);
    expect(names).toEqual(expect.arrayContaining([
      'dist/index.cjs', 'dist/worker.cjs', 'dist/hummingbert-simd.wasm', 'dist/hummingbert-simd.mjs',
      'dist/hummingbert-simd.cjs', 'dist/hummingbert-convert.wasm', 'dist/hummingbert-convert.mjs',
      'dist/hummingbert-convert.cjs', 'dist/models/sst2-demo.hbm', 'dist/package.json', 'js/src/index.js',
      'js/src/worker-entry.js', 'js/types/index.d.ts', 'js/types/worker.d.ts', 'js/cli.js', 'package.json',
    ]));
    expect(names.some((n) => n.startsWith('tests/') || n.startsWith('src/') || n.startsWith('web-demo/'))).toBe(false);
    expect(size).toBeLessThan(12e6);
    console.log(`npm pack: ${filename} ${(size / 1e6).toFixed(2)} MB packed, ${(unpackedSize / 1e6).toFixed(2)} MB unpacked, ${files.length} files`);

    const app = path.join(dir, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), '{"name":"app","version":"1.0.0","private":true}\n');
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', path.join(dir, filename)], { cwd: app, encoding: 'utf8' });

    const run = (args) => spawnSync(process.execPath, args, { cwd: app, encoding: 'utf8', timeout: 60000 });
    const esm = run(['-e', "import('hummingbert').then(async m => console.log(JSON.stringify((await (await m.load()).classify('I loved it')).label)))"]);
    expect([esm.status, esm.stdout, esm.stderr]).toEqual([0, '"positive"\n', '']);
    const cjs = run(['-e', "require('hummingbert').load().then(m => console.log(m.classify('Awful.').label))"]);
    expect([cjs.status, cjs.stdout, cjs.stderr]).toEqual([0, 'negative\n', '']);
    const bin = spawnSync(path.join(app, 'node_modules/.bin/hummingbert'), ['classify', 'I loved it'], { cwd: app, encoding: 'utf8' });
    expect(bin.status).toBe(0);
    expect(bin.stdout).toMatch(/^positive\t/);
    // The converter module (its own .wasm) from both entries and the CLI: the same bytes.
    const demo = JSON.stringify(path.join(ROOT, 'web-demo/model'));
    const conv = (req) => run(['-e', `${req}.then(async m => { const b = await m.convert(${demo}); ` +
      "console.log(b.length, require('node:crypto').createHash('sha256').update(b).digest('hex')); })"]);
    const esmConv = conv("import('hummingbert')");
    const cjsConv = conv("Promise.resolve(require('hummingbert'))");
    expect([esmConv.status, esmConv.stderr]).toEqual([0, '']);
    expect(cjsConv.stdout).toBe(esmConv.stdout);
    const hbm = path.join(app, 'demo.hbm');
    const binConv = spawnSync(path.join(app, 'node_modules/.bin/hummingbert'), ['convert', path.join(ROOT, 'web-demo/model'), '-o', hbm],
      { cwd: app, encoding: 'utf8' });
    expect(binConv.status).toBe(0);
    const bytes = fs.readFileSync(hbm);
    expect(`${bytes.length} ${crypto.createHash('sha256').update(bytes).digest('hex')}\n`).toBe(esmConv.stdout);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 180000);
