// The relaxed-SIMD int8 GEMM kernel (src/kernels/relaxed_simd_gemm.c) as a fraction of the
// relaxed-SIMD peak, in headless Debian Chromium (Node 20 has no working relaxed SIMD).
//
//   npm run build:wasm && node bench/relaxed_kernel_bench.mjs [--quick]
//
// In one page: bench/relaxed_peak.c (built here with clang-19 + lld-19: register-resident
// chains of i32x4.relaxed_dot_i8x16_i7x16_add_s and of i32x4.dot_i16x8_s + add) and the kernel
// module exactly as the wasm build embeds it (build-wasm/relaxed_simd/relaxed_simd_gemm.wasm),
// both on one WebAssembly.Memory. The GEMM shapes are hb_int8_bench's (m = 128 rows; k x n of
// the BERT-base and MiniLM Linear layers). Each figure: median of timed calls after warm-up.
// Writes bench/results/relaxed_kernel.json.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env.HB_CHROMIUM || '/usr/bin/chromium';
const QUICK = process.argv.includes('--quick');
const KERNEL = path.join(ROOT, 'build-wasm/relaxed_simd/relaxed_simd_gemm.wasm');
const WASM_LD = 'wasm-ld-19';

function buildPeak() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-peak-'));
  const obj = path.join(dir, 'peak.o');
  const out = path.join(dir, 'peak.wasm');
  execFileSync('clang-19', ['--target=wasm32-unknown-unknown', '-O3', '-msimd128', '-mrelaxed-simd',
    '-nostdlib', '-fno-builtin', '-c', path.join(ROOT, 'bench/relaxed_peak.c'), '-o', obj]);
  execFileSync(WASM_LD, ['--no-entry', '--import-memory', '--strip-all', '--initial-memory=65536',
    '-z', 'stack-size=0', obj, '-o', out]);
  return fs.readFileSync(out);
}

// Runs in the page: returns {peaks, gemms}.
async function pageBench({ peakBytes, kernelBytes, shapes, reps }) {
  const memory = new WebAssembly.Memory({ initial: 1024 });  // 64 MiB
  const peak = (await WebAssembly.instantiate(new Uint8Array(peakBytes), { env: { memory } })).instance.exports;
  const kernel = (await WebAssembly.instantiate(new Uint8Array(kernelBytes), { env: { memory } })).instance.exports;
  const median = (v) => v.slice().sort((a, b) => a - b)[v.length >> 1];
  // ms per call: the median of n samples, each >= 20 ms of back-to-back calls (the page's
  // clock is coarse: performance.now() is rounded to 0.1 ms without cross-origin isolation).
  const time = (f, n) => {
    for (let i = 0; i < 3; ++i) f();  // tier-up: V8 compiles hot wasm with TurboFan on later calls
    let calls = 1;
    for (;;) {
      const t0 = performance.now();
      for (let c = 0; c < calls; ++c) f();
      if (performance.now() - t0 >= 20) break;
      calls *= 2;
    }
    const t = [];
    for (let i = 0; i < n; ++i) {
      const t0 = performance.now();
      for (let c = 0; c < calls; ++c) f();
      t.push((performance.now() - t0) / calls);
    }
    return median(t);
  };
  const iters = 2_000_000;
  const relaxedMs = time(() => peak.relaxed_peak(iters, 3), reps);
  const dot16Ms = time(() => peak.dot16_peak(iters, 3), reps);
  const peaks = {
    relaxed: (iters * 12 * 16) / (relaxedMs * 1e6),  // G int8-MAC/s
    dot16: (iters * 13 * 8) / (dot16Ms * 1e6),
  };
  const u8 = new Uint8Array(memory.buffer);
  const gemms = [];
  for (const [m, k, n] of shapes) {
    const kp = Math.ceil(k / 8) * 8;
    const panels = Math.ceil(n / 8);
    const a = 1 << 20;
    const b = a + m * kp + 64;
    const acc = b + panels * 8 * kp + 64;
    for (let i = 0; i < m * kp; ++i) u8[a + i] = (i * 37) & 127;
    for (let i = 0; i < panels * 8 * kp; ++i) u8[b + i] = (i * 101) & 255;
    const ms = time(() => kernel.hb_gemm_u7s8(a, kp, b, kp, acc, panels * 8, m, panels), reps);
    const g = (m * k * n) / (ms * 1e6);
    gemms.push({ m, k, n, ms, gmacs: g, fractionOfRelaxedPeak: g / peaks.relaxed });
  }
  return { peaks, gemms };
}

async function main() {
  if (!fs.existsSync(KERNEL)) throw new Error(`missing ${path.relative(ROOT, KERNEL)}: run npm run build:wasm (needs clang-19, lld-19)`);
  const peakBytes = Array.from(buildPeak());
  const kernelBytes = Array.from(fs.readFileSync(KERNEL));
  const server = http.createServer((req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>bench</title>'));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    const shapes = [[128, 384, 1536], [128, 1536, 384], [128, 768, 768], [128, 768, 3072], [128, 3072, 768]];
    const result = await page.evaluate(pageBench, { peakBytes, kernelBytes, shapes, reps: QUICK ? 5 : 21 });
    const out = {
      date: new Date().toISOString(),
      machine: { cpu: (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1], loadavg: os.loadavg() },
      chromium: browser.version(),
      ...result,
    };
    fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, 'bench/results/relaxed_kernel.json'), `${JSON.stringify(out, null, 1)}\n`);
    console.log(`Chromium ${out.chromium}, ${out.machine.cpu}, load ${out.machine.loadavg.map((x) => x.toFixed(1)).join(' ')}`);
    console.log(`peak: relaxed_dot_i8x16_i7x16_add ${result.peaks.relaxed.toFixed(1)} G int8-MAC/s, dot_i16x8 + add ${result.peaks.dot16.toFixed(1)} G (${(result.peaks.relaxed / result.peaks.dot16).toFixed(2)}x)`);
    for (const g of result.gemms) {
      console.log(`hb_gemm_u7s8 m=${g.m} k=${g.k} n=${g.n}: ${g.ms.toFixed(3)} ms, ${g.gmacs.toFixed(1)} G int8-MAC/s = ${(100 * g.fractionOfRelaxedPeak).toFixed(0)}% of the relaxed peak`);
    }
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
