// The demo page: loads the embedded SST-2 model in a Web Worker (createWorker with no source),
// classifies as the user types (debounced; stale answers are dropped) and shows the label,
// confidence, the early-exit layer with per-layer confidence bars, latency and the attention
// pattern. window.__hbDemo exposes the last result for tests/browser/.
import { createWorker } from '../js/src/index.js';

const $ = (id) => document.getElementById(id);
const text = $('text');
const DEBOUNCE_MS = 150;
const state = { model: null, seq: 0, timer: 0 };
window.__hbDemo = { ready: false, result: null, error: null };

function setProgress({ status, loaded, total }) {
  const bar = $('load-progress');
  const mb = (b) => (b / 1e6).toFixed(1);
  if (status === 'progress' && total) {
    bar.value = Math.min(100, (100 * loaded) / total);
    $('load-status').textContent = `Downloading the model… ${mb(loaded)} of ${mb(total)} MB`;
  } else if (status === 'compile') {
    bar.value = 100;
    $('load-status').textContent = 'Preparing the model…';
  }
}

function showError(message) {
  window.__hbDemo.error = message;
  $('result').dataset.state = 'error';
  $('summary').replaceChildren(Object.assign(document.createElement('p'), { textContent: `Error: ${message}` }));
}

/**
 * The core's description of the attention that ran ("dense", "truncated(128 of 412)",
 * "sliding_window(256)+global(1)", "chunked(3x128)") in words.
 */
function describeAttention(attention, tokens) {
  const t = /^truncated\((\d+) of (\d+)\)$/.exec(attention);
  if (t) return `dense, ${t[2]} tokens, truncated to ${t[1]}`;
  if (attention === 'dense') return `dense, ${tokens} tokens`;
  return `${attention.replace(/_/g, ' ')}, ${tokens} tokens`;
}

function renderLayers(r, numLayers) {
  const items = [];
  const byLayer = new Map(r.layers.map((l) => [l.layer, l]));
  for (let layer = 1; layer <= numLayers; ++layer) {
    const li = document.createElement('li');
    const l = byLayer.get(layer);
    const name = Object.assign(document.createElement('span'), { textContent: `Layer ${layer}` });
    const track = document.createElement('div');
    track.className = 'track';
    const value = document.createElement('span');
    if (l === undefined) {
      li.className = 'skipped';
      value.textContent = layer > r.exitLayer ? 'skipped' : 'no exit head';
      track.setAttribute('aria-hidden', 'true');
    } else {
      const fill = document.createElement('div');
      fill.className = 'fill';
      fill.style.width = `${(100 * l.score).toFixed(1)}%`;
      track.append(fill);
      track.setAttribute('role', 'img');
      track.setAttribute('aria-label', `${l.label} ${(100 * l.score).toFixed(0)} percent`);
      value.textContent = `${l.label} ${(100 * l.score).toFixed(0)}%`;
      if (layer === r.exitLayer) li.className = `exit ${l.label}`;
    }
    li.append(name, track, value);
    items.push(li);
  }
  $('layers').replaceChildren(...items);
}

async function classifyNow() {
  const value = text.value;
  const seq = ++state.seq;
  if (value.trim() === '') {
    $('result').dataset.state = 'idle';
    $('summary').replaceChildren(Object.assign(document.createElement('p'), { className: 'muted', textContent: 'Waiting for text.' }));
    return;
  }
  $('result').dataset.state = 'busy';
  const t0 = performance.now();
  try {
    const r = await state.model.classify(value);
    const roundTrip = performance.now() - t0;
    if (seq !== state.seq) return; // a newer request is on its way
    const label = Object.assign(document.createElement('p'), { className: `label ${r.label}`, textContent: r.label });
    const conf = Object.assign(document.createElement('p'), { textContent: `${(100 * r.score).toFixed(1)}% confident` });
    $('summary').replaceChildren(label, conf);
    $('exit').textContent = `${r.exitLayer} of ${state.model.info.numLayers}`;
    $('latency').textContent = `${r.timeMs.toFixed(1)} ms (${roundTrip.toFixed(1)} ms round trip)`;
    $('attention').textContent = describeAttention(r.attention, r.tokens);
    renderLayers(r, state.model.info.numLayers);
    $('result').dataset.state = 'done';
    window.__hbDemo.result = { text: value, ...r };
  } catch (e) {
    if (seq === state.seq) showError(`${e.message} (${e.code})`);
  }
}

text.addEventListener('input', () => {
  clearTimeout(state.timer);
  state.timer = setTimeout(classifyNow, DEBOUNCE_MS);
});

async function addExamples() {
  let lines = [];
  try {
    lines = (await (await fetch('example-texts.txt')).text()).split('\n').filter((l) => l.trim() !== '');
  } catch {
    return;
  }
  $('examples').replaceChildren(...lines.map((line) => {
    const b = Object.assign(document.createElement('button'), { type: 'button', textContent: line, title: line });
    b.addEventListener('click', () => {
      text.value = line;
      text.focus();
      classifyNow();
    });
    return b;
  }));
}

async function main() {
  addExamples();
  try {
    // Threads need cross-origin isolation (npm run demo sends COOP/COEP); otherwise one thread.
    const numThreads = self.crossOriginIsolated ? Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1)) : 1;
    state.model = await createWorker(undefined, { onProgress: setProgress, numThreads });
  } catch (e) {
    $('load-status').textContent = `Could not load the model: ${e.message}`;
    showError(e.message);
    return;
  }
  const info = state.model.info;
  $('loading').hidden = true;
  text.disabled = false;
  text.focus();
  $('runtime').textContent = `Model: ${info.architecture}, ${info.numLayers} layers, hidden size ${info.hiddenSize}, ` +
    `${info.dtype}, labels ${info.labels.join(' / ')}, max ${info.maxLength} tokens. ` +
    `${info.numThreads} thread${info.numThreads > 1 ? 's' : ''}` +
    `${self.crossOriginIsolated ? '.' : ' (the page is not cross-origin isolated).'}`;
  window.__hbDemo.ready = true;
  if (text.value.trim() !== '') classifyNow();
}

main();
