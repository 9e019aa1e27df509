import { z } from 'zod';
import { defineBlock, field } from '../blocks.js';

const operators = {
  '>': (a: unknown, b: unknown) => (a as number) > (b as number),
  '>=': (a: unknown, b: unknown) => (a as number) >= (b as number),
  '<': (a: unknown, b: unknown) => (a as number) < (b as number),
  '<=': (a: unknown, b: unknown) => (a as number) <= (b as number),
  '==': (a: unknown, b: unknown) => a === b,
  '!=': (a: unknown, b: unknown) => a !== b,
  in: (a: unknown, b: unknown) => Array.isArray(b) && b.includes(a),
} as const;

/** Flow control: the steps in `next_steps` run only when `value <operator> comparand` holds. */
export const continueIf = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/continue_if@v1',
  title: 'Continue If',
  description: 'Runs the steps in next_steps only when the comparison holds; otherwise they are skipped and their outputs are null.',
  manifest: {
    value: field.parameter(z.unknown(), ['*'], { description: 'Left-hand side of the comparison' }),
    operator: field.literal(z.enum(['>', '>=', '<', '<=', '==', '!=', 'in']).default('==')),
    comparand: field.parameter(z.unknown(), ['*'], { description: 'Right-hand side of the comparison' }),
    next_steps: field.stepList({ description: 'Steps that run only when the condition holds' }),
  },
  outputs: {},
  flowControl: true,
  create: ({ properties }) => {
    const compare = operators[properties.operator ?? '=='];
    return { run: ({ value, comparand }) => ({ continue: compare(value, comparand) }) };
  },
});
