#!/usr/bin/env node
// `npx hummingbert`: the npm twin of the native CLI (src/cli/main.cc), running the WebAssembly
// build. Same commands, options, exit codes and JSON Lines output (key order, %.9g floats and
// string escaping included), so tests/cli/run_cli_tests.mjs checks both front ends.
// `--threads N` is validated as natively but the single-threaded WebAssembly build runs on one.
import { readFileOrThrow } from './src/load-source.js';
import { convertWithSummary } from './src/load.js';
import { HummingbertError, load, loadModel, loadTokenizer, version } from './src/index.js';

const USAGE = `usage:
  hummingbert run [--model DIR|FILE.hbm] --input FILE [--max-length N] [--batch-size N] [--pairs]
                  [--embeddings] [--normalize] [--threads N] [--dtype int8|fp32]
                  [--int8-activations int8|u7]
                  [--early-exit default|off|entropy|max-prob|patience]
                  [--exit-threshold X] [--exit-patience K]
                  [--attention default|dense|sliding-window] [--window W] [--global P,P,...]
                  [--long-input truncate|chunk] [--max-text-bytes N] [--max-total-tokens N]
  hummingbert tokenize (--model DIR | --vocab FILE [--cased]) --input FILE [--max-length N]
                  [--pairs] [--offsets codepoint|utf16|byte] [--max-text-bytes N]
  hummingbert classify TEXT... [--model M] [--input FILE] [--json] [--max-length N] [--threads N]
                  [--early-exit default|off|entropy|max-prob|patience] [--exit-threshold X]
  hummingbert embed TEXT... [--model M] [--pooling mean|cls|pooler] [--normalize]
  hummingbert tokenize TEXT... [--model M]
  hummingbert convert HF_DIR -o MODEL_FILE [--dtype int8|fp16|fp32]
  hummingbert bench [--model M] [--seconds S] [--batch-size N] [--threads N]
  hummingbert --version

  --input FILE   UTF-8 text, one input per line ("-" reads stdin). With --pairs, each line
                 holds two texts separated by a tab.
  --max-text-bytes N    limit on one input line's UTF-8 bytes (default 1048576)
  --max-total-tokens N  limit on the tokens run per batch (default 1048576)
  Output: JSON Lines on stdout, one object per input line.

  M is a .hbm model file, a Hugging Face model folder or a model URL; without --model,
  classify/embed/tokenize/bench use the SST-2 sentiment demo model shipped in the package.
  Progress bars go to stderr, and only when it is a terminal.
`;

class UsageError extends Error {}

// ---------------------------------------------------------------- JSON as src/cli/json_writer.h

