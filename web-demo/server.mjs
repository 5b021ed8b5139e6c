#!/usr/bin/env node
// `npm run demo`: serves the demo page on http://127.0.0.1:8080/ (PORT=... to change) with the
// headers it needs: COOP/COEP (cross-origin isolation, so the threaded build can be used) and
// application/wasm (streaming compilation). Only web-demo/, js/src/ and dist/ are served; nothing
// is fetched from anywhere else. Also imported by tests/browser/ (createDemoServer).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SERVED = ['web-demo/', 'js/src/', 'dist/'];
const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.cjs': 'text/javascript',
  '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.txt': 'text/plain; charset=utf-8',
  '.hbm': 'application/octet-stream', '.svg': 'image/svg+xml',
};

/**
 * An http.Server for the demo. isolated: send COOP/COEP (default true). extraRoutes: {urlPath:
 * {body, type}} for test pages.
 */
export function createDemoServer({ isolated = true, extraRoutes = {} } = {}) {
  return http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    let rel = decodeURIComponent(url.pathname).replace(/^\/+/, '');
    if (rel === '' || rel === 'web-demo') {
      res.writeHead(302, { Location: '/web-demo/' });
      res.end();
      return;
    }
    const headers = { 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' };
    if (isolated) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
      headers['Cross-Origin-Resource-Policy'] = 'same-origin';
    }
    const extra = extraRoutes[`/${rel}`];
    if (extra !== undefined) {
      res.writeHead(200, { ...headers, 'Content-Type': extra.type });
      res.end(extra.body);
      return;
    }
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.resolve(ROOT, rel);
    const allowed = SERVED.some((p) => file.startsWith(path.join(ROOT, p)));
    if (!allowed || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    headers['Content-Type'] = MIME[path.extname(file)] ?? 'application/octet-stream';
    headers['Content-Length'] = fs.statSync(file).size;
    res.writeHead(200, headers);
    fs.createReadStream(file).pipe(res);
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT) || 8080;
  createDemoServer().listen(port, '127.0.0.1', () => {
    console.log(`hummingbert demo: http://127.0.0.1:${port}/web-demo/  (Ctrl+C to stop)`);
  });
}
