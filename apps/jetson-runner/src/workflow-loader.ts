import { createWorkflow, readWorkflowFile, VadError } from '@vad/core';
import type { BlockRegistry, HostContext, Workflow } from '@vad/core';
import { createStandardRegistry } from '@vad/standard';
import { RunnerConfigError } from './errors.js';

/** Every block vad ships with, plus plugin packages or module files (`./my-blocks.js`). */
export async function createRunnerRegistry(plugins: readonly string[] = []): Promise<BlockRegistry> {
  return (await createStandardRegistry({ plugins })).registry;
}

/** Reads and compiles the workflow file; errors keep their step/property/selector and gain the file path. */
export async function loadWorkflow(file: string, registry: BlockRegistry, host: HostContext): Promise<Workflow> {
  try {
    return createWorkflow(await readWorkflowFile(file), { registry, host });
  } catch (cause) {
    if (VadError.isInstance(cause)) {
      const message = cause.message.includes(file) ? cause.message : `workflow file ${file}: ${cause.message}`;
      throw new RunnerConfigError({ message, path: file, stepName: cause.stepName, property: cause.property, selector: cause.selector, cause });
    }
    throw cause;
  }
}
