import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWorkflow, VadImage, type Detections, type Manifest, type WorkflowDefinition } from '@vad/core';
import { sharedPath } from '@vad/testing';
import { describe, expect, it } from 'vitest';
import { createStandardRegistry, standardBlocks } from '../src/index.js';
import { expectedAliases, expectedPropertyAliases } from './roboflow-aliases.js';

const corpus = path.join(path.dirname(fileURLToPath(import.meta.url)), 'roboflow-corpus', 'names');
const readDefinition = async (name: string) => JSON.parse(await readFile(path.join(corpus, name), 'utf8')) as WorkflowDefinition;
const byType = new Map(standardBlocks().map((block) => [block.type, block] as const));

describe('Roboflow type names of the standard blocks', () => {
  it.each(Object.entries(expectedAliases))('%s answers to exactly the names in its Roboflow manifests', (type, names) => {
    const block = byType.get(type);
    expect(block, `${type} is a standard block`).toBeDefined();
    expect([...(block!.aliases ?? [])].sort()).toEqual([...names].sort());
  });

  it.each(Object.entries(expectedPropertyAliases))('%s reads its properties under their Roboflow aliases', (type, properties) => {
    const manifest = byType.get(type)!.manifest as Manifest;
    for (const [property, aliases] of Object.entries(properties)) expect(manifest[property]?.aliases, `${type}.${property}`).toEqual(aliases);
  });

  it('resolves every alias to its block in the standard registry', async () => {
    const { registry } = await createStandardRegistry({ plugins: [] });
    for (const [type, names] of Object.entries(expectedAliases)) for (const name of names) expect(registry.get(name)?.type, name).toBe(type);
  });
});

const photos = sharedPath('datasets/photos');
const models = sharedPath('models/yolox_nano.onnx') && path.dirname(sharedPath('models/yolox_nano.onnx')!);
// By eye on dog.jpg (768×576, x1 y1 x2 y2), as in @vad/blocks-detection's fixture; COCO class 16 is "dog".
const dogBox = [130, 215, 320, 540] as const;

function iou(p: Detections['predictions'][number], box: readonly number[]): number {
  const [x1, y1, x2, y2] = [p.x - p.width / 2, p.y - p.height / 2, p.x + p.width / 2, p.y + p.height / 2];
  const w = Math.max(0, Math.min(x2, box[2]!) - Math.max(x1, box[0]!));
  const h = Math.max(0, Math.min(y2, box[3]!) - Math.max(y1, box[1]!));
  const union = p.width * p.height + (box[2]! - box[0]!) * (box[3]! - box[1]!) - w * h;
  return (w * h) / union;
}

async function changedPixels(image: VadImage, reference: VadImage): Promise<number> {
  const [a, b] = await Promise.all([image.pixels(), reference.pixels()]);
  let changed = 0;
  for (let i = 0; i < a.data.length; i += 3) if (a.data[i] !== b.data[i] || a.data[i + 1] !== b.data[i + 1] || a.data[i + 2] !== b.data[i + 2]) changed++;
  return changed;
}

