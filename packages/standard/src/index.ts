import { coreBlocks, createBlockRegistry, loadPlugins, pluginNamesFromEnv, type AnyBlock, type BlockRegistry, type LoadedPlugin } from '@vad/core';
import { detectionBlocks } from '@vad/blocks-detection';
import { embeddingBlocks } from '@vad/blocks-embedding';
import { outlierBlocks } from '@vad/outliers';
import { patchcoreBlocks } from '@vad/patchcore';
import { visualizeBlocks } from '@vad/visualize';

/** Every block that ships with vad, each package's in turn. */
export function standardBlocks(): AnyBlock[] {
  return [...coreBlocks(), ...visualizeBlocks(), ...outlierBlocks(), ...embeddingBlocks(), ...detectionBlocks(), ...patchcoreBlocks()];
}

export interface StandardRegistry {
  registry: BlockRegistry;
  plugins: LoadedPlugin[];
}

/**
 * The standard blocks plus the plugins named in `plugins` (default: `VAD_PLUGINS`), resolved
 * from `from` (default: the working directory). A type name claimed twice is an error naming
 * both packages.
 */
export async function createStandardRegistry(options: { plugins?: readonly string[]; from?: string } = {}): Promise<StandardRegistry> {
  const plugins = await loadPlugins(options.plugins ?? pluginNamesFromEnv(), { from: options.from });
  const origin = new Map<AnyBlock, string>();
  for (const plugin of plugins) for (const block of plugin.blocks) origin.set(block, plugin.packageName);
  const registry = createBlockRegistry([...standardBlocks(), ...plugins.flatMap((p) => p.blocks)], {
    source: (block) => origin.get(block) ?? 'vad',
  });
  return { registry, plugins };
}
