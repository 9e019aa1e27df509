import { describe, expect, it } from 'vitest';
import { coreBlocks } from './core-blocks/index.js';
import { AbortedError, InvalidInputError, StepExecutionError } from './errors.js';
import { VadImage } from './image.js';
import { createBlockRegistry } from './registry.js';
import { createWorkflow } from './workflow.js';
import { createBarrierBlock, createCounterBlock, makePng, testBlocks } from './__fixtures__/test-blocks.js';
import { defineBlock, field } from './blocks.js';
import { z } from 'zod';

const registry = createBlockRegistry([...coreBlocks(), ...testBlocks]);
const imageInput = { type: 'WorkflowImage', name: 'image' } as const;

describe('createWorkflow().run', () => {
  it('runs independent steps concurrently (each waits for the other to start)', async () => {
    let arrived = 0;
    let release!: () => void;
    const allArrived = new Promise<void>((resolve) => (release = resolve));
    const barrier = {
      arrive() {
        if (++arrived === 2) release();
        // If the engine ran the steps one after the other, the first would wait here forever.
        return Promise.race([allArrived, new Promise<void>((_, reject) => setTimeout(() => reject(new Error('the other step never started')), 2000))]);
      },
    };
    const workflow = createWorkflow(
      {
        inputs: [],
        steps: [
          { type: 'test/barrier@v1', name: 'left', value: 1 },
          { type: 'test/barrier@v1', name: 'right', value: 2 },
          { type: 'test/add_one@v1', name: 'join', value: '$steps.left.value' },
        ],
        outputs: [
          { type: 'JsonField', name: 'left', selector: '$steps.join.value' },
          { type: 'JsonField', name: 'right', selector: '$steps.right.value' },
        ],
      },
      { registry: createBlockRegistry([...testBlocks, createBarrierBlock(barrier)]) },
    );
    const result = await workflow.run({ inputs: {} });
    expect(arrived).toBe(2);
    expect(result.outputs).toEqual([{ left: 2, right: 2 }]);
  });

  it('gives one output record per image of a batch, with parameter defaults and overrides', async () => {
    const workflow = createWorkflow(
      {
        version: '1.0',
        inputs: [imageInput, { type: 'WorkflowParameter', name: 'offset', default_value: 10 }],
        steps: [
          { type: 'test/image_size@v1', name: 'size', image: '$inputs.image' },
          { type: 'test/number@v1', name: 'n', value: '$inputs.offset' },
        ],
        outputs: [
          { type: 'JsonField', name: 'width', selector: '$steps.size.width' },
          { type: 'JsonField', name: 'offset', selector: '$steps.n.value' },
        ],
      },
      { registry },
    );
    const images = await Promise.all([makePng(30, 20), makePng(40, 10), makePng(50, 5)]);
    const batch = await workflow.run({ inputs: { image: images.map((bytes) => bytes) } });
    expect(batch.outputs).toEqual([
      { width: 30, offset: 10 },
      { width: 40, offset: 10 },
      { width: 50, offset: 10 },
    ]);
    const single = await workflow.run({ inputs: { image: images[0], offset: 3 } });
    expect(single.outputs).toEqual([{ width: 30, offset: 3 }]);
  });

  it('reads a property given under one of its aliases (Roboflow\'s "images" for "image")', async () => {
    const workflow = createWorkflow(
      {
        version: '1.0',
        inputs: [imageInput],
        steps: [{ type: 'test/image_size@v1', name: 'size', images: '$inputs.image' }],
        outputs: [{ type: 'JsonField', name: 'width', selector: '$steps.size.width' }],
      },
      { registry },
    );
    const result = await workflow.run({ inputs: { image: await makePng(30, 20) } });
    expect(result.outputs).toEqual([{ width: 30 }]);
  });

  it('expands a level for a slicer, runs per slice, collapses it again, and keeps lineage', async () => {
    const workflow = createWorkflow(
      {
        version: '1.0',
        inputs: [imageInput],
        steps: [
          { type: 'test/strip_slicer@v1', name: 'slicer', image: '$inputs.image', columns: 4 },
          { type: 'test/image_size@v1', name: 'per_slice', image: '$steps.slicer.slices' },
          { type: 'test/sum@v1', name: 'total', values: '$steps.per_slice.width' },
        ],
        outputs: [
          { type: 'JsonField', name: 'total', selector: '$steps.total.total' },
          { type: 'JsonField', name: 'count', selector: '$steps.total.count' },
          { type: 'JsonField', name: 'offsets', selector: '$steps.per_slice.offset_x' },
          { type: 'JsonField', name: 'parents', selector: '$steps.per_slice.parent_id' },
        ],
      },
      { registry },
    );
    const image = await VadImage.fromBytes(await makePng(80, 12));
    const [record] = (await workflow.run({ inputs: { image } })).outputs;
    expect(record).toEqual({ total: 80, count: 4, offsets: [0, 20, 40, 60], parents: [image.id, image.id, image.id, image.id] });
  });

  it('collapses a level into one list per image with dimension_collapse (Roboflow\'s name)', async () => {
    const workflow = createWorkflow(
      {
        version: '1.0',
        inputs: [imageInput],
        steps: [
          { type: 'test/strip_slicer@v1', name: 'slicer', image: '$inputs.image', columns: 3 },
          { type: 'test/image_size@v1', name: 'per_slice', image: '$steps.slicer.slices' },
          { type: 'roboflow_core/dimension_collapse@v1', name: 'collapse', data: '$steps.per_slice.offset_x' },
        ],
        outputs: [{ type: 'JsonField', name: 'offsets', selector: '$steps.collapse.output' }],
      },
      { registry },
    );
    const batch = await workflow.run({ inputs: { image: [await makePng(60, 5), await makePng(90, 5)] } });
    expect(batch.outputs).toEqual([{ offsets: [0, 20, 40] }, { offsets: [0, 30, 60] }]);
  });

  it('keeps state per stream id and disposes instances on reset and release', async () => {
    const disposed: string[] = [];
    const workflow = createWorkflow(
      {
        inputs: [imageInput],
        steps: [{ type: 'test/counter@v1', name: 'counter', image: '$inputs.image' }],
        outputs: [{ type: 'JsonField', name: 'count', selector: '$steps.counter.count' }],
      },
      { registry: createBlockRegistry([createCounterBlock(disposed)]) },
    );
    const image = await makePng(4, 4);
    const count = async (streamId: string) => (await workflow.run({ inputs: { image }, streamId })).outputs[0]!.count;
    expect([await count('camera-1'), await count('camera-1'), await count('camera-2'), await count('camera-1')]).toEqual([1, 2, 1, 3]);
    // A batch on a stateful workflow is one stream's frames, in order.
    const batch = await workflow.run({ inputs: { image: [image, image, image] }, streamId: 'camera-2' });
    expect(batch.outputs.map((o) => o.count)).toEqual([2, 3, 4]);
    await workflow.resetStream('camera-1');
    expect(disposed).toEqual(['counter']);
    expect(await count('camera-1')).toBe(1);
    await workflow.dispose();
    expect(disposed).toEqual(['counter', 'counter', 'counter']);
    await expect(workflow.run({ inputs: { image } })).rejects.toThrow(/disposed/);
  });

  it('reports per-step timings when profiling is asked', async () => {
    const workflow = createWorkflow(
      {
        inputs: [],
        steps: [
          { type: 'test/number@v1', name: 'n', value: 1 },
          { type: 'test/add_one@v1', name: 'plus', value: '$steps.n.value' },
        ],
        outputs: [{ type: 'JsonField', name: 'v', selector: '$steps.plus.value' }],
      },
      { registry },
    );
    expect((await workflow.run({ inputs: {} })).profile).toBeUndefined();
    const { profile } = await workflow.run({ inputs: {}, profile: true });
    expect(profile?.map((p) => [p.step, p.type, p.calls])).toEqual([
      ['n', 'test/number@v1', 1],
      ['plus', 'test/add_one@v1', 1],
    ]);
    expect(profile!.every((p) => p.totalMs >= 0)).toBe(true);
  });

  it('names the failing step and keeps its cause', async () => {
    const workflow = createWorkflow(
      { inputs: [], steps: [{ type: 'test/failing@v1', name: 'sensor', value: 1 }], outputs: [{ type: 'JsonField', name: 'v', selector: '$steps.sensor.value' }] },
      { registry },
    );
    const error = await workflow.run({ inputs: {} }).catch((e: unknown) => e);
    expect(StepExecutionError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ stepName: 'sensor', message: 'step "sensor" (test/failing@v1) failed: sensor value out of range' });
    expect((error as Error).cause).toBeInstanceOf(RangeError);
  });

  it('stops at the next step when its signal aborts', async () => {
    const controller = new AbortController();
    let ranAfterAbort = false;
    const abortingBlock = defineBlock({
      specificationVersion: 'v1',
      type: 'test/abort@v1',
      title: 'Abort',
      description: 'Aborts the run',
      manifest: {},
      outputs: { value: { kinds: ['float'] } },
      create: () => ({ run: () => (controller.abort(), { value: 1 }) }),
    });
    const workflow = createWorkflow(
      {
        inputs: [],
        steps: [
          { type: 'test/abort@v1', name: 'first' },
          { type: 'test/add_one@v1', name: 'second', value: '$steps.first.value' },
        ],
        outputs: [{ type: 'JsonField', name: 'v', selector: '$steps.second.value' }],
      },
      { registry: createBlockRegistry([abortingBlock, { ...testBlocks[1]!, create: () => ({ run: () => ((ranAfterAbort = true), { value: 0 }) }) }]) },
    );
    const error = await workflow.run({ inputs: {}, signal: controller.signal }).catch((e: unknown) => e);
    expect(AbortedError.isInstance(error)).toBe(true);
    expect(ranAfterAbort).toBe(false);
  });

  it('skips the steps a flow-control step governs, and their dependents', async () => {
    const workflow = createWorkflow(
      {
        inputs: [{ type: 'WorkflowParameter', name: 'value' }],
        steps: [
          { type: 'vad/continue_if@v1', name: 'gate', value: '$inputs.value', operator: '>', comparand: 5, next_steps: ['$steps.big'] },
          { type: 'test/number@v1', name: 'big', value: '$inputs.value' },
          { type: 'test/add_one@v1', name: 'after', value: '$steps.big.value' },
        ],
        outputs: [{ type: 'JsonField', name: 'v', selector: '$steps.after.value' }],
      },
      { registry },
    );
    expect((await workflow.run({ inputs: { value: 7 } })).outputs).toEqual([{ v: 8 }]);
    expect((await workflow.run({ inputs: { value: 3 } })).outputs).toEqual([{ v: null }]);
  });

  it('rejects bad inputs with errors that name them', async () => {
    const workflow = createWorkflow(
      {
        inputs: [imageInput, { type: 'WorkflowParameter', name: 'width' }],
        steps: [{ type: 'vad/image_resize@v1', name: 'resize', image: '$inputs.image', width: '$inputs.width', height: 8 }],
        outputs: [{ type: 'JsonField', name: 'image', selector: '$steps.resize.image' }],
      },
      { registry },
    );
    const png = await makePng(16, 16);
    await expect(workflow.run({ inputs: { image: png } })).rejects.toThrow(/input "width" is required/);
    await expect(workflow.run({ inputs: { image: png, width: 8, extra: 1 } })).rejects.toThrow(/unknown input "extra"/);
    const invalid = await workflow.run({ inputs: { image: png, width: 'wide' } }).catch((e: unknown) => e);
    expect(InvalidInputError.isInstance(invalid)).toBe(true);
    expect(invalid).toMatchObject({ stepName: 'resize', property: 'width', selector: '$inputs.width' });
    await expect(workflow.run({ inputs: { image: new Uint8Array([1, 2, 3]), width: 8 } })).rejects.toThrow(/input "image" is not a decodable image/);
    await expect(workflow.run({ inputs: { image: 'photo.jpg', width: 8 } })).rejects.toThrow(/input "image" must be an image/);
    const resized = (await workflow.run({ inputs: { image: png, width: 4 } })).outputs[0]!.image as VadImage;
    expect([resized.width, resized.height]).toEqual([4, 8]);
  });

  it("maps slice detections to the parent by default (Roboflow's coordinates_system: parent), or keeps their own", async () => {
    const detector = defineBlock({
      specificationVersion: 'v1',
      type: 'test/centre_detector@v1',
      title: 'Centre detector',
      description: 'One detection at the centre of each image',
      manifest: { image: field.image(), label: field.literal(z.string().default('part')) },
      outputs: { predictions: { kinds: ['object_detection_prediction'] } },
      create: () => ({
        run: ({ image }) => ({
          predictions: {
            image: { width: image.width, height: image.height },
            predictions: [{ x: image.width / 2, y: image.height / 2, width: 2, height: 2, confidence: 0.9, class: 'part', class_id: 0, detection_id: 'd', parent_id: image.id }],
            ...(image.lineage && { lineage: image.lineage }),
          },
        }),
      }),
    });
    const workflow = createWorkflow(
      {
        inputs: [imageInput],
        steps: [
          { type: 'test/strip_slicer@v1', name: 'slicer', image: '$inputs.image', columns: 2 },
          { type: 'test/centre_detector@v1', name: 'detector', image: '$steps.slicer.slices' },
          { type: 'roboflow_core/dimension_collapse@v1', name: 'collapse', data: '$steps.detector.predictions' },
        ],
        outputs: [
          { type: 'JsonField', name: 'own', selector: '$steps.detector.predictions', coordinates_system: 'own' },
          { type: 'JsonField', name: 'parent', selector: '$steps.detector.predictions' },
          { type: 'JsonField', name: 'everything', selector: '$steps.detector.*' },
          { type: 'JsonField', name: 'collapsed', selector: '$steps.collapse.output' },
        ],
      },
      { registry: createBlockRegistry([...coreBlocks(), ...testBlocks, detector]) },
    );
    const image = await VadImage.fromBytes(await makePng(40, 10));
    const [record] = (await workflow.run({ inputs: { image } })).outputs as Array<Record<string, Array<{ predictions: Array<{ x: number; parent_id: string }> }>>>;
    expect(record!.own!.map((d) => d.predictions[0]!.x)).toEqual([10, 10]);
    expect(record!.parent!.map((d) => d.predictions[0]!.x)).toEqual([10, 30]);
    expect(record!.parent!.every((d) => d.predictions[0]!.parent_id === image.id)).toBe(true);
    // Detections inside a `*` output's object and inside a collapsed list are mapped too.
    const everything = record!.everything as unknown as Array<{ predictions: { predictions: Array<{ x: number }> } }>;
    expect(everything.map((d) => d.predictions.predictions[0]!.x)).toEqual([10, 30]);
    const collapsed = record!.collapsed as unknown as Array<{ predictions: Array<{ x: number }> }>;
    expect(collapsed.map((d) => d.predictions[0]!.x)).toEqual([10, 30]);
  });

  it('resolves selectors inside a dictionary property, entry by entry, or takes a whole dictionary', async () => {
    const template = defineBlock({
      specificationVersion: 'v1',
      type: 'test/template@v1',
      title: 'Template',
      description: 'Fills {{ name }} placeholders',
      manifest: { text: field.literal(z.string()), values: field.dictionary(z.union([z.string(), z.number(), z.null()])) },
      outputs: { text: { kinds: ['string'] } },
      create: ({ properties }) => ({
        run: ({ values }) => ({ text: properties.text!.replace(/\{\{ (\w+) \}\}/g, (_, key: string) => String(values?.[key])) }),
      }),
    });
    const registry = createBlockRegistry([...testBlocks, template]);
    const definition = (values: unknown) => ({
      inputs: [{ type: 'WorkflowParameter' as const, name: 'unit', default_value: 'mm' }],
      steps: [
        { type: 'test/number@v1', name: 'n', value: 41 },
        { type: 'test/add_one@v1', name: 'plus', value: '$steps.n.value' },
        { type: 'test/template@v1', name: 'say', text: 'width {{ width }} {{ unit }} by {{ by }}', values },
      ],
      outputs: [{ type: 'JsonField' as const, name: 'text', selector: '$steps.say.text' }],
    });
    const entries = createWorkflow(definition({ width: '$steps.plus.value', unit: '$inputs.unit', by: 'hand' }), { registry });
    expect(entries.plan.steps.find((s) => s.name === 'say')!.dependencies).toEqual(['plus']);
    expect((await entries.run({ inputs: { unit: 'cm' } })).outputs).toEqual([{ text: 'width 42 cm by hand' }]);
    const whole = createWorkflow(definition('$steps.plus.*'), { registry });
    expect((await whole.run({ inputs: {} })).outputs).toEqual([{ text: 'width undefined undefined by undefined' }]);
    expect(() => createWorkflow(definition({ width: '$steps.ghost.value' }), { registry })).toThrow(/step "say", property "values.width", selector "\$steps.ghost.value": no step named "ghost"/);
    expect(() => createWorkflow(definition({ width: [1, 2] }), { registry })).toThrow(/property "values.width": invalid value \[1,2\]/);
    expect(() => createWorkflow(definition('plain text'), { registry })).toThrow(/expected a dictionary of values or selectors/);
  });

  it('resolves each entry of a list property on its own and hands them over in order', async () => {
    const join = defineBlock({
      specificationVersion: 'v1',
      type: 'test/join@v1',
      title: 'Join',
      description: 'Joins numbers with commas',
      manifest: { values: field.list(z.number(), ['float'], { minItems: 1 }) },
      outputs: { text: { kinds: ['string'] } },
      create: () => ({ run: ({ values }) => ({ text: values.join(',') }) }),
    });
    const registry = createBlockRegistry([...testBlocks, join]);
    const definition = (values: unknown) => ({
      inputs: [imageInput, { type: 'WorkflowParameter' as const, name: 'count', default_value: 3 }],
      steps: [
        { type: 'test/number@v1', name: 'n', value: 41 },
        { type: 'test/add_one@v1', name: 'plus', value: '$steps.n.value' },
        { type: 'test/join@v1', name: 'join', values },
      ],
      outputs: [{ type: 'JsonField' as const, name: 'text', selector: '$steps.join.text' }],
    });
    const fanIn = createWorkflow(definition(['$steps.plus.value', 7, '$steps.n.value', '$inputs.count']), { registry });
    expect([...fanIn.plan.steps.find((s) => s.name === 'join')!.dependencies].sort()).toEqual(['n', 'plus']);
    expect((await fanIn.run({ inputs: { image: await VadImage.fromBytes(await makePng(4, 4)), count: 5 } })).outputs).toEqual([{ text: '42,7,41,5' }]);
    await expect(fanIn.run({ inputs: { image: await VadImage.fromBytes(await makePng(4, 4)), count: 'five' } })).rejects.toThrow(/input "count" = "five" is not valid for step "join"/);
    expect(createWorkflow(definition([2, 1]), { registry }).plan.steps.find((s) => s.name === 'join')!.literals).toEqual({ values: [2, 1] });
    expect(() => createWorkflow(definition([1, '$steps.ghost.value']), { registry })).toThrow(/step "join", property "values\[1\]", selector "\$steps.ghost.value": no step named "ghost"/);
    expect(() => createWorkflow(definition([1, '$inputs.image']), { registry })).toThrow(/property "values\[1\]", selector "\$inputs.image": kind mismatch/);
    expect(() => createWorkflow(definition(['one']), { registry })).toThrow(/property "values\[0\]": invalid value "one"/);
    expect(() => createWorkflow(definition([]), { registry })).toThrow(/property "values": expected at least 1 entry, got 0/);
    expect(() => createWorkflow(definition('$steps.n.value'), { registry })).toThrow(/expected a list of values or selectors, not one selector/);
    expect(() => createWorkflow(definition(5), { registry })).toThrow(/expected a list of values or selectors, got 5/);
  });
});
