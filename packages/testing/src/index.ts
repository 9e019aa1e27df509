import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The shared data folder: `VAD_SHARED`, else `../shared` beside the repository. */
export function sharedRoot(): string {
  return path.resolve(process.env.VAD_SHARED ?? path.join(repositoryRoot, '..', 'shared'));
}

/**
 * The absolute path of `relative` inside the shared folder, or undefined when it is missing.
 * Under `CI=true` a missing path throws: CI always has the data, so a missing file is a failure,
 * never a silent skip. Elsewhere it prints why the test is skipped.
 */
export function sharedPath(relative: string): string | undefined {
  const full = path.join(sharedRoot(), relative);
  if (existsSync(full)) return full;
  const message = `shared data "${relative}" is missing at ${full} (set VAD_SHARED to the folder with datasets/ and models/)`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`skipping: ${message}`);
  return undefined;
}
export { renderText, type DrawnWord, type RenderedText, type TextToDraw } from './render-text.js';
