import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import type { AnyBlock } from './blocks.js';
import { PluginLoadError } from './errors.js';

/**
 * A plugin is an npm package whose entry exports one function, `vadBlocks()`, returning its
 * blocks. Nothing registers itself at import time: the host calls `loadPlugins` explicitly.
 */
export interface LoadedPlugin {
  readonly packageName: string;
  readonly blocks: readonly AnyBlock[];
}

/** Package names from `VAD_PLUGINS` (comma or space separated). */
export function pluginNamesFromEnv(value = process.env.VAD_PLUGINS): string[] {
  return (value ?? '').split(/[\s,]+/).filter(Boolean);
}

/**
 * Imports each package (found from `from` upwards, default the working directory) and collects its
 * blocks. A name that is a path (`./my-blocks.js`, `/opt/blocks/index.js`) is imported as a module
 * file, for blocks that are not published as a package.
 */
export async function loadPlugins(packageNames: readonly string[], options: { from?: string } = {}): Promise<LoadedPlugin[]> {
  const from = path.resolve(options.from ?? process.cwd());
  const loaded: LoadedPlugin[] = [];
  for (const packageName of packageNames) {
    let module: Record<string, unknown>;
    try {
      const resolved = isModuleFile(packageName) ? path.resolve(from, packageName) : resolveEntry(from, packageName);
      module = (await import(pathToFileURL(resolved).href)) as Record<string, unknown>;
    } catch (cause) {
      throw new PluginLoadError({ message: `plugin "${packageName}" could not be imported: ${(cause as Error).message}`, path: packageName, cause });
    }
    if (typeof module.vadBlocks !== 'function') {
      throw new PluginLoadError({ message: `plugin "${packageName}" does not export a function "vadBlocks()" returning its blocks`, path: packageName });
    }
    const blocks = await (module.vadBlocks as () => unknown)();
    if (!Array.isArray(blocks) || blocks.some((b) => b?.specificationVersion !== 'v1' || typeof b.type !== 'string')) {
      throw new PluginLoadError({ message: `plugin "${packageName}": vadBlocks() must return an array of v1 blocks`, path: packageName });
    }
    loaded.push({ packageName, blocks });
  }
  return loaded;
}

function isModuleFile(name: string): boolean {
  return path.isAbsolute(name) || name.startsWith('./') || name.startsWith('../');
}

/** Finds `node_modules/<name>` from `from` upwards and reads its ESM entry from package.json. */
function resolveEntry(from: string, packageName: string): string {
  for (let directory = from; ; directory = path.dirname(directory)) {
    const folder = path.join(directory, 'node_modules', packageName);
    const manifestPath = path.join(folder, 'package.json');
    if (existsSync(manifestPath)) {
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports?: unknown; module?: string; main?: string };
      return path.join(folder, exportedEntry(manifest.exports) ?? manifest.module ?? manifest.main ?? 'index.js');
    }
    if (path.dirname(directory) === directory) throw new Error(`package "${packageName}" is not installed in ${from} or any folder above it`);
  }
}

/** The entry of an `exports` field for `import`: a string, `{".": …}`, or conditions. */
function exportedEntry(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (typeof exports !== 'object' || exports === null) return undefined;
  const record = exports as Record<string, unknown>;
  if ('.' in record) return exportedEntry(record['.']);
  for (const condition of ['import', 'node', 'default']) {
    const entry = exportedEntry(record[condition]);
    if (entry) return entry;
  }
  return undefined;
}
