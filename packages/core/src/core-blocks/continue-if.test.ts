import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../compile.js';
import type { WorkflowDefinition } from '../definition.js';
import { createBlockRegistry } from '../registry.js';
import { createWorkflow } from '../workflow.js';
import { testBlocks } from '../__fixtures__/test-blocks.js';
import { coreBlocks } from './index.js';

const registry = createBlockRegistry([...coreBlocks(), ...testBlocks]);
const dynamic = (name: string, operations: unknown[] = []) => ({ type: 'DynamicOperand', operand_name: name, operations });
const literal = (value: unknown) => ({ type: 'StaticOperand', value });

/** Roboflow's form: `ContinueIf` with a condition statement over evaluation parameters `value` and `tags`. */
function gated(condition_statement: unknown): WorkflowDefinition {
  return {
    version: '1.0',
    inputs: [
      { type: 'WorkflowParameter', name: 'value' },
      { type: 'WorkflowParameter', name: 'tags', default_value: [] },
    ],
    steps: [
      { type: 'ContinueIf', name: 'gate', condition_statement, evaluation_parameters: { value: '$inputs.value', tags: '$inputs.tags' }, next_steps: ['$steps.big'] },
      { type: 'test/number@v1', name: 'big', value: '$inputs.value' },
    ],
    outputs: [{ type: 'JsonField', name: 'v', selector: '$steps.big.value' }],
  };
}

async function passes(statement: unknown, inputs: Record<string, unknown>): Promise<boolean> {
  const [record] = (await createWorkflow(gated(statement), { registry }).run({ inputs })).outputs;
  return record!.v !== null;
}

describe('continue_if with Roboflow\'s condition_statement', () => {
  it('compares numbers, and negates', async () => {
    const greater = { type: 'BinaryStatement', left_operand: dynamic('value'), comparator: { type: '(Number) >' }, right_operand: literal(5) };
    expect(await passes({ type: 'StatementGroup', statements: [greater] }, { value: 7 })).toBe(true);
    expect(await passes({ type: 'StatementGroup', statements: [greater] }, { value: 3 })).toBe(false);
    expect(await passes({ type: 'StatementGroup', statements: [{ ...greater, negate: true }] }, { value: 3 })).toBe(true);
  });

  it('applies an operand\'s operations, and joins statements with and / or (or by default)', async () => {
    const twoTags = { type: 'BinaryStatement', left_operand: dynamic('tags', [{ type: 'SequenceLength' }]), comparator: { type: '(Number) ==' }, right_operand: literal(2) };
    const hasScratch = { type: 'BinaryStatement', left_operand: literal('scratch'), comparator: { type: 'in (Sequence)' }, right_operand: dynamic('tags') };
    const inputs = { value: 1, tags: ['dent', 'scratch'] };
    expect(await passes({ type: 'StatementGroup', operator: 'and', statements: [twoTags, hasScratch] }, inputs)).toBe(true);
    expect(await passes({ type: 'StatementGroup', operator: 'and', statements: [twoTags, hasScratch] }, { value: 1, tags: ['scratch'] })).toBe(false);
    expect(await passes({ type: 'StatementGroup', statements: [twoTags, hasScratch] }, { value: 1, tags: ['scratch'] })).toBe(true);
    const empty = { type: 'UnaryStatement', operand: dynamic('tags'), operator: { type: '(Sequence) is empty' } };
    expect(await passes({ type: 'StatementGroup', statements: [empty] }, { value: 1 })).toBe(true);
    expect(await passes({ type: 'StatementGroup', statements: [empty] }, inputs)).toBe(false);
  });

  it('refuses an unknown comparator when the workflow compiles, naming the step and property', () => {
    const statement = { type: 'StatementGroup', statements: [{ type: 'BinaryStatement', left_operand: dynamic('value'), comparator: { type: '(Number) roughly' }, right_operand: literal(1) }] };
    expect(() => compileWorkflow(gated(statement), registry)).toThrow(/step "gate", property "condition_statement": invalid value/);
  });
});
