import { describe, expect, it } from 'vitest';
import { testBlocks } from './__fixtures__/test-blocks.js';
import { compileWorkflow, type WorkflowPlan } from './compile.js';
import { coreBlocks } from './core-blocks/index.js';
import type { WorkflowDefinition, WorkflowStep } from './definition.js';
import { WorkflowCompileError } from './errors.js';
import { VadImage } from './image.js';
import { createBlockRegistry } from './registry.js';
import { createWorkflow } from './workflow.js';

/**
 * Two things Roboflow's engine does that run across the levels of a batch: a collapse of
 * per-image values into one value for the whole batch (engine 1.6), and flow control deciding
 * at a deeper level (per slice) for a step of a lower level (per image), or for a step fed no
 * per-image data (engine 1.8).
 */
const registry = createBlockRegistry([...coreBlocks(), ...testBlocks]);
const blank = (width: number, height = 4) => VadImage.fromPixels({ data: new Uint8Array(width * height * 3), width, height });
const dynamic = (name: string) => ({ type: 'DynamicOperand', operand_name: name, operations: [] });

function definition(steps: WorkflowStep[], outputs: Record<string, string>, inputs: WorkflowDefinition['inputs'] = [{ type: 'WorkflowImage', name: 'image' }]): WorkflowDefinition {
  return { version: '1.0', inputs, steps, outputs: Object.entries(outputs).map(([name, selector]) => ({ type: 'JsonField', name, selector })) };
}

const run = async (def: WorkflowDefinition, inputs: Record<string, unknown>) => (await createWorkflow(def, { registry }).run({ inputs })).outputs;
const step = (plan: WorkflowPlan, name: string) => plan.steps.find((s) => s.name === name)!;

