import { coreBlocks, createBlockRegistry, loadPlugins, pluginNamesFromEnv, type AnyBlock, type BlockRegistry, type LoadedPlugin } from '@vad/core';
import { cvBlocks } from '@vad/blocks-cv';
import { dataBlocks } from '@vad/blocks-data';
import { detectionBlocks } from '@vad/blocks-detection';
import { embeddingBlocks } from '@vad/blocks-embedding';
import { ocrBlocks } from '@vad/blocks-ocr';
import { industrialBlocks } from '@vad/blocks-industrial';
import { outlierBlocks } from '@vad/outliers';
import { patchcoreBlocks } from '@vad/patchcore';
import { visualizeBlocks } from '@vad/visualize';

const shipped: ReadonlyArray<readonly [packageName: string, blocks: () => AnyBlock[]]> = [
  ['@vad/core', coreBlocks],
  ['@vad/visualize', visualizeBlocks],
  ['@vad/outliers', outlierBlocks],
  ['@vad/blocks-embedding', embeddingBlocks],
  ['@vad/blocks-detection', detectionBlocks],
  ['@vad/patchcore', patchcoreBlocks],
  ['@vad/blocks-data', dataBlocks],
  ['@vad/blocks-cv', cvBlocks],
  ['@vad/blocks-ocr', ocrBlocks],
  ['@vad/blocks-industrial', industrialBlocks],
];

/** Every block that ships with vad, each package's in turn. */
export function standardBlocks(): AnyBlock[] {
  return shipped.flatMap(([, blocks]) => blocks());
}

export interface StandardRegistry {
  registry: BlockRegistry;
  /** The plugin packages (or module files) that were loaded, by name. */
  plugins: string[];
  /** Where each block came from: a vad package name, or `plugin:<name>`. */
  sources: Map<AnyBlock, string>;
}

/**
 * The standard blocks plus the plugins named in `plugins` (default: `VAD_PLUGINS`), resolved
 * from `from` (default: the working directory). A type name claimed twice is an error naming
 * both sources.
 */
export async function createStandardRegistry(options: { plugins?: readonly string[]; from?: string } = {}): Promise<StandardRegistry> {
  const loaded: LoadedPlugin[] = await loadPlugins(options.plugins ?? pluginNamesFromEnv(), { from: options.from });
  const sources = new Map<AnyBlock, string>();
  const add = (blocks: readonly AnyBlock[], source: string) => blocks.forEach((block) => sources.has(block) || sources.set(block, source));
  for (const [packageName, blocks] of shipped) add(blocks(), packageName);
  for (const plugin of loaded) add(plugin.blocks, `plugin:${plugin.packageName}`);
  const registry = createBlockRegistry(sources.keys(), { source: (block) => sources.get(block) ?? 'unknown' });
  return { registry, plugins: loaded.map((p) => p.packageName), sources };
}
