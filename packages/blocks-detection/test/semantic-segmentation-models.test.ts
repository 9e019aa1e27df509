import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildModel } from '@vad/models';
import { coreBlocks, createBlockRegistry, createWorkflow, VadImage, type Detections, type WorkflowDefinition } from '@vad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressCounts, createSemanticSegmenter, decodeRle, decompressCounts, detectionBlocks, type SemanticSegmentationDetection } from '../src/index.js';
import { constantOutputModel } from './constant-output-model.js';

/**
 * A semantic segmentation export with known logits [1, 3, 8, 8] on a 32×32 input. The 64×32 image
 * makes one logit cell 8 image px wide and 4 high. Class 0 (background) scores 2 everywhere; class 1
 * scores 4 in cells x [1, 3), y [2, 4) → image px x [8, 24), y [8, 16); class 2 scores 4 in cells
 * x [5, 8), y [5, 8) → image px x [40, 64), y [20, 32).
 */
const CELLS = 8;
const class1 = { x1: 8, y1: 8, x2: 24, y2: 16 };
const class2 = { x1: 40, y1: 20, x2: 64, y2: 32 };
function logits(): Float32Array {
  const data = new Float32Array(3 * CELLS * CELLS);
  data.fill(2, 0, CELLS * CELLS);
  const fill = (channel: number, x1: number, y1: number, x2: number, y2: number) => {
    for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) data[(channel * CELLS + y) * CELLS + x] = 4;
  };
  fill(1, 1, 2, 3, 4);
  fill(2, 5, 5, 8, 8);
  return data;
}
const names = JSON.stringify(['background', 'road', 'car']);

/** The same map as integer class ids [1, 8, 8] (the model exported with its ArgMax). */
function classIdModel(): Uint8Array {
  const scores = logits();
  const ids = new BigInt64Array(CELLS * CELLS);
  for (let i = 0; i < ids.length; i++) ids[i] = scores[CELLS * CELLS + i] === 4 ? 1n : scores[2 * CELLS * CELLS + i] === 4 ? 2n : 0n;
  return buildModel({
    inputs: [{ name: 'images', type: 'float32', shape: [1, 3, 32, 32] }],
    outputs: [{ name: 'labels', type: 'int64', shape: [1, CELLS, CELLS] }],
    nodes: [{ op: 'Identity', inputs: ['ids'], outputs: ['labels'] }],
    initializers: [{ name: 'ids', dims: [1, CELLS, CELLS], data: ids }],
    opset: 17,
  });
}

/** The softmax of the logits, as a model that ends in its own Softmax would output. */
function probabilities(): Float32Array {
  const scores = logits();
  const out = new Float32Array(scores.length);
  const plane = CELLS * CELLS;
  for (let i = 0; i < plane; i++) {
    const e = [0, 1, 2].map((c) => Math.exp(scores[c * plane + i]!));
    const sum = e[0]! + e[1]! + e[2]!;
    e.forEach((v, c) => (out[c * plane + i] = v / sum));
  }
  return out;
}

const image = VadImage.fromPixels({ data: new Uint8Array(64 * 32 * 3).fill(90), width: 64, height: 32 });
const maskOf = (box: typeof class1) => {
  const mask = new Uint8Array(64 * 32);
  for (let y = box.y1; y < box.y2; y++) for (let x = box.x1; x < box.x2; x++) mask[y * 64 + x] = 1;
  return mask;
};
/** round(255 · softmax top) as Roboflow's confidence mask holds it, read back as a fraction. */
const byteConfidence = (top: number, others: number[]) => Math.round((255 * Math.exp(top)) / [top, ...others].reduce((s, v) => s + Math.exp(v), 0)) / 255;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vad-semantic-'));
  await writeFile(path.join(dir, 'logits.onnx'), constantOutputModel([{ name: 'logits', dims: [1, 3, CELLS, CELLS], data: logits() }], 32, { names }));
  await writeFile(path.join(dir, 'probabilities.onnx'), constantOutputModel([{ name: 'probabilities', dims: [1, 3, CELLS, CELLS], data: probabilities() }], 32));
  await writeFile(path.join(dir, 'ids.onnx'), classIdModel());
  await writeFile(path.join(dir, 'detector.onnx'), constantOutputModel([{ name: 'output0', dims: [1, 6, 84], data: new Float32Array(6 * 84) }], 32));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('COCO RLE', () => {
  it('writes counts as pycocotools does and reads them back', () => {
    // 2×2 mask, only (x 1, y 0): column-major runs 2 zeros, 1 one, 1 zero.
    expect(compressCounts([2, 1, 1])).toBe('211');
    // A run over 15 takes two characters; the fourth run is written as its difference to the second (−17).
    expect(compressCounts([0, 20, 5, 3])).toBe('0d05_O');
    expect(decompressCounts('0d05_O')).toEqual([0, 20, 5, 3]);
    const long = [3, 700, 12, 4000, 1, 1, 250];
    expect(decompressCounts(compressCounts(long))).toEqual(long);
  });
});