describe('dimension_collapse of per-image values: one value for the whole batch', () => {
  const collapse = definition(
    [
      { type: 'test/image_size@v1', name: 'size', image: '$inputs.image' },
      { type: 'roboflow_core/dimension_collapse@v1', name: 'collapse', data: '$steps.size.width' },
      { type: 'roboflow_core/property_definition@v1', name: 'count', data: '$steps.collapse.output', operations: [{ type: 'SequenceLength' }] },
    ],
    { widths: '$steps.collapse.output', count: '$steps.count.output' },
  );

  it('runs at level -1, and so do the steps fed only by its output', () => {
    const plan = compileWorkflow(collapse, registry);
    expect([step(plan, 'size').runLevel, step(plan, 'collapse').runLevel, step(plan, 'count').runLevel]).toEqual([0, -1, -1]);
  });

  it('gives one row holding every image\'s value, in batch order', async () => {
    expect(await run(collapse, { image: [blank(30), blank(12), blank(7)] })).toEqual([{ widths: [30, 12, 7], count: 3 }]);
    expect(await run(collapse, { image: blank(5) })).toEqual([{ widths: [5], count: 1 }]);
  });

  it('beside per-image outputs, every row carries the whole-batch value (as Roboflow\'s output builder does)', async () => {
    const mixed: WorkflowDefinition = { ...collapse, outputs: [...collapse.outputs, { type: 'JsonField', name: 'width', selector: '$steps.size.width' }] };
    expect(await run(mixed, { image: [blank(30), blank(12)] })).toEqual([
      { widths: [30, 12], count: 2, width: 30 },
      { widths: [30, 12], count: 2, width: 12 },
    ]);
  });

  it('a collapsing block with parameters (test/sum) sums over the images; parameters are broadcast', async () => {
    const sum = definition(
      [
        { type: 'test/image_size@v1', name: 'size', image: '$inputs.image' },
        { type: 'test/sum@v1', name: 'total', values: '$steps.size.width' },
        { type: 'test/number@v1', name: 'bonus', value: '$inputs.bonus' },
        { type: 'test/add_one@v1', name: 'plus', value: '$steps.total.total' },
      ],
      { total: '$steps.total.total', count: '$steps.total.count', plus: '$steps.plus.value', bonus: '$steps.bonus.value', given: '$inputs.bonus' },
      [
        { type: 'WorkflowImage', name: 'image' },
        { type: 'WorkflowParameter', name: 'bonus', default_value: 2 },
      ],
    );
    // outputs that are whole-batch values or the same for every image: one row, as Roboflow gives
    expect(await run(sum, { image: [blank(30), blank(12), blank(7)] })).toEqual([{ total: 49, count: 3, plus: 50, bonus: 2, given: 2 }]);
  });

  it('inside an inner workflow given the parent\'s per-image values, as Roboflow\'s inlining test does', async () => {
    const nested = definition(
      [
        { type: 'test/image_size@v1', name: 'size', image: '$inputs.image' },
        {
          type: 'roboflow_core/inner_workflow@v1',
          name: 'nested',
          workflow_definition: definition(
            [{ type: 'roboflow_core/dimension_collapse@v1', name: 'collapse', data: '$inputs.widths' }],
            { collapsed: '$steps.collapse.output' },
            [{ type: 'WorkflowBatchInput', name: 'widths', kind: ['integer'] }],
          ),
          parameter_bindings: { widths: '$steps.size.width' },
        },
      ],
      { collapsed: '$steps.nested.collapsed' },
    );
    expect(await run(nested, { image: [blank(9), blank(3)] })).toEqual([{ collapsed: [9, 3] }]);
  });

  it('still refuses a per-image data property beside the batch it collapses, naming the step and property', () => {
    const mixed = definition(
      [
        { type: 'test/image_size@v1', name: 'size', image: '$inputs.image' },
        { type: 'test/sum@v1', name: 'total', values: '$steps.size.width', image: '$inputs.image' },
      ],
      { total: '$steps.total.total' },
    );
    const error = (() => {
      try {
        compileWorkflow(mixed, registry);
      } catch (e) {
        return e;
      }
      throw new Error('expected a compile error');
    })();
    expect(WorkflowCompileError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ stepName: 'total', property: 'image', selector: '$inputs.image' });
    expect((error as Error).message).toMatch(/wrong dimensionality: the value has level 0; expected level -1/);
  });

  it('still refuses collapsing a value that is the same for every image (a parameter), naming the step and property', () => {
    const scalar = definition([{ type: 'roboflow_core/dimension_collapse@v1', name: 'collapse', data: '$inputs.p' }], { out: '$steps.collapse.output' }, [
      { type: 'WorkflowParameter', name: 'p', default_value: 1 },
    ]);
    expect(() => compileWorkflow(scalar, registry)).toThrow(/step "collapse", property "data", selector "\$inputs\.p": wrong dimensionality: .*same for every image/);
  });
});

