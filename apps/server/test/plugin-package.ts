import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const corePackage = fileURLToPath(new URL('../../../packages/core', import.meta.url));

/**
 * Writes a tiny plugin package, `vad-test-plugin`, into a temporary folder's node_modules, with
 * @vad/core linked in as its peer dependency. Its one block is stateful: it counts the frames
 * of each stream, which is what the stream tests need to see.
 */
export function writeTestPlugin(): { root: string; packageName: string; blockType: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'vad-plugin-'));
  const packageDir = path.join(root, 'node_modules', 'vad-test-plugin');
  mkdirSync(packageDir, { recursive: true });
  mkdirSync(path.join(root, 'node_modules', '@vad'), { recursive: true });
  symlinkSync(corePackage, path.join(root, 'node_modules', '@vad', 'core'), 'dir');
  writeFileSync(
    path.join(packageDir, 'package.json'),
    JSON.stringify({ name: 'vad-test-plugin', version: '1.0.0', type: 'module', exports: { '.': { import: './index.js' } }, peerDependencies: { '@vad/core': '*' } }),
  );
  writeFileSync(
    path.join(packageDir, 'index.js'),
    `import { defineBlock, field, z } from '@vad/core/contract';

export const frameCounter = defineBlock({
  specificationVersion: 'v1',
  type: 'test/frame_counter@v1',
  title: 'Frame Counter',
  description: 'Counts the frames of each stream (a stateful test block).',
  stateful: true,
  manifest: { image: field.image(), step: field.parameter(z.number().int().default(1), ['integer']) },
  outputs: { count: { kinds: ['integer'] }, width: { kinds: ['integer'] } },
  create: () => {
    let count = 0;
    return { run: ({ image, step }) => ({ count: (count += step), width: image.width }) };
  },
});

/** Waits, as a slow model would, and gives up when the run is cancelled. */
export const sleep = defineBlock({
  specificationVersion: 'v1',
  type: 'test/sleep@v1',
  title: 'Sleep',
  description: 'Waits for ms milliseconds (a slow test block that honours cancellation).',
  manifest: { image: field.image(), ms: field.parameter(z.number().int().min(0), ['integer']) },
  outputs: { slept: { kinds: ['integer'] } },
  create: () => ({
    run: ({ ms }, context) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => resolve({ slept: ms }), ms);
        context.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(context.signal.reason);
        }, { once: true });
      }),
  }),
});

export function vadBlocks() {
  return [frameCounter, sleep];
}
`,
  );
  return { root, packageName: 'vad-test-plugin', blockType: 'test/frame_counter@v1' };
}
