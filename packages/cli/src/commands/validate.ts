import { compileWorkflow, explainWorkflow, readWorkflowFile, type WorkflowExplanation } from '@vad/core';
import { createStandardRegistry } from '@vad/standard';

/** Compiles a workflow file; throws the compile error (which names step, property and selector). */
export async function validateCommand(file: string, print: (text: string) => void): Promise<void> {
  const definition = await readWorkflowFile(file);
  const { registry } = await createStandardRegistry();
  const plan = compileWorkflow(definition, registry);
  print(`${file}: valid (${plan.inputs.length} inputs, ${plan.steps.length} steps, ${plan.outputs.length} outputs)`);
  for (const { stepName, property } of plan.ignoredProperties) print(`  step "${stepName}": property "${property}" ignored (its block has none; Roboflow ignores it too)`);
}

/**
 * `vad validate --explain`: every step, with the vad block it runs as or why it cannot run (a cloud
 * block, an unknown type, a wrong property, a step it needs). Returns whether the whole definition runs.
 */
export async function explainCommand(file: string, print: (text: string) => void): Promise<boolean> {
  const definition = await readWorkflowFile(file);
  const { registry } = await createStandardRegistry();
  const explanation = explainWorkflow(definition, registry);
  for (const line of explanationLines(file, explanation)) print(line);
  return explanation.runnable;
}

export function explanationLines(file: string, explanation: WorkflowExplanation): string[] {
  const running = explanation.steps.filter((s) => !s.problem).length;
  const lines = [`${file}: ${explanation.runnable ? 'valid' : 'not runnable'}, ${running} of ${explanation.steps.length} steps run in vad`];
  const width = Math.max(0, ...explanation.steps.map((s) => s.name.length));
  for (const step of explanation.steps) {
    const name = step.name.padEnd(width);
    const ignored = step.ignored ? ` (ignored, as Roboflow does: ${step.ignored.join(', ')})` : '';
    if (!step.problem) lines.push(`  runs     ${name}  ${step.type}${step.block !== step.type ? ` → ${step.block}` : ''}${ignored}`);
    else lines.push(`  ${step.problem.kind.padEnd(8)} ${name}  ${step.type}: ${step.problem.message}`);
  }
  for (const output of explanation.droppedOutputs) lines.push(`  output "${output.name}" left out: it ${output.message}`);
  if (explanation.workflowProblem) lines.push(`  workflow: ${explanation.workflowProblem}`);
  return lines;
}
