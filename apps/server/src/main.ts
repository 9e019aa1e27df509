#!/usr/bin/env node
import { createServer } from './server.js';

/** `pnpm start`: configuration from the environment (README.md has the table). */
const server = await createServer();
const address = await server.listen();
server.context.log.info({ address, models: server.context.config.modelsDir, workflows: server.context.config.workflowsDirs }, `vad server listening on ${address} — open it in a browser`);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) process.exit(1);
    closing = true;
    server.context.log.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
