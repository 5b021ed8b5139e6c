// js/types/index.d.ts compiles under `tsc --strict` and describes the API as used
// (tests/js/types/usage.ts, resolved through the package name and its `exports` map).
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { ROOT } from './helpers.mjs';

test('tsc --strict accepts the usage file and rejects the misuse', () => {
  const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
  const r = spawnSync(process.execPath, [
    tsc, '--noEmit', '--strict', '--target', 'es2022', '--lib', 'es2022,esnext.disposable,dom',
    '--module', 'nodenext', '--moduleResolution', 'nodenext', '--skipLibCheck', 'false',
    path.join(ROOT, 'tests/js/types/usage.ts'), path.join(ROOT, 'tests/js/types/usage-tasks.ts'),
  ], { cwd: ROOT, encoding: 'utf8' });
  expect(r.stdout + r.stderr).toBe('');
  expect(r.status).toBe(0);
});
