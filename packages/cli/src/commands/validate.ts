import { compileWorkflow, readWorkflowFile } from '@vad/core';
import { createStandardRegistry } from '@vad/standard';


/** Compiles a workflow file; throws the compile error (which names step, property and selector). */
export async function validateCommand(file: string, print: (text: string) => void): Promise<void> {
  const definition = await readWorkflowFile(file);
  const { registry } = await createStandardRegistry();
  const plan = compileWorkflow(definition, registry);
  print(`${file}: valid (${plan.inputs.length} inputs, ${plan.steps.length} steps, ${plan.outputs.length} outputs)`);
}
