import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../compile.js';
import type { WorkflowDefinition } from '../definition.js';
import { createBlockRegistry } from '../registry.js';
import { createWorkflow } from '../workflow.js';
import { VadImage } from '../image.js';
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

describe('continue_if as Python evaluates statements', () => {
  it('errs, naming the statement, on a parameter that is not given or values that cannot be compared', async () => {
    const named = (name: string) => ({ type: 'StatementGroup', statements: [{ type: 'BinaryStatement', left_operand: dynamic(name), comparator: { type: '(Number) >' }, right_operand: literal(5) }] });
    await expect(passes(named('missing'), { value: 1 })).rejects.toThrow(/condition_statement\.statements\[0\]\.left_operand: the parameter "missing" is not given \(given: value, tags\)/);
    await expect(passes(named('tags'), { value: 1 })).rejects.toThrow(/condition_statement\.statements\[0\] \(\(Number\) >\): cannot compare \[\] with 5/);
  });

  it('looks for a value in lists, strings and dictionary keys', async () => {
    const within = (left: unknown) => ({ type: 'StatementGroup', statements: [{ type: 'BinaryStatement', left_operand: literal(left), comparator: { type: 'in (Sequence)' }, right_operand: dynamic('tags') }] });
    expect(await passes(within('ratc'), { value: 1, tags: 'scratch' })).toBe(true);
    expect(await passes(within('dent'), { value: 1, tags: { dent: 2 } })).toBe(true);
    expect(await passes(within(3), { value: 1, tags: [1, 2] })).toBe(false);
  });
});

describe('continue_if inside a nested level', () => {
  const perSlice = (gateOn: string): WorkflowDefinition => ({
    version: '1.0',
    inputs: [
      { type: 'WorkflowImage', name: 'image' },
      { type: 'WorkflowParameter', name: 'min', default_value: 0 },
    ],
    steps: [
      { type: 'test/strip_slicer@v1', name: 'slicer', image: '$inputs.image', columns: 3 },
      { type: 'test/image_size@v1', name: 'size', image: '$steps.slicer.slices' },
      {
        type: 'ContinueIf',
        name: 'gate',
        condition_statement: { type: 'StatementGroup', statements: [{ type: 'BinaryStatement', left_operand: dynamic('offset'), comparator: { type: '(Number) >' }, right_operand: dynamic('min') }] },
        evaluation_parameters: { offset: '$steps.size.offset_x', min: '$inputs.min' },
        next_steps: [gateOn],
      },
      { type: 'test/add_one@v1', name: 'shifted', value: '$steps.size.offset_x' },
      { type: 'test/image_size@v1', name: 'whole', image: '$inputs.image' },
    ],
    outputs: [{ type: 'JsonField', name: 'shifted', selector: '$steps.shifted.value' }],
  });

  it('skips the governed step only for the elements whose condition fails', async () => {
    const image = VadImage.fromPixels({ data: new Uint8Array(30 * 4 * 3), width: 30, height: 4 });
    const [record] = (await createWorkflow(perSlice('$steps.shifted'), { registry }).run({ inputs: { image } })).outputs;
    expect(record!.shifted).toEqual([null, 11, 21]);
  });

  it('runs a governed step of a lower level for an image when at least one of its slices continues (as Roboflow\'s engine does)', async () => {
    const definition: WorkflowDefinition = { ...perSlice('$steps.whole'), outputs: [{ type: 'JsonField', name: 'width', selector: '$steps.whole.width' }] };
    const workflow = createWorkflow(definition, { registry });
    expect(workflow.plan.steps.find((s) => s.name === 'whole')!.anyOfGates).toEqual(['gate']);
    const image = VadImage.fromPixels({ data: new Uint8Array(30 * 4 * 3), width: 30, height: 4 });
    const run = async (min: number) => (await workflow.run({ inputs: { image, min } })).outputs[0]!.width;
    expect(await run(15)).toBe(30); // only the third slice (offset 20) continues: enough
    expect(await run(25)).toBeNull(); // no slice continues
  });
});

describe('first_non_empty_or_default after a gate', () => {
  it('takes the first value that was produced, or the default when the gate skipped it', async () => {
    const definition: WorkflowDefinition = {
      version: '1.0',
      inputs: [{ type: 'WorkflowParameter', name: 'value' }],
      steps: [
        { type: 'ContinueIf', name: 'gate', value: '$inputs.value', operator: '>', comparand: 5, next_steps: ['$steps.big'] },
        { type: 'test/number@v1', name: 'big', value: '$inputs.value' },
        { type: 'FirstNonEmptyOrDefault', name: 'either', data: ['$steps.big.value', '$inputs.value'], default: -1 },
        { type: 'FirstNonEmptyOrDefault', name: 'or_default', data: ['$steps.big.value'], default: [] },
      ],
      outputs: [
        { type: 'JsonField', name: 'either', selector: '$steps.either.output' },
        { type: 'JsonField', name: 'or_default', selector: '$steps.or_default.output' },
      ],
    };
    const run = async (value: number) => (await createWorkflow(definition, { registry }).run({ inputs: { value } })).outputs[0];
    expect(await run(7)).toEqual({ either: 7, or_default: 7 });
    expect(await run(3)).toEqual({ either: 3, or_default: [] });
    expect(() => compileWorkflow({ ...definition, steps: [...definition.steps.slice(0, 2), { type: 'FirstNonEmptyOrDefault', name: 'either', data: [] }] }, registry)).toThrow(
      /step "either", property "data": expected at least 1 entry/,
    );
  });
});
