import { z } from 'zod';
import { defineBlock, field } from '../blocks.js';
import { InvalidInputError } from '../errors.js';
import { evaluateStatement, statement } from '../query-language/index.js';

const operators = {
  '>': (a: unknown, b: unknown) => (a as number) > (b as number),
  '>=': (a: unknown, b: unknown) => (a as number) >= (b as number),
  '<': (a: unknown, b: unknown) => (a as number) < (b as number),
  '<=': (a: unknown, b: unknown) => (a as number) <= (b as number),
  '==': (a: unknown, b: unknown) => a === b,
  '!=': (a: unknown, b: unknown) => a !== b,
  in: (a: unknown, b: unknown) => Array.isArray(b) && b.includes(a),
} as const;

/**
 * Flow control: the steps in `next_steps` run only when the condition holds. The condition is
 * Roboflow's `condition_statement` over `evaluation_parameters`, or vad's short form
 * `value <operator> comparand`.
 */
export const continueIf = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/continue_if@v1',
  aliases: ['roboflow_core/continue_if@v1', 'ContinueIf'],
  title: 'Continue If',
  description: 'Runs the steps in next_steps only when the condition holds; otherwise they are skipped and their outputs are null.',
  manifest: {
    condition_statement: field.literal(statement.optional(), { description: "Roboflow's StatementGroup / BinaryStatement / UnaryStatement" }),
    evaluation_parameters: field.dictionary(z.unknown(), ['*'], { description: 'The values the statement\'s DynamicOperands name' }),
    value: field.parameter(z.unknown(), ['*'], { description: 'Short form: left-hand side of the comparison', optional: true }),
    operator: field.literal(z.enum(['>', '>=', '<', '<=', '==', '!=', 'in']).default('==')),
    comparand: field.parameter(z.unknown(), ['*'], { description: 'Short form: right-hand side of the comparison', optional: true }),
    next_steps: field.stepList({ description: 'Steps that run only when the condition holds' }),
    stop_delay: field.literal(z.number().min(0).default(0), { description: 'Accepted for Roboflow compatibility; vad does not delay stopping' }),
  },
  outputs: {},
  flowControl: true,
  create: ({ properties, stepName }) => {
    const condition = properties.condition_statement;
    if (condition) return { run: ({ evaluation_parameters }) => ({ continue: evaluateStatement(condition, evaluation_parameters ?? {}, 'condition_statement') }) };
    if (!('value' in properties) && !('comparand' in properties)) {
      throw new InvalidInputError({ message: 'give condition_statement (Roboflow\'s form) or value, operator and comparand', stepName, property: 'condition_statement' });
    }
    const compare = operators[properties.operator ?? '=='];
    return { run: ({ value, comparand }) => ({ continue: compare(value, comparand) }) };
  },
});
