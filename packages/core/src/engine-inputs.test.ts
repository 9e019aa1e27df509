import { describe, expect, it } from 'vitest';
import { compileWorkflow } from './compile.js';
import { coreBlocks } from './core-blocks/index.js';
import type { WorkflowDefinition } from './definition.js';
import { InvalidInputError, WorkflowCompileError } from './errors.js';
import { createBlockRegistry } from './registry.js';
import { createWorkflow } from './workflow.js';
import { makePng, testBlocks } from './__fixtures__/test-blocks.js';

const registry = createBlockRegistry([...coreBlocks(), ...testBlocks]);

describe('WorkflowVideoMetadata inputs (Roboflow kind video_metadata)', () => {
  const definition: WorkflowDefinition = {
    version: '1.0',
    inputs: [{ type: 'WorkflowVideoMetadata', name: 'video' }],
    steps: [],
    outputs: [{ type: 'JsonField', name: 'video', selector: '$inputs.video' }],
  };

  it('compiles to an input of kind video_metadata', () => {
    expect(compileWorkflow(definition, registry).inputs).toEqual([{ name: 'video', type: 'video_metadata', kinds: ['video_metadata'], level: 0, hasDefault: false }]);
  });

  it('is filled by the engine when not given: the stream id, the stream\'s frame number from 1, the time', async () => {
    const workflow = createWorkflow(definition, { registry });
    const before = Date.now();
    const first = (await workflow.run({ inputs: {}, streamId: 'camera-1' })).outputs[0]!.video as Record<string, unknown>;
    const second = (await workflow.run({ inputs: {}, streamId: 'camera-1' })).outputs[0]!.video as Record<string, unknown>;
    const other = (await workflow.run({ inputs: {}, streamId: 'camera-2' })).outputs[0]!.video as Record<string, unknown>;
    expect(first).toMatchObject({ video_identifier: 'camera-1', frame_number: 1, fps: null, measured_fps: null, comes_from_video_file: null });
    expect(Date.parse(first.frame_timestamp as string)).toBeGreaterThanOrEqual(before - 1);
    expect(second).toMatchObject({ video_identifier: 'camera-1', frame_number: 2 });
    expect(other).toMatchObject({ video_identifier: 'camera-2', frame_number: 1 });
    await workflow.resetStream('camera-1');
    expect((await workflow.run({ inputs: {}, streamId: 'camera-1' })).outputs[0]!.video).toMatchObject({ frame_number: 1 });
  });

  it('takes the caller\'s metadata (one, or one per image) and refuses metadata without its fields', async () => {
    const workflow = createWorkflow(definition, { registry });
    const given = { video_identifier: 'line-3', frame_number: 41, frame_timestamp: '2026-12-07T06:00:00Z', fps: 25 };
    expect((await workflow.run({ inputs: { video: given } })).outputs[0]!.video).toEqual({
      video_identifier: 'line-3', frame_number: 41, frame_timestamp: '2026-12-07T06:00:00.000Z', fps: 25, measured_fps: null, comes_from_video_file: null,
    });
    const batch = await workflow.run({ inputs: { video: [given, { ...given, frame_number: 42 }] } });
    expect(batch.outputs.map((o) => (o.video as { frame_number: number }).frame_number)).toEqual([41, 42]);
    const error = await workflow.run({ inputs: { video: { video_identifier: 'x', frame_number: 1 } } }).catch((e: unknown) => e);
    expect(InvalidInputError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/input "video" is not video metadata \(frame_timestamp: /);
  });
});

describe('WorkflowBatchInput with dimensionality 2 (nested batches)', () => {
  const definition: WorkflowDefinition = {
    version: '1.0',
    inputs: [{ type: 'WorkflowBatchInput', name: 'values', kind: ['float'], dimensionality: 2 }],
    steps: [{ type: 'test/add_one@v1', name: 'plus', value: '$inputs.values' }],
    outputs: [
      { type: 'JsonField', name: 'plus', selector: '$steps.plus.value' },
      { type: 'JsonField', name: 'values', selector: '$inputs.values' },
    ],
  };

  it('gives each record a list and runs the step once per element of it', async () => {
    const plan = compileWorkflow(definition, registry);
    expect(plan.inputs[0]!.level).toBe(1);
    expect(plan.steps[0]!.runLevel).toBe(1);
    const workflow = createWorkflow(definition, { registry });
    const { outputs } = await workflow.run({ inputs: { values: [[1, 2, 3], [10]] } });
    expect(outputs).toEqual([
      { plus: [2, 3, 4], values: [1, 2, 3] },
      { plus: [11], values: [10] },
    ]);
  });

  it('refuses a record that is not a list, naming the input and the element', async () => {
    const workflow = createWorkflow(definition, { registry });
    await expect(workflow.run({ inputs: { values: [[1], 2] } })).rejects.toThrowError(/input "values\[1\]" must be a list: the input has dimensionality 2/);
  });

  it('refuses a dimensionality an input type does not have', () => {
    const bad = (input: Record<string, unknown>) => () => compileWorkflow({ ...definition, inputs: [input as never], steps: [], outputs: [] }, registry);
    expect(bad({ type: 'WorkflowBatchInput', name: 'values', dimensionality: 0 })).toThrowError(/dimensionality 0 is not allowed here \(WorkflowBatchInput takes an integer of at least 1\)/);
    expect(bad({ type: 'WorkflowImage', name: 'image', dimensionality: 2 })).toThrowError(WorkflowCompileError);
    expect(bad({ type: 'WorkflowParameter', name: 'p', dimensionality: 0 })).not.toThrow();
  });
});

describe('WorkflowBatchInput of kind image or video_metadata (Roboflow engine 1.3)', () => {
  it('decodes each element as an image, nested batches included', async () => {
    const workflow = createWorkflow(
      {
        version: '1.3.0',
        inputs: [{ type: 'WorkflowBatchInput', name: 'crops', kind: ['image'], dimensionality: 2 }],
        steps: [{ type: 'test/image_size@v1', name: 'size', image: '$inputs.crops' }],
        outputs: [{ type: 'JsonField', name: 'width', selector: '$steps.size.width' }],
      },
      { registry },
    );
    const { outputs } = await workflow.run({ inputs: { crops: [[await makePng(12, 5), await makePng(7, 3)]] } });
    expect(outputs).toEqual([{ width: [12, 7] }]);
  });

  it('checks video metadata given through a batch input', async () => {
    const workflow = createWorkflow(
      { inputs: [{ type: 'WorkflowBatchInput', name: 'meta', kind: ['video_metadata'] }], steps: [], outputs: [{ type: 'JsonField', name: 'meta', selector: '$inputs.meta' }] },
      { registry },
    );
    await expect(workflow.run({ inputs: { meta: [{ video_identifier: 'a' }] } })).rejects.toThrowError(/input "meta\[0\]" is not video metadata/);
  });
});

describe('batches of different lengths', () => {
  const definition: WorkflowDefinition = {
    version: '1.0',
    inputs: [{ type: 'InferenceImage', name: 'image' }, { type: 'InferenceImage', name: 'template' }],
    steps: [],
    outputs: [{ type: 'JsonField', name: 'template', selector: '$inputs.template' }],
  };

  it('broadcasts a batch of one beside a longer batch (Roboflow: one template for a batch of images), refuses two lengths over one', async () => {
    const workflow = createWorkflow(definition, { registry });
    const [a, b, c] = await Promise.all([1, 2, 3].map((v) => makePng(2, 2, [v, v, v])));
    const { outputs } = await workflow.run({ inputs: { image: [a, b], template: c } });
    expect(outputs).toHaveLength(2);
    expect((outputs[0]!.template as { id: string }).id).toBe((outputs[1]!.template as { id: string }).id);
    await expect(workflow.run({ inputs: { image: [a, b, c], template: [a, b] } })).rejects.toThrow(InvalidInputError);
  });
});
