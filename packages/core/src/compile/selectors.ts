import type { OutputsSpec } from '../blocks.js';
import { parseSelector } from '../definition.js';
import type { Kind } from '../kinds.js';
import { fail } from './fail.js';
import type { Binding } from './plan.js';
import type { InputsByName, StepsByName } from './state.js';

/** Resolves a selector written in a property to its binding and the kinds it carries. */
export function resolveSelector(
  text: string,
  where: { stepName: string; property: string },
  inputs: InputsByName,
  steps: StepsByName,
): { binding: Binding; kinds: readonly Kind[] } {
  const selector = parseSelector(text);
  if (!selector || (selector.source === 'step' && selector.output === '')) {
    fail('malformed selector (expected "$inputs.<name>", "$steps.<step>.<output>" or "$steps.<step>.*")', { ...where, selector: text });
  }
  if (selector.source === 'input') {
    const input = inputs.get(selector.name);
    if (!input) fail(`no input named "${selector.name}"`, { ...where, selector: text });
    return { binding: { type: 'input', name: selector.name }, kinds: input.kinds };
  }
  const source = steps.get(selector.step);
  if (!source) fail(`no step named "${selector.step}"`, { ...where, selector: text });
  if (selector.output === '*') return { binding: { type: 'step', step: selector.step, output: '*' }, kinds: ['*'] };
  const output = (source.outputs as OutputsSpec)[selector.output];
  if (!output) fail(`step "${selector.step}" (${source.block.type}) has no output "${selector.output}" (it has: ${Object.keys(source.outputs).join(', ') || 'none'})`, { ...where, selector: text });
  return { binding: { type: 'step', step: selector.step, output: selector.output }, kinds: output.kinds };
}
