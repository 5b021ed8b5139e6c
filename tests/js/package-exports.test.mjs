// The package as users consume it: `require('hummingbert')` (dist/index.cjs + CJS glue),
// `import 'hummingbert'` (js/src + ESM glue) and dynamic import from CJS, each in a fresh Node
// process, by package name: through the package's self-reference and through a packed tarball
// installed into a temporary project. Exact stdout, empty stderr.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ROOT } from './helpers.mjs';

const VOCAB = path.join(ROOT, 'tests/fixtures/tokenizer/vocab_uncased.txt');
const MODEL = path.join(ROOT, 'tests/fixtures/models/bert_seqcls');
const EXPECTED = '["[CLS]","hello","中","[SEP]"] positive INVALID_ARGUMENT true\n';

// The same check in each flavour: tokenizer, model, and the error class.
const BODY = `
  const tok = await h.loadTokenizer(${JSON.stringify(VOCAB)});
  const m = await h.loadModel(${JSON.stringify(MODEL)});
  let code;
  try { m.run(42); } catch (e) { code = e.code + ' ' + (e instanceof h.HummingbertError); }
  console.log(JSON.stringify(tok.tokenize('Hello 中').tokens), m.run('Great!')[0].label, code);
  m.dispose(); tok.dispose();`;

const SCRIPTS = {
  require: ['-e', `const h = require('hummingbert'); (async () => { ${BODY} })();`],
  import: ['--input-type=module', '-e', `import * as h from 'hummingbert'; ${BODY}`],
  'dynamic import from CJS': ['-e', `import('hummingbert').then(async (h) => { ${BODY} });`],
};

function node(args, cwd) {
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // Jest's --experimental-vm-modules is not what users run with
  return spawnSync(process.execPath, args, { cwd, env, encoding: 'utf8', timeout: 60000 });
}

describe('self-reference from the repository', () => {
  test.each(Object.keys(SCRIPTS))('%s', (kind) => {
    const r = node(SCRIPTS[kind], ROOT);
    expect({ stdout: r.stdout, stderr: r.stderr, status: r.status }).toEqual({ stdout: EXPECTED, stderr: '', status: 0 });
  });

  test('subpath exports', () => {
    const r = node(['-e', `
      console.log(require('hummingbert/package.json').version);
      console.log(require.resolve('hummingbert/hummingbert-simd.wasm') === ${JSON.stringify(path.join(ROOT, 'dist/hummingbert-simd.wasm'))});
      try { require.resolve('hummingbert/js/src/model.js'); } catch (e) { console.log(e.code); }`], ROOT);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('0.1.0\ntrue\nERR_PACKAGE_PATH_NOT_EXPORTED\n');
  });
});

describe('packed tarball installed in a consumer project', () => {
  let dir;
  let files;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-consumer-'));
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    );
    files = packed[0].files.map((f) => f.path).sort();
    fs.writeFileSync(path.join(dir, 'package.json'), '{"name": "consumer", "private": true}\n');
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', `./${packed[0].filename}`], {
      cwd: dir,
      env,
      stdio: 'ignore',
    });
  }, 120000);
  afterAll(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  test('ships the artifacts, sources and types, and nothing else', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/hummingbert-simd.wasm',
        'dist/hummingbert-simd.mjs',
        'dist/hummingbert-simd.cjs',
        'dist/hummingbert-convert.wasm',
        'dist/hummingbert-convert.mjs',
        'dist/hummingbert-convert.cjs',
        'dist/index.cjs',
        'dist/package.json',
        'js/cli.js',
        'js/src/index.js',
        'js/types/index.d.ts',
        'package.json',
      ]),
    );
    expect(files.filter((f) => !/^(dist|js\/src|js\/types)\/|^js\/cli\.js$|^package\.json$|^README\.md$|^LICENSE$/.test(f))).toEqual([]);
  });

  test.each(Object.keys(SCRIPTS))('%s', (kind) => {
    const r = node(SCRIPTS[kind], dir);
    expect({ stdout: r.stdout, stderr: r.stderr, status: r.status }).toEqual({ stdout: EXPECTED, stderr: '', status: 0 });
  });

  test('the bin runs', () => {
    const r = spawnSync(path.join(dir, 'node_modules/.bin/hummingbert'), ['--version'], { encoding: 'utf8' });
    expect(r.stdout).toBe('hummingbert 0.1.0\n');
  });
});
