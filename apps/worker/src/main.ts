#!/usr/bin/env node
import { createVadWorker } from './worker.js';

/** `pnpm --filter @vad/worker start`: configuration from the environment (README.md has the table). */
const worker = await createVadWorker();

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) process.exit(1);
    closing = true;
    worker.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