describe.skipIf(!photos || !models)('Roboflow names run on real images (corpus names/)', () => {
  const host = { modelsDir: models };
  const dog = async () => VadImage.fromBytes(await readFile(path.join(photos!, 'dog.jpg')));
  const run = async (file: string, inputs: Record<string, unknown>) => {
    const { registry } = await createStandardRegistry({ plugins: [] });
    const workflow = createWorkflow(await readDefinition(file), { registry, host });
    try {
      return (await workflow.run({ inputs })).outputs;
    } finally {
      await workflow.dispose();
    }
  };

  it("object detection v3 with confidence_mode 'custom' keeps only detections at or above custom_confidence", async () => {
    const image = await dog();
    const [strict] = await run('object-detection-v3-custom-confidence.json', { image, threshold: 0.5 });
    const predictions = (strict!.predictions as Detections).predictions;
    expect(predictions.length).toBeGreaterThanOrEqual(1);
    expect(predictions.every((p) => p.class === '16' && p.confidence >= 0.5)).toBe(true);
    expect(Math.max(...predictions.map((p) => iou(p, dogBox)))).toBeGreaterThan(0.5);
    expect(strict!.model_id).toBe('yolox_nano.onnx');
    const [impossible] = await run('object-detection-v3-custom-confidence.json', { image, threshold: 0.999 });
    expect((impossible!.predictions as Detections).predictions).toHaveLength(0);
  });

  it('short type literals and property aliases (offset_x/offset_y, image/images) compile and run', async () => {
    const image = await dog();
    const [out] = await run('short-type-literals.json', { image });
    const detected = (out!.detected as Detections).predictions;
    const offset = (out!.offset as Detections).predictions;
    expect(detected.length).toBeGreaterThanOrEqual(2);
    expect(out!.count).toBe(detected.length);
    offset.forEach((p, i) => {
      const before = detected[i]!;
      // Grown by 20 × 10 px about the centre, then clipped to the image.
      const x1 = Math.max(0, before.x - before.width / 2 - 10);
      const x2 = Math.min(768, before.x + before.width / 2 + 10);
      const y1 = Math.max(0, before.y - before.height / 2 - 5);
      const y2 = Math.min(576, before.y + before.height / 2 + 5);
      expect(p.width).toBeCloseTo(x2 - x1, 6);
      expect(p.height).toBeCloseTo(y2 - y1, 6);
    });
    const crop = out!.crop as VadImage;
    expect([crop.width, crop.height]).toEqual([160, 120]);
    expect(crop.lineage).toMatchObject({ offsetX: 120, offsetY: 240 });
    const annotated = out!.annotated as VadImage;
    expect([annotated.width, annotated.height]).toEqual([768, 576]);
    expect(await changedPixels(annotated, image)).toBeGreaterThan(1000);
  });

  it('image_slicer v1 clips the border slices; v2 pushes them inward (768×576, 320 px slices, 0.2 overlap)', async () => {
    const [out] = await run('image-slicer-v1-and-v2.json', { image: await dog() });
    const region = (s: VadImage) => [s.lineage!.offsetX, s.lineage!.offsetY, s.width, s.height];
    // v1: starts every 256 px from 0 (0, 256, 512 on both axes), cut at the border.
    expect((out!.clipped as VadImage[]).map(region)).toEqual([
      [0, 0, 320, 320], [256, 0, 320, 320], [512, 0, 256, 320],
      [0, 256, 320, 320], [256, 256, 320, 320], [512, 256, 256, 320],
      [0, 512, 320, 64], [256, 512, 320, 64], [512, 512, 256, 64],
    ]);
    // v2: 512 → 448 horizontally; vertically 512 → 256, a repeat, dropped.
    expect((out!.shifted as VadImage[]).map(region)).toEqual([
      [0, 0, 320, 320], [256, 0, 320, 320], [448, 0, 320, 320],
      [0, 256, 320, 320], [256, 256, 320, 320], [448, 256, 320, 320],
    ]);
  });

  it("label_visualization v2 'Automatic' text size scales labels with the image (768×576: 576/1080 of the manual size)", async () => {
    const image = await dog();
    const [out] = await run('label-visualization-v2-automatic-size.json', { image });
    const manual = await changedPixels(out!.manual as VadImage, image);
    const automatic = await changedPixels(out!.automatic as VadImage, image);
    expect(manual).toBeGreaterThan(0);
    // Label area goes roughly with the square of the scale (0.53² ≈ 0.28); padding keeps it above that.
    expect(automatic / manual).toBeGreaterThan(0.2);
    expect(automatic / manual).toBeLessThan(0.75);
  });

  it('WorkflowVideoMetadata: the engine fills it per frame of a stream, and the heatmap takes it as its metadata', async () => {
    const { registry } = await createStandardRegistry({ plugins: [] });
    const workflow = createWorkflow(await readDefinition('video-metadata-heatmap.json'), { registry, host });
    const image = await dog();
    try {
      const first = (await workflow.run({ inputs: { image }, streamId: 'gate-2' })).outputs[0]!;
      const second = (await workflow.run({ inputs: { image }, streamId: 'gate-2' })).outputs[0]!;
      expect(first.frame).toMatchObject({ video_identifier: 'gate-2', frame_number: 1 });
      expect(second.frame).toMatchObject({ video_identifier: 'gate-2', frame_number: 2 });
      expect(await changedPixels(second.heatmap as VadImage, image)).toBeGreaterThan(0);
      const given = { video_identifier: 'file.mp4', frame_number: 7, frame_timestamp: '2026-12-07T06:00:00Z', fps: 30 };
      const third = (await workflow.run({ inputs: { image, video_metadata: given }, streamId: 'gate-2' })).outputs[0]!;
      expect(third.frame).toMatchObject({ video_identifier: 'file.mp4', frame_number: 7, fps: 30 });
    } finally {
      await workflow.dispose();
    }
  });

  it('WorkflowBatchInput of kind image (engine 1.3) runs the detector on each photo of the batch', async () => {
    const horses = await VadImage.fromBytes(await readFile(path.join(photos!, 'horses.jpg')));
    const outputs = await run('batch-input-images.json', { image: [await dog(), horses] });
    expect(outputs).toHaveLength(2);
    const classes = outputs.map((o) => new Set((o.predictions as Detections).predictions.map((p) => p.class)));
    expect(classes[0]!.has('16')).toBe(true); // dog
    expect(classes[1]!.has('17')).toBe(true); // horse
    expect((outputs[1]!.predictions as Detections).image).toEqual({ width: 773, height: 512 });
  });

  it('WorkflowBatchInput with dimensionality 2: the step runs once per inner element, outputs nest the same way', async () => {
    const outputs = await run('nested-batch-dimensionality-2.json', {
      crop_embeddings: [[[1, 0], [1, 1]], [[0, 2]]],
      reference_embeddings: [[[1, 0], [1, 0]], [[2, 0]]],
    });
    expect(outputs).toHaveLength(2);
    const [first, second] = outputs.map((o) => o.similarity as number[]);
    expect(first).toHaveLength(2);
    expect(first![0]).toBeCloseTo(1, 6);
    expect(first![1]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(second![0]).toBeCloseTo(0, 6);
  });

  it('step by step with a dimensionality-2 batch of slices gives what the end-to-end sliced run gives (as Roboflow\'s debug-execution test)', async () => {
    const images = [await dog(), await VadImage.fromBytes(await readFile(path.join(photos!, 'horses.jpg')))];
    const endToEnd = await run('sliced-detection-end-to-end.json', { image: images });
    const stepwise = await run('detection-on-batch-of-slices.json', { slices: endToEnd.map((o) => o.slices) });
    expect(stepwise).toHaveLength(2);
    stepwise.forEach((record, i) => {
      const expected = endToEnd[i]!.predictions as Detections[];
      const actual = record.predictions as Detections[];
      expect(actual).toHaveLength(expected.length);
      expect(expected.length).toBeGreaterThan(1);
      actual.forEach((slice, j) => {
        expect(slice.predictions.map((p) => p.class)).toEqual(expected[j]!.predictions.map((p) => p.class));
        slice.predictions.forEach((p, k) => expect(p.confidence).toBeCloseTo(expected[j]!.predictions[k]!.confidence, 4));
      });
    });
    expect((stepwise[0]!.predictions as Detections[]).some((slice) => slice.predictions.some((p) => p.class === '16'))).toBe(true);
  });
});