describe('flow control deciding at a deeper level than the step it governs', () => {
  /** Three strips per image; the gate continues for strips whose offset is above `min`. */
  const sliced = (governed: WorkflowStep[], outputs: Record<string, string>, nextSteps: string[]): WorkflowDefinition =>
    definition(
      [
        { type: 'test/strip_slicer@v1', name: 'slicer', image: '$inputs.image', columns: 3 },
        { type: 'test/image_size@v1', name: 'size', image: '$steps.slicer.slices' },
        {
          type: 'ContinueIf',
          name: 'gate',
          condition_statement: { type: 'StatementGroup', statements: [{ type: 'BinaryStatement', left_operand: dynamic('offset'), comparator: { type: '(Number) >' }, right_operand: dynamic('min') }] },
          evaluation_parameters: { offset: '$steps.size.offset_x', min: '$inputs.min' },
          next_steps: nextSteps,
        },
        ...governed,
      ],
      outputs,
      [
        { type: 'WorkflowImage', name: 'image' },
        { type: 'WorkflowParameter', name: 'min', default_value: 0 },
        { type: 'WorkflowParameter', name: 'label', default_value: 'kept' },
      ],
    );

  it('a per-image step runs for the images where at least one strip continued (Roboflow cuts the gate\'s masks to the step\'s level)', async () => {
    const def = sliced(
      [
        { type: 'test/image_size@v1', name: 'whole', image: '$inputs.image' },
        { type: 'roboflow_core/dimension_collapse@v1', name: 'offsets', data: '$steps.size.offset_x' },
      ],
      { width: '$steps.whole.width', offsets: '$steps.offsets.output' },
      ['$steps.whole', '$steps.offsets'],
    );
    // strips of 30 px: offsets 0, 10, 20; of 60 px: 0, 20, 40; min 25 keeps only the second image
    expect(await run(def, { image: [blank(30), blank(60)], min: 25 })).toEqual([
      { width: null, offsets: null },
      { width: 60, offsets: [undefined, undefined, 40] }, // what it collapses is masked by the gate, as a skipped element is
    ]);
  });

  it('two gates (per strip and per image) must both let an image through', async () => {
    const def = sliced(
      [
        { type: 'test/image_size@v1', name: 'whole', image: '$inputs.image' },
        {
          type: 'ContinueIf',
          name: 'wide',
          condition_statement: { type: 'StatementGroup', statements: [{ type: 'BinaryStatement', left_operand: dynamic('w'), comparator: { type: '(Number) >=' }, right_operand: { type: 'StaticOperand', value: 50 } }] },
          evaluation_parameters: { w: '$steps.whole.width' },
          next_steps: ['$steps.again'],
        },
        { type: 'test/image_size@v1', name: 'again', image: '$inputs.image' },
      ],
      { width: '$steps.again.width' },
      ['$steps.again'],
    );
    // min 5: every image has a strip above it; only the 60 and 90 px images are wide enough
    expect((await run(def, { image: [blank(30), blank(60), blank(90)], min: 5 })).map((r) => r.width)).toEqual([null, 60, 90]);
    // min 50: only the 90 px image has a strip above (offset 60)
    expect((await run(def, { image: [blank(30), blank(60), blank(90)], min: 50 })).map((r) => r.width)).toEqual([null, null, 90]);
  });

  it('a step fed no per-image data runs once per strip the gate decided on, null where it stopped (Roboflow\'s control-flow lineage)', async () => {
    const def = sliced(
      [{ type: 'roboflow_core/first_non_empty_or_default@v1', name: 'pick', data: ['$inputs.label'], default: 'fallback' }],
      { picked: '$steps.pick.output' },
      ['$steps.pick'],
    );
    const plan = compileWorkflow(def, registry);
    expect(step(plan, 'pick')).toMatchObject({ runLevel: 1, lineageFrom: 'gate' });
    expect(await run(def, { image: [blank(30), blank(60)], min: 15 })).toEqual([{ picked: [null, null, 'kept'] }, { picked: [null, 'kept', 'kept'] }]);
  });

  it('a whole-batch step governed by a per-image gate runs when any image continued', async () => {
    const def = definition(
      [
        { type: 'test/image_size@v1', name: 'size', image: '$inputs.image' },
        {
          type: 'ContinueIf',
          name: 'gate',
          condition_statement: { type: 'StatementGroup', statements: [{ type: 'BinaryStatement', left_operand: dynamic('w'), comparator: { type: '(Number) >' }, right_operand: dynamic('min') }] },
          evaluation_parameters: { w: '$steps.size.width', min: '$inputs.min' },
          next_steps: ['$steps.collapse'],
        },
        { type: 'roboflow_core/dimension_collapse@v1', name: 'collapse', data: '$steps.size.width' },
      ],
      { widths: '$steps.collapse.output' },
      [
        { type: 'WorkflowImage', name: 'image' },
        { type: 'WorkflowParameter', name: 'min', default_value: 0 },
      ],
    );
    // the image the gate stopped is masked out of the list (no value), as Roboflow masks a batch by its gate
    expect(await run(def, { image: [blank(30), blank(12)], min: 20 })).toEqual([{ widths: [30, undefined] }]);
    expect(await run(def, { image: [blank(30), blank(12)], min: 5 })).toEqual([{ widths: [30, 12] }]);
    expect(await run(def, { image: [blank(30), blank(12)], min: 40 })).toEqual([{ widths: null }]);
  });
});
