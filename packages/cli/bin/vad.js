#!/usr/bin/env node
// Committed launcher: pnpm links a package's bin at install time, before `pnpm build` has made
// dist/, so the bin must exist in the repository. It loads the built CLI, or says how to build it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(fileURLToPath(built))) {
  process.stderr.write('vad: the CLI is not built yet (packages/cli/dist/bin.js is missing): run `pnpm build` in the repository first\n');
  process.exit(1);
}
await import(built.href);
