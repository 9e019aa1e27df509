import type { WorkflowOutput } from '../definition.js';
import { parseSelector } from '../definition.js';
import { fail } from './fail.js';
import type { CompiledOutput, CompiledStep } from './plan.js';
import type { InputsByName, StepsByName } from './state.js';

/** Pass 6: every output has a unique name and selects an input or an existing step output. */
export function compileOutputs(declared: readonly WorkflowOutput[], inputs: InputsByName, steps: StepsByName, compiled: readonly CompiledStep[]): CompiledOutput[] {
  const outputLevels = new Map(compiled.map((step) => [step.name, step.outputLevel]));
  const outputNames = new Set<string>();
  return declared.map((output, index): CompiledOutput => {
    if (!output || typeof output.name !== 'string' || output.name === '') fail(`output #${index} needs a "name"`, { property: `outputs[${index}]` });
    if (outputNames.has(output.name)) fail(`duplicate output name "${output.name}"`, { property: output.name });
    outputNames.add(output.name);
    const where = { property: `outputs.${output.name}`, selector: String(output.selector) };
    const selector = typeof output.selector === 'string' ? parseSelector(output.selector) : undefined;
    if (!selector || (selector.source === 'step' && selector.output === '')) fail('malformed selector', where);
    if (selector.source === 'input') {
      if (!inputs.has(selector.name)) fail(`output selects nothing: no input named "${selector.name}"`, where);
      return { name: output.name, binding: { type: 'input', name: selector.name }, level: inputs.get(selector.name)!.level, coordinatesSystem: output.coordinates_system ?? 'parent' };
    }
    const step = steps.get(selector.step);
    if (!step) fail(`output selects nothing: no step named "${selector.step}"`, where);
    if (selector.output !== '*' && !(selector.output in step.outputs)) {
      fail(`output selects nothing: step "${selector.step}" (${step.block.type}) has no output "${selector.output}" (it has: ${Object.keys(step.outputs).join(', ') || 'none'})`, where);
    }
    return {
      name: output.name,
      binding: { type: 'step', step: selector.step, output: selector.output },
      level: outputLevels.get(selector.step)!,
      coordinatesSystem: output.coordinates_system ?? 'parent',
    };
  });
}