describe('semantic segmentation on synthetic exports', () => {
  it('turns known logits into one prediction per class with its mask in image pixels', async () => {
    const segmenter = await createSemanticSegmenter({ model: path.join(dir, 'logits.onnx') });
    try {
      expect(segmenter.classNames).toEqual(['background', 'road', 'car']);
      const result = await segmenter.segment(image);
      expect(result.image).toEqual({ width: 64, height: 32 });
      const predictions = result.predictions as SemanticSegmentationDetection[];
      expect(predictions.map((p) => [p.class, p.class_id])).toEqual([['road', 1], ['car', 2]]);
      const [road, car] = predictions as [SemanticSegmentationDetection, SemanticSegmentationDetection];
      // Roboflow's box spans the first to the last pixel index: 16 px wide is width 15.
      expect([road.x, road.y, road.width, road.height]).toEqual([15.5, 11.5, 15, 7]);
      expect([car.x, car.y, car.width, car.height]).toEqual([51.5, 25.5, 23, 11]);
      expect(road.confidence).toBeCloseTo(byteConfidence(4, [2, 0]), 6);
      expect(road.rle_mask.size).toEqual([32, 64]);
      expect([...decodeRle(road.rle_mask)]).toEqual([...maskOf(class1)]);
      expect([...decodeRle(car.rle_mask)]).toEqual([...maskOf(class2)]);
      // custom confidence above every pixel's: all background, nothing predicted.
      expect((await segmenter.segment(image, { confidence: 0.99 })).predictions).toEqual([]);
      // Between the background's (0.79) and the classes' (0.87): the same two classes.
      expect((await segmenter.segment(image, { confidence: 0.85 })).predictions.map((p) => p.class)).toEqual(['road', 'car']);
    } finally {
      await segmenter.dispose();
    }
  });

  it('reads probabilities as they are and integer class ids with confidence 1', async () => {
    const fromProbabilities = await createSemanticSegmenter({ model: path.join(dir, 'probabilities.onnx'), classNames: ['bg', 'road', 'car'] });
    const fromIds = await createSemanticSegmenter({ model: path.join(dir, 'ids.onnx') });
    try {
      const a = (await fromProbabilities.segment(image)).predictions as SemanticSegmentationDetection[];
      // Not softmaxed twice: the confidence is the probability itself.
      expect(a[0]!.confidence).toBeCloseTo(byteConfidence(4, [2, 0]), 6);
      expect([...decodeRle(a[1]!.rle_mask)]).toEqual([...maskOf(class2)]);
      const b = (await fromIds.segment(image)).predictions as SemanticSegmentationDetection[];
      expect(b.map((p) => [p.class, p.confidence])).toEqual([['1', 1], ['2', 1]]);
      expect([...decodeRle(b[0]!.rle_mask)]).toEqual([...maskOf(class1)]);
    } finally {
      await Promise.all([fromProbabilities.dispose(), fromIds.dispose()]);
    }
  });

  it('refuses a detector export, naming the step and model_id, when the workflow is prepared', async () => {
    const registry = createBlockRegistry([...coreBlocks(), ...detectionBlocks()]);
    const definition: WorkflowDefinition = {
      version: '1.0',
      inputs: [{ type: 'WorkflowImage', name: 'image' }],
      steps: [{ type: 'roboflow_core/roboflow_semantic_segmentation_model@v1', name: 'segmentation', image: '$inputs.image', model_id: 'detector.onnx' }],
      outputs: [{ type: 'JsonField', name: 'predictions', selector: '$steps.segmentation.predictions' }],
    };
    const workflow = createWorkflow(definition, { registry, host: { modelsDir: dir } });
    await expect(workflow.run({ inputs: { image } })).rejects.toThrow(/step "segmentation"[\s\S]*model_id \S*detector\.onnx is not a semantic segmentation export: its first output is a float32 output \[1, 6, 84\]/);
    await workflow.dispose();
    const ok = createWorkflow({ ...definition, steps: [{ ...definition.steps[0]!, type: 'roboflow_core/roboflow_semantic_segmentation_model@v2', model_id: 'logits.onnx', confidence_mode: 'custom', custom_confidence: 0.99 }] }, { registry, host: { modelsDir: dir } });
    const predictions = (await ok.run({ inputs: { image } })).outputs[0]!.predictions as Detections;
    expect(predictions.predictions).toEqual([]);
    await ok.dispose();
  });
});
