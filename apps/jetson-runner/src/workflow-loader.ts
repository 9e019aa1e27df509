import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { coreBlocks, createBlockRegistry, createWorkflow, loadPlugins, PluginLoadError, VadError } from '@vad/core';
import type { AnyBlock, BlockRegistry, HostContext, LoadedPlugin, Workflow, WorkflowDefinition } from '@vad/core';
import { embeddingBlocks } from '@vad/blocks-embedding';
import { outlierBlocks } from '@vad/outliers';
import { patchcoreBlocks } from '@vad/patchcore';
import { visualizeBlocks } from '@vad/visualize';
import { RunnerConfigError, messageOf } from './errors.js';

/** Every block the runner ships with (core, embeddings, outliers, PatchCore, visualisation), plus plugin packages. */
export async function createRunnerRegistry(plugins: readonly string[] = []): Promise<BlockRegistry> {
  const source = new Map<AnyBlock, string>();
  const shipped: Array<[string, AnyBlock[]]> = [
    ['@vad/core', coreBlocks()],
    ['@vad/blocks-embedding', embeddingBlocks()],
    ['@vad/outliers', outlierBlocks()],
    ['@vad/patchcore', patchcoreBlocks()],
    ['@vad/visualize', visualizeBlocks()],
  ];
  const blocks: AnyBlock[] = [];
  for (const [packageName, list] of shipped) {
    for (const block of list) {
      blocks.push(block);
      source.set(block, packageName);
    }
  }
  const files = plugins.filter(isPluginFile);
  for (const plugin of [...(await loadPluginFiles(files)), ...(await loadPlugins(plugins.filter((name) => !isPluginFile(name))))]) {
    for (const block of plugin.blocks) {
      blocks.push(block);
      source.set(block, plugin.packageName);
    }
  }
  return createBlockRegistry(blocks, { source: (block) => source.get(block) ?? 'unknown' });
}

/** Reads a workflow definition file (Roboflow Workflows JSON; the `specification` wrapper of saved workflows is accepted). */
export function readWorkflowDefinition(file: string): WorkflowDefinition {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new RunnerConfigError({ message: `workflow file ${file} could not be read as JSON: ${messageOf(cause)}`, path: file, cause });
  }
  const definition = (value as { specification?: unknown })?.specification ?? value;
  const shape = definition as Partial<WorkflowDefinition>;
  if (typeof definition !== 'object' || definition === null || !Array.isArray(shape.inputs) || !Array.isArray(shape.steps) || !Array.isArray(shape.outputs)) {
    throw new RunnerConfigError({ message: `workflow file ${file} is not a workflow definition (it needs "inputs", "steps" and "outputs" arrays)`, path: file });
  }
  return definition as WorkflowDefinition;
}

/** Compiles the workflow file; compile errors keep their step/property/selector and gain the file path. */
export function loadWorkflow(file: string, registry: BlockRegistry, host: HostContext): Workflow {
  const definition = readWorkflowDefinition(file);
  try {
    return createWorkflow(definition, { registry, host });
  } catch (cause) {
    if (VadError.isInstance(cause)) {
      throw new RunnerConfigError({
        message: `workflow file ${file}: ${cause.message}`,
        path: file,
        stepName: cause.stepName,
        property: cause.property,
        selector: cause.selector,
        cause,
      });
    }
    throw cause;
  }
}

/** A plugin given as a module file (an edge box's own blocks, not published as a package). */
function isPluginFile(name: string): boolean {
  return path.isAbsolute(name) || name.startsWith('./') || name.startsWith('../');
}

async function loadPluginFiles(files: readonly string[]): Promise<LoadedPlugin[]> {
  const loaded: LoadedPlugin[] = [];
  for (const file of files) {
    let module: { vadBlocks?: unknown };
    try {
      module = (await import(pathToFileURL(path.resolve(file)).href)) as { vadBlocks?: unknown };
    } catch (cause) {
      throw new PluginLoadError({ message: `plugin file ${file} could not be imported: ${messageOf(cause)}`, path: file, cause });
    }
    const blocks = typeof module.vadBlocks === 'function' ? await (module.vadBlocks as () => unknown)() : undefined;
    if (!Array.isArray(blocks) || blocks.some((block) => block?.specificationVersion !== 'v1')) {
      throw new PluginLoadError({ message: `plugin file ${file} must export vadBlocks() returning an array of v1 blocks`, path: file });
    }
    loaded.push({ packageName: file, blocks: blocks as AnyBlock[] });
  }
  return loaded;
}
