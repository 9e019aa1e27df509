import { createRequire } from 'node:module';
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

/** Imports each package (resolved from `from`, default the working directory) and collects its blocks. */
export async function loadPlugins(packageNames: readonly string[], options: { from?: string } = {}): Promise<LoadedPlugin[]> {
  const require = createRequire(path.join(path.resolve(options.from ?? process.cwd()), 'noop.js'));
  const loaded: LoadedPlugin[] = [];
  for (const packageName of packageNames) {
    let module: Record<string, unknown>;
    try {
      const resolved = resolveEntry(require, packageName);
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

function resolveEntry(require: NodeJS.Require, packageName: string): string {
  try {
    return require.resolve(packageName);
  } catch {
    // ESM-only packages have no "require" condition; find package.json and read its export.
    const manifestPath = require.resolve(`${packageName}/package.json`);
    const manifest = require(manifestPath) as { exports?: unknown; main?: string; module?: string };
    const root = typeof manifest.exports === 'string' ? manifest.exports : ((manifest.exports as Record<string, any>)?.['.'] ?? manifest.exports);
    const entry = typeof root === 'string' ? root : (root?.import?.default ?? root?.import ?? root?.default ?? manifest.module ?? manifest.main ?? 'index.js');
    return path.join(path.dirname(manifestPath), entry);
  }
}
