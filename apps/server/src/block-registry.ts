import { coreBlocks, createBlockRegistry, loadPlugins, type AnyBlock, type BlockRegistry } from '@vad/core';

/** The block packages this server composes, each exporting one function that returns its blocks. */
export const blockPackages = [
  { packageName: '@vad/visualize', exportName: 'visualizeBlocks' },
  { packageName: '@vad/outliers', exportName: 'outlierBlocks' },
  { packageName: '@vad/blocks-embedding', exportName: 'embeddingBlocks' },
  { packageName: '@vad/blocks-detection', exportName: 'detectionBlocks' },
  { packageName: '@vad/patchcore', exportName: 'patchcoreBlocks' },
] as const;

export interface RegistryReport {
  registry: BlockRegistry;
  /** Where each block type came from (`@vad/core`, a package, or `plugin:<name>`). */
  sources: Map<AnyBlock, string>;
  /** Packages that could not contribute blocks, with why (they are skipped, not fatal). */
  skipped: Array<{ packageName: string; reason: string }>;
  plugins: string[];
}

/**
 * Builds the registry: core blocks, the bundled block packages, then plugins named in
 * `VAD_PLUGINS`. A bundled package that fails to load is reported and skipped (the server still
 * runs the rest); a plugin that fails to load is fatal, because the user asked for it by name.
 */
export async function buildBlockRegistry(options: { plugins: readonly string[]; pluginsFrom: string }): Promise<RegistryReport> {
  const sources = new Map<AnyBlock, string>();
  const skipped: RegistryReport['skipped'] = [];
  const blocks: AnyBlock[] = [];
  const add = (list: readonly AnyBlock[], source: string) => {
    for (const block of list) {
      if (!sources.has(block)) sources.set(block, source);
      blocks.push(block);
    }
  };
  add(coreBlocks(), '@vad/core');
  const loaded = await Promise.all(
    blockPackages.map(async ({ packageName, exportName }) => {
      try {
        const module = (await import(packageName)) as Record<string, unknown>;
        const factory = module[exportName];
        if (typeof factory !== 'function') return { packageName, reason: `it does not export ${exportName}()` };
        return { packageName, blocks: ((await (factory as () => AnyBlock[] | Promise<AnyBlock[]>)()) ?? []) as AnyBlock[] };
      } catch (error) {
        return { packageName, reason: (error as Error).message };
      }
    }),
  );
  for (const result of loaded) {
    if ('blocks' in result && result.blocks) add(result.blocks, result.packageName);
    else if ('blocks' in result) skipped.push({ packageName: result.packageName, reason: 'its block factory returned nothing' });
    else skipped.push({ packageName: result.packageName, reason: result.reason ?? 'unknown' });
  }
  const plugins = await loadPlugins(options.plugins, { from: options.pluginsFrom });
  for (const plugin of plugins) add(plugin.blocks, `plugin:${plugin.packageName}`);
  const registry = createBlockRegistry(blocks, { source: (block) => sources.get(block) ?? 'unknown' });
  return { registry, sources, skipped, plugins: plugins.map((p) => p.packageName) };
}
