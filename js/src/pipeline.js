// pipeline(task, source): a transformers.js-shaped front end over load(), for people switching.
// Output shapes follow transformers.js (`[{label, score}]`, a `{data, dims}` tensor-like object,
// `[{entity, score, index, word, start, end}]`); options accept both camelCase and snake_case.
import { ErrorCode, invalidArgument, makeError } from './errors.js';
import { load } from './load.js';
import { checkOptionsObject, describe } from './validate.js';

const TASKS = {
  'sentiment-analysis': 'sequence-classification',
  'text-classification': 'sequence-classification',
  'feature-extraction': null, // any model
  'token-classification': 'token-classification',
  ner: 'token-classification',
};

function tensor(rows) {
  const hidden = rows.length ? rows[0].length : 0;
  const data = new Float32Array(rows.length * hidden);
  rows.forEach((r, i) => data.set(r, i * hidden));
  return {
    type: 'float32',
    data,
    dims: [rows.length, hidden],
    tolist: () => rows.map((r) => Array.from(r)),
  };
}

function makeRunner(task, model) {
  if (TASKS[task] === 'sequence-classification') {
    return (texts, options) => {
      const o = checkOptionsObject(options, task);
      const topK = o.topK ?? o.top_k ?? 1;
      const rs = model.classify(texts, { topK, ...(o.maxLength ? { maxLength: o.maxLength } : {}) });
      const shape = (r) => Object.entries(r.scores).map(([label, score]) => ({ label, score }));
      if (!Array.isArray(texts)) return shape(rs);
      return rs.map((r) => (topK === 1 ? shape(r)[0] : shape(r)));
    };
  }
  if (task === 'feature-extraction') {
    return (texts, options) => {
      const o = checkOptionsObject(options, task);
      const pooling = o.pooling ?? 'mean';
      if (pooling === 'none') {
        throw makeError("pooling 'none' (per-token embeddings) is not supported; use 'mean', 'cls' or 'pooler'", {
          code: ErrorCode.UNSUPPORTED,
        });
      }
      const rows = model.embed(Array.isArray(texts) ? texts : [texts], { pooling, normalize: o.normalize ?? false });
      return tensor(rows);
    };
  }
  return (texts, options) => {
    const o = checkOptionsObject(options, task);
    const ignoreLabels = o.ignoreLabels ?? o.ignore_labels ?? ['O'];
    const shape = (tags) =>
      tags.map((t, index) => ({ entity: t.label, score: t.score, index, word: t.token, start: t.start, end: t.end }));
    const rs = model.tagTokens(texts, { ignoreLabels });
    return Array.isArray(texts) ? rs.map(shape) : shape(rs);
  };
}

export async function pipeline(task, source, options) {
  if (typeof task !== 'string' || !Object.hasOwn(TASKS, task)) {
    invalidArgument(
      `task must be one of [${Object.keys(TASKS).map((t) => `'${t}'`).join(', ')}], got ${typeof task === 'string' ? `'${task}'` : describe(task)}`,
    );
  }
  const model = await load(source, options);
  const needed = TASKS[task];
  if (needed !== null && model.info.task !== needed) {
    const has = model.info.task;
    model.dispose();
    throw makeError(`the '${task}' pipeline needs a ${needed} model, but this model is a ${has} (${model.info.architecture})`, {
      code: ErrorCode.UNSUPPORTED_TASK,
    });
  }
  const run = makeRunner(task, model);
  const pipe = async (texts, opts) => run(texts, opts);
  pipe.task = task;
  pipe.model = model;
  pipe.dispose = () => model.dispose();
  if (typeof Symbol.dispose === 'symbol') pipe[Symbol.dispose] = pipe.dispose;
  return pipe;
}