/** C printf("%.9g") of a float widened to double. */
function formatFloat(x) {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [, sign, lead, frac, expText] = /^(-?)(\d)\.(\d+)e([+-]\d+)$/.exec(x.toExponential(8));
  const exp = Number(expText);
  if (exp < -4 || exp >= 9) {
    const mantissa = `${lead}.${frac}`.replace(/\.?0+$/, '');
    const e = Math.abs(exp);
    return `${sign}${mantissa}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  return x.toFixed(8 - exp).replace(/\.0*$|(\.\d*?)0+$/, '$1');
}

function jsonString(s) {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

const floats = (v) => `[${Array.from(v, formatFloat).join(',')}]`;
const ints = (v) => `[${Array.from(v, String).join(',')}]`;
const strings = (v) => `[${v.map(jsonString).join(',')}]`;

function jsonObject(fields) {
  return `{${fields.map(([k, v]) => `${jsonString(k)}:${v}`).join(',')}}`;
}

// ---------------------------------------------------------------- arguments

function parseIntArg(s) {
  // As strtol(s, &end, 10) with the whole string consumed, then 0 <= v <= 2^30.
  if (!/^\s*[+-]?\d+$/.test(s)) return null;
  const v = Number(s.trim());
  return v < 0 || v > 2 ** 30 ? null : v;
}

function parseFloatArg(s) {
  // As strtof(s, &end) with the whole string consumed (decimal forms, inf, nan; "" gives 0).
  if (s === '') return 0;
  const m = /^\s*([+-]?)(?:(inf(?:inity)?)|(nan)|(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))$/i.exec(s);
  if (!m) return null;
  if (m[3]) return NaN;
  const x = m[2] ? Infinity : Math.fround(Number(m[4]));
  return m[1] === '-' ? -x : x;
}

function parseArgs(argv) {
  if (argv.length < 1) throw new UsageError('missing command');
  const a = {
    command: argv[0],
    model: '',
    vocab: '',
    input: '',
    maxLength: 0,
    batchSize: 32,
    threads: 1,
    earlyExit: 'default',
    exitThreshold: -1,
    exitPatience: 0,
    cased: false,
    pairs: false,
    embeddings: false,
    normalize: false,
    offsets: 'codepoint',
    dtype: '',
    int8Activations: '',
    attention: 'default',
    window: 0,
    globalPositions: [],
    longInput: 'truncate',
    maxTextBytes: 0,
    maxTotalTokens: 0,
  };
  for (let i = 1; i < argv.length; ++i) {
    const f = argv[i];
    const value = () => (i + 1 < argv.length ? argv[++i] : null);
    let v;
    switch (f) {
      case '--model':
      case '--vocab':
      case '--input':
        if ((v = value()) === null) throw new UsageError(`${f} needs a value`);
        a[f.slice(2)] = v;
        break;
      case '--max-length':
        v = value();
        a.maxLength = v === null ? null : parseIntArg(v);
        if (a.maxLength === null || a.maxLength < 2) throw new UsageError('--max-length needs an integer >= 2');
        break;
      case '--max-text-bytes':
      case '--max-total-tokens': {
        const key = f === '--max-text-bytes' ? 'maxTextBytes' : 'maxTotalTokens';
        v = value();
        a[key] = v === null ? null : parseIntArg(v);
        if (a[key] === null || a[key] < 1) throw new UsageError(`${f} needs a positive integer`);
        break;
      }
      case '--batch-size':
        v = value();
        a.batchSize = v === null ? null : parseIntArg(v);
        if (a.batchSize === null || a.batchSize < 1) throw new UsageError('--batch-size needs a positive integer');
        break;
      case '--threads':
        v = value();
        a.threads = v === null ? null : parseIntArg(v);
        if (a.threads === null || a.threads < 1 || a.threads > 256) {
          throw new UsageError('--threads needs an integer in [1, 256]');
        }
        break;
      case '--early-exit':
        if ((v = value()) === null) throw new UsageError('--early-exit needs a value');
        if (!['default', 'off', 'entropy', 'max-prob', 'patience'].includes(v)) {
          throw new UsageError('--early-exit must be one of default, off, entropy, max-prob, patience');
        }
        a.earlyExit = v;
        break;
      case '--exit-threshold':
        v = value();
        a.exitThreshold = v === null ? null : parseFloatArg(v);
        if (a.exitThreshold === null || !(a.exitThreshold >= 0)) {
          throw new UsageError('--exit-threshold needs a non-negative number');
        }
        break;
      case '--exit-patience':
        v = value();
        a.exitPatience = v === null ? null : parseIntArg(v);
        if (a.exitPatience === null || a.exitPatience < 1) throw new UsageError('--exit-patience needs a positive integer');
        break;
      case '--dtype':
        if ((v = value()) === null || !['int8', 'fp32'].includes(v)) throw new UsageError('--dtype must be one of int8, fp32');
        a.dtype = v;
        break;
      case '--int8-activations':
        if ((v = value()) === null || !['int8', 'u7'].includes(v)) throw new UsageError('--int8-activations must be one of int8, u7');
        a.int8Activations = v;
        break;
      case '--attention':
        if ((v = value()) === null) throw new UsageError('--attention needs a value');
        if (!['default', 'dense', 'sliding-window', 'sliding_window'].includes(v)) {
          throw new UsageError('--attention must be one of default, dense, sliding-window');
        }
        a.attention = v === 'sliding_window' ? 'sliding-window' : v;
        break;
      case '--window':
        v = value();
        a.window = v === null ? null : parseIntArg(v);
        if (a.window === null || a.window < 2) throw new UsageError('--window needs an integer >= 2');
        break;
      case '--global':
        if ((v = value()) === null) throw new UsageError('--global needs comma-separated token positions');
        for (const p of v.split(',')) {
          const n = parseIntArg(p);
          if (n === null) throw new UsageError('--global needs comma-separated token positions >= 0');
          a.globalPositions.push(n);
        }
        break;
      case '--long-input':
        if ((v = value()) === null) throw new UsageError('--long-input needs a value');
        if (!['truncate', 'chunk'].includes(v)) throw new UsageError('--long-input must be one of truncate, chunk');
        a.longInput = v;
        break;
      case '--offsets':
        if ((v = value()) === null) throw new UsageError('--offsets needs a value');
        if (!['codepoint', 'utf16', 'byte'].includes(v)) {
          throw new UsageError('--offsets must be one of codepoint, utf16, byte');
        }
        a.offsets = v;
        break;
      case '--cased':
      case '--pairs':
      case '--embeddings':
      case '--normalize':
        a[f.slice(2)] = true;
        break;
      default:
        throw new UsageError(`unknown option '${f}'`);
    }
  }
  return a;
}

// ---------------------------------------------------------------- input

async function readInput(file) {
  if (file === '-') {
    const chunks = [];
    for await (const chunk of process.stdin) chunks.push(chunk);
    return Buffer.concat(chunks);
  }
  const fs = await import('node:fs/promises');
  return Buffer.from(await readFileOrThrow(fs, file));
}

/** Lines as UTF-8 bytes (invalid UTF-8 is reported by the core, naming the line). */
function splitLines(data) {
  const lines = [];
  let pos = 0;
  while (pos < data.length) {
    let nl = data.indexOf(0x0a, pos);
    if (nl < 0) nl = data.length;
    let line = data.subarray(pos, nl);
    if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
    lines.push(line);
    pos = nl + 1;
  }
  return lines;
}

function toInputs(lines, pairs) {
  return lines.map((l) => {
    const tab = pairs ? l.indexOf(0x09) : -1;
    return tab < 0 ? l : [l.subarray(0, tab), l.subarray(tab + 1)];
  });
}

function withLine(e, prefix) {
  if (e instanceof HummingbertError) return new HummingbertError(`${prefix}${e.message}`, { code: e.code });
  return e;
}

// ---------------------------------------------------------------- classify, embed, tokenize TEXT, convert, bench

/** A one-line progress bar on stderr; a no-op unless stderr is a terminal. */
function progressBar(label) {
  if (!process.stderr.isTTY) return { update() {}, done() {} };
  let last = -1;
  return {
    update(fraction, detail = '') {
      const pct = Math.max(0, Math.min(100, Math.floor(fraction * 100)));
      if (pct === last) return;
      last = pct;
      const width = 30;
      const fill = Math.round((pct / 100) * width);
      process.stderr.write(`\r${label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${String(pct).padStart(3)}% ${detail}\x1b[K`);
    },
    done() {
      if (last >= 0) process.stderr.write('\r\x1b[K');
    },
  };
}

const SIMPLE_FLAGS = {
  '--model': 'string', '--input': 'string', '--pooling': 'string', '--dtype': 'string', '-o': 'string',
  '--output': 'string', '--early-exit': 'string', '--exit-threshold': 'number', '--max-length': 'int',
  '--seconds': 'number', '--batch-size': 'int', '--threads': 'int', '--json': 'bool', '--normalize': 'bool',
};

function parseSimpleArgs(argv) {
  const a = { command: argv[0], texts: [] };
  for (let i = 1; i < argv.length; ++i) {
    const f = argv[i];
    if (!f.startsWith('-') || f === '-') {
      a.texts.push(f);
      continue;
    }
    const kind = SIMPLE_FLAGS[f];
    if (kind === undefined) throw new UsageError(`unknown option '${f}' for ${a.command}`);
    const key = f === '-o' ? 'output' : f.slice(2).replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (kind === 'bool') {
      a[key] = true;
      continue;
    }
    if (i + 1 >= argv.length) throw new UsageError(`${f} needs a value`);
    const v = argv[++i];
    if (kind === 'string') a[key] = v;
    else if (kind === 'int') {
      a[key] = parseIntArg(v);
      if (a[key] === null || a[key] < 1) throw new UsageError(`${f} needs a positive integer`);
    } else {
      a[key] = parseFloatArg(v);
      if (a[key] === null || !(a[key] >= 0)) throw new UsageError(`${f} needs a non-negative number`);
    }
  }
  return a;
}

async function loadWithBar(source, numThreads = 1) {
  const bar = progressBar('loading model');
  try {
    return await load(source, {
      numThreads,
      onProgress: (p) => {
        // Small models load in an instant: draw only for the download/read of big inputs.
        if (p.status === 'progress' && p.total > 50e6) bar.update(p.loaded / p.total, `${(p.loaded / 1e6).toFixed(0)} MB`);
      },
    });
  } finally {
    bar.done();
  }
}

async function inputTexts(a) {
  const texts = [...a.texts];
  if (a.input) {
    const lines = splitLines(await readInput(a.input)).map((l) => Buffer.from(l).toString('utf8'));
    texts.push(...lines);
  }
  if (texts.length === 0) throw new UsageError(`${a.command} needs TEXT arguments or --input FILE`);
  return texts;
}

/** Runs fn over texts in chunks of 64, with a progress bar for large inputs. */
function chunked(texts, fn) {
  const bar = texts.length > 256 ? progressBar(`${texts.length} texts`) : progressBar('');
  const out = [];
  for (let i = 0; i < texts.length; i += 64) {
    out.push(...fn(texts.slice(i, i + 64)));
    if (texts.length > 256) bar.update(Math.min(1, (i + 64) / texts.length), `${Math.min(texts.length, i + 64)}/${texts.length}`);
  }
  bar.done();
  return out;
}

async function classifyCommand(a, out) {
  const texts = await inputTexts(a);
  const model = await loadWithBar(a.model, a.threads);
  const options = {};
  if (a.maxLength) options.maxLength = a.maxLength;
  if (a.earlyExit) options.earlyExit = a.earlyExit;
  if (a.exitThreshold !== undefined) options.exitThreshold = a.exitThreshold;
  const results = chunked(texts, (chunk) => model.classify(chunk, options));
  const n = model.info.numLayers;
  out(results.map((r, i) => (a.json
    ? `${JSON.stringify({ text: texts[i], ...r })}\n`
    : `${r.label}\t${r.score.toFixed(4)}\texit layer ${r.exitLayer}/${n}\t${r.timeMs.toFixed(1)} ms\t${texts[i]}\n`)).join(''));
  model.dispose();
}

async function embedCommand(a, out) {
  const texts = await inputTexts(a);
  const model = await loadWithBar(a.model, a.threads);
  const options = { pooling: a.pooling ?? 'mean', normalize: a.normalize ?? false };
  if (a.maxLength) options.maxLength = a.maxLength;
  const rows = chunked(texts, (chunk) => model.embed(chunk, options));
  out(rows.map((v, i) => `${jsonObject([['text', jsonString(texts[i])], ['embedding', floats(v)]])}\n`).join(''));
  model.dispose();
}

async function tokenizeTextCommand(a, out) {
  const texts = await inputTexts(a);
  const model = await loadWithBar(a.model);
  out(texts.map((t) => {
    const e = model.tokenize(t);
    const offsets = `[${e.offsets.map(([b, en]) => `[${b},${en}]`).join(',')}]`;
    return `${jsonObject([['ids', ints(e.ids)], ['tokens', strings(e.tokens)], ['offsets', offsets]])}\n`;
  }).join(''));
  model.dispose();
}

async function convertCommand(a) {
  // Messages and exit codes as the native `hummingbert convert` (src/cli/convert_command.cc).
  if (a.texts.length > 1) throw new UsageError(`convert takes one HF_DIR, got '${a.texts[0]}' and '${a.texts[1]}'`);
  const dir = a.texts[0];
  if (!dir) throw new UsageError('convert needs an HF_DIR (a Hugging Face model folder)');
  if (!a.output) throw new UsageError('convert needs -o MODEL_FILE');
  const dtype = a.dtype ?? 'int8';
  if (!['int8', 'fp16', 'fp32'].includes(dtype)) throw new UsageError(`--dtype must be one of int8, fp16, fp32; got '${dtype}'`);
  const bar = progressBar('converting');
  bar.update(0.05, 'reading');
  let summary;
  try {
    summary = await convertWithSummary(dir, { dtype });
    bar.update(0.9, 'writing');
    const fs = await import('node:fs/promises');
    const tmp = `${a.output}.tmp`;
    try {
      await fs.writeFile(tmp, summary.bytes);
      await fs.rename(tmp, a.output);
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw new HummingbertError(`cannot write '${a.output}': ${e.message}`, { code: 'IO_ERROR' });
    }
  } finally {
    bar.done();
  }
  const mb = (b) => `${(b / 1e6).toFixed(2)} MB`;
  const ratio = summary.inputBytes ? (100 * summary.outputBytes) / summary.inputBytes : 0;
  process.stderr.write(`converted ${dir} (${mb(summary.inputBytes)}) -> ${a.output} (${mb(summary.outputBytes)}, ${dtype}, ` +
    `${ratio.toFixed(1)}% of the input${summary.numExitHeads ? `, ${summary.numExitHeads} exit heads` : ''})\n`);
}

const BENCH_TEXTS = [
  'I loved it.',
  'A gorgeous, witty, seductive movie.',
  'The plot is paper-thin and the acting is wooden, but the score is lovely.',
  'An utterly forgettable sequel that squanders a talented cast on a script that seems to have been written over a long weekend.',
  'Not bad at all.',
  'It is a film that will have people walking out halfway through, and the ones who stay will wish they had left with them.',
];

async function benchCommand(a, out) {
  const model = await loadWithBar(a.model, a.threads);
  const seconds = a.seconds ?? 3;
  const batchSize = a.batchSize ?? 16;
  const batch = Array.from({ length: batchSize }, (_, i) => BENCH_TEXTS[i % BENCH_TEXTS.length]);
  const run = model.info.task === 'sequence-classification' ? (b) => model.classify(b) : (b) => model.embed(b);
  run(batch); // warm-up
  const bar = progressBar('bench');
  let texts = 0;
  let tokens = 0;
  let layers = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    const rs = run(batch);
    texts += rs.length;
    if (model.info.task === 'sequence-classification') {
      for (const r of rs) {
        tokens += r.tokens;
        layers += r.exitLayer;
      }
    }
    elapsed = performance.now() - t0;
    bar.update(elapsed / (seconds * 1000));
  }
  bar.done();
  const line = `${(texts / (elapsed / 1000)).toFixed(1)} texts/s` +
    (tokens ? `, ${(tokens / (elapsed / 1000)).toFixed(0)} tokens/s, mean exit layer ${(layers / texts).toFixed(2)}/${model.info.numLayers}` : '') +
    ` (batches of ${batchSize}, ${texts} texts in ${(elapsed / 1000).toFixed(2)} s, ${model.info.dtype}, ` +
    `${model.info.numThreads} thread${model.info.numThreads > 1 ? 's' : ''}, WebAssembly SIMD)\n`;
  out(line);
  model.dispose();
}

const SIMPLE_COMMANDS = {
  classify: classifyCommand,
  embed: embedCommand,
  tokenize: tokenizeTextCommand,
  convert: convertCommand,
  bench: benchCommand,
};

// ---------------------------------------------------------------- commands

/** --model of run/tokenize: a .hbm file (as the native Model::Load), else a Hugging Face folder. */
async function loadModelArg(path, dtype = '', int8Activations = '') {
  const options = { ...(dtype ? { dtype } : {}), ...(int8Activations ? { int8Activations } : {}) };
  const custom = Object.keys(options).length > 0;
  // No --model: the demo model shipped in the package (as the native CLI's built-in model).
  if (!path) return load(undefined, custom ? options : undefined);
  const fs = await import('node:fs/promises');
  const stat = await fs.stat(path).catch(() => null);
  if (stat === null) {
    throw new HummingbertError(`'${path}' does not exist (expected a model file or a model folder)`, { code: 'NOT_FOUND' });
  }
  const isFile = stat.isFile();
  // HF folders keep loadModel's messages for missing files (the shared CLI contract).
  if (isFile || custom) return load(path, custom ? options : undefined);
  return loadModel(path);
}

async function runCommand(a, out) {
  if (!a.input) throw new UsageError('run needs --input FILE');
  const model = await loadModelArg(a.model, a.dtype, a.int8Activations);
  const inputs = toInputs(splitLines(await readInput(a.input)), a.pairs);
  const { task } = model.info;
  const options = {
    maxLength: a.maxLength, embeddings: a.embeddings, normalize: a.normalize, earlyExit: a.earlyExit,
    attention: a.attention, globalPositions: a.globalPositions, longInput: a.longInput,
    // As the native CLI: the model's limits (0: defaults), batches of --batch-size.
    limits: { maxBatchSize: a.batchSize, ...(a.maxTextBytes ? { maxTextBytes: a.maxTextBytes } : {}), ...(a.maxTotalTokens ? { maxTotalTokens: a.maxTotalTokens } : {}) },
  };
  if (a.window > 0) options.window = a.window;
  if (a.exitThreshold >= 0) options.exitThreshold = a.exitThreshold;
  if (a.exitPatience > 0) options.exitPatience = a.exitPatience;
  for (let begin = 0; begin < inputs.length; begin += a.batchSize) {
    let results;
    try {
      results = model.run(inputs.slice(begin, begin + a.batchSize), options);
    } catch (e) {
      throw withLine(e, `line ${begin + 1}+: `);
    }
    const lines = results.map((r) => {
      const fields = [['ids', ints(r.ids)]];
      if (task === 'sequence-classification') {
        fields.push(['logits', floats(r.logits)], ['probs', floats(r.probs)], ['label', jsonString(r.label)]);
        fields.push(['exit_layer', String(r.exitLayer)]);
        const layers = r.layers.map((l) =>
          jsonObject([['layer', String(l.layer)], ['logits', floats(l.logits)], ['label', jsonString(l.label)]]));
        fields.push(['layers', `[${layers.join(',')}]`]);
      } else if (task === 'token-classification') {
        fields.push(['tokens', strings(r.tokens)]);
        fields.push(['logits', `[${r.logits.map(floats).join(',')}]`]);
        fields.push(['labels', strings(r.labels)]);
      }
      fields.push(['attention', jsonString(r.attention)]);
      if (r.cls !== undefined) {
        fields.push(['cls', floats(r.cls)], ['mean', floats(r.mean)]);
        if (r.pooler !== undefined) fields.push(['pooler', floats(r.pooler)]);
      }
      return `${jsonObject(fields)}\n`;
    });
    out(lines.join(''));
  }
  model.dispose();
}

async function tokenizeCommand(a, out) {
  if (!a.model === !a.vocab) throw new UsageError('tokenize needs exactly one of --model DIR or --vocab FILE');
  if (!a.input) throw new UsageError('tokenize needs --input FILE');
  const tokenizer = a.model ? await loadModelArg(a.model) : await loadTokenizer(a.vocab, { lowercase: !a.cased });
  const inputs = toInputs(splitLines(await readInput(a.input)), a.pairs);
  const limits = a.maxTextBytes ? { maxTextBytes: a.maxTextBytes } : undefined;
  const lines = [];
  inputs.forEach((input, i) => {
    let e;
    try {
      e = Array.isArray(input)
        ? tokenizer.tokenize(input[0], { pair: input[1], maxLength: a.maxLength, offsets: a.offsets, limits })
        : tokenizer.tokenize(input, { maxLength: a.maxLength, offsets: a.offsets, limits });
    } catch (err) {
      out(lines.join(''));
      throw withLine(err, `line ${i + 1}: `);
    }
    const offsets = `[${e.offsets.map(([b, en]) => `[${b},${en}]`).join(',')}]`;
    lines.push(
      `${jsonObject([['ids', ints(e.ids)], ['tokens', strings(e.tokens)], ['type_ids', ints(e.typeIds)], ['offsets', offsets]])}\n`,
    );
  });
  out(lines.join(''));
  tokenizer.dispose();
}

async function main(argv) {
  if (argv[0] === '--version') {
    process.stdout.write(`hummingbert ${version}\n`);
    return 0;
  }
  if (argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  const out = (s) => process.stdout.write(s);
  try {
    const simple = SIMPLE_COMMANDS[argv[0]];
    if (simple !== undefined && !(argv[0] === 'tokenize' && argv.includes('--input'))) {
      await simple(parseSimpleArgs(argv), out);
      return 0;
    }
    const a = parseArgs(argv);
    if (a.command === 'run') await runCommand(a, out);
    else if (a.command === 'tokenize') await tokenizeCommand(a, out);
    else throw new UsageError(`unknown command '${a.command}' (expected classify, embed, tokenize, convert, bench or run)`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`error: ${e.message}\n${USAGE}`);
      return 2;
    }
    if (e instanceof HummingbertError) {
      process.stderr.write(`error: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

// A closed pipe (`... | head`) ends the output quietly, as SIGPIPE ends the native CLI.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
// exitCode (not process.exit) so buffered stdout is flushed first.
process.exitCode = await main(process.argv.slice(2));
