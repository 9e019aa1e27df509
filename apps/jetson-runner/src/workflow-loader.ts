import { readFileSync } from 'node:fs';
import { coreBlocks, createBlockRegistry, createWorkflow, loadPlugins, VadError } from '@vad/core';
import type { AnyBlock, BlockRegistry, HostContext, Workflow, WorkflowDefinition } from '@vad/core';
import { RunnerConfigError, messageOf } from './errors.js';

/** Every block the runner ships with, plus plugin packages. */
export async function createRunnerRegistry(plugins: readonly string[] = []): Promise<BlockRegistry> {
  const blocks: AnyBlock[] = [...coreBlocks()];
  const source = new Map<AnyBlock, string>();
  for (const block of blocks) source.set(block, '@vad/core');
  for (const plugin of await loadPlugins(plugins)) {
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
