export { createVadWorker } from './worker.js';
export type { VadWorker } from './worker.js';
export { workerConfigFromEnv } from './config.js';
export type { WorkerConfig } from './config.js';
export { createModelMirror } from './model-mirror.js';
export type { ModelMirror } from './model-mirror.js';
