// `hummingbert/worker`: the worker API on its own (see index.d.ts for the documentation).
export { WorkerModel, createWorker } from './index.js';
