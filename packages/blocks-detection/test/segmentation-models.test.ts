import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { coreBlocks, createBlockRegistry, createWorkflow, decodeRle, fillPolygon, ModelLoadError, rleArea, VadImage, type CocoRle, type Detection, type Detections, type WorkflowDefinition } from '@vad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstanceSegmenter, createObjectDetector, detectionBlocks } from '../src/index.js';
import { constantOutputModel } from './constant-output-model.js';

/**
 * A YOLOv8-seg export with known outputs on a 64×64 input: prototypes 16×16 (4 input px per
 * cell), two classes, 32 mask channels. Channel 0 is +20 inside one rectangle and −20 outside,
 * channel 1 likewise for another; each detection's coefficients pick one channel.
 * The 128×64 image letterboxes at scale 0.5 with 16 px bars above and below, so one prototype
 * cell is 8 image px and input y maps to image y as (y − 16) · 2.
 */
const INPUT = 64;
const ANCHORS = 8 * 8 + 4 * 4 + 2 * 2;
const CLASSES = 2;
const MASK_CHANNELS = 32;
const PROTOTYPE_SIDE = INPUT / 4;

interface Candidate {
  anchor: number;
  /** Box corners in input pixels. */
  box: [number, number, number, number];
  classId: number;
  score: number;
  maskChannel: number;
}

function segmentationOutputs(candidates: Candidate[]) {
  const rows = 4 + CLASSES + MASK_CHANNELS;
  const detections = new Float32Array(rows * ANCHORS);
  for (const { anchor, box, classId, score, maskChannel } of candidates) {
    const [x1, y1, x2, y2] = box;
    [(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1].forEach((value, row) => (detections[row * ANCHORS + anchor] = value));
    detections[(4 + classId) * ANCHORS + anchor] = score;
    detections[(4 + CLASSES + maskChannel) * ANCHORS + anchor] = 1;
  }
  const prototypes = new Float32Array(MASK_CHANNELS * PROTOTYPE_SIDE * PROTOTYPE_SIDE).fill(-20);
  // In prototype cells, [x1, x2) × [y1, y2).
  const fill = (channel: number, x1: number, y1: number, x2: number, y2: number) => {
    for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) prototypes[(channel * PROTOTYPE_SIDE + y) * PROTOTYPE_SIDE + x] = 20;
  };
  fill(0, 2, 6, 6, 10); // image px x [16, 48), y [16, 48)
  fill(1, 8, 5, 14, 11); // image px x [64, 112), y [8, 56)
  return [
    { name: 'output0', dims: [1, rows, ANCHORS], data: detections },
    { name: 'output1', dims: [1, MASK_CHANNELS, PROTOTYPE_SIDE, PROTOTYPE_SIDE], data: prototypes },
  ];
}

const candidates: Candidate[] = [
  // Around channel 0's rectangle; its anchor comes after the next one's, so the coefficients must follow the box.
  { anchor: 40, box: [4, 20, 28, 44], classId: 0, score: 0.9, maskChannel: 0 },
  { anchor: 5, box: [28, 16, 60, 48], classId: 1, score: 0.8, maskChannel: 1 },
  // A near-duplicate of the first (IoU ≈ 0.85): NMS removes it, else its channel-1 mask would show up.
  { anchor: 30, box: [5, 21, 28, 44], classId: 0, score: 0.7, maskChannel: 1 },
  // Channel 1's rectangle cut to a box over its left half.
  { anchor: 50, box: [32, 20, 44, 44], classId: 0, score: 0.6, maskChannel: 1 },
];

let folder: string;
let modelFile: string;
beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'vad-synthetic-segmenters-'));
  modelFile = path.join(folder, 'yolov8-seg.onnx');
  await writeFile(modelFile, constantOutputModel(segmentationOutputs(candidates), INPUT));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

const image = () => VadImage.fromPixels({ data: new Uint8Array(128 * 64 * 3).fill(90), width: 128, height: 64 });

/** Inclusive pixel bounds of a polygon. */
function boundsOf(points: unknown): { x1: number; y1: number; x2: number; y2: number } {
  const list = points as Array<{ x: number; y: number }>;
  const xs = list.map((p) => p.x), ys = list.map((p) => p.y);
  return { x1: Math.min(...xs), y1: Math.min(...ys), x2: Math.max(...xs), y2: Math.max(...ys) };
}

function expectBounds(prediction: Detection, expected: { x1: number; y1: number; x2: number; y2: number }) {
  const bounds = boundsOf(prediction.points);
  for (const key of ['x1', 'y1', 'x2', 'y2'] as const) expect(Math.abs(bounds[key] - expected[key]), `${key}: ${bounds[key]} vs ${expected[key]}`).toBeLessThanOrEqual(1);
}

describe('YOLOv8-seg layout built in code', () => {
  it('is detected by shape and decodes boxes with the letterbox undone', async () => {
    const detector = await createObjectDetector({ model: modelFile, classNames: ['part', 'hole'] });
    try {
      expect(detector.decoder).toBe('yolov8_seg');
      const { predictions } = await detector.detect(image(), { confidence: 0.5 });
      expect(predictions.map((p) => [p.class, p.x, p.y, p.width, p.height])).toEqual([
        ['part', 32, 32, 48, 48],
        ['hole', 88, 32, 64, 64],
        ['part', 76, 32, 24, 48],
      ]);
    } finally {
      await detector.dispose();
    }
  });

  it('gives each kept detection the outline of its own mask, cut to its box, in image pixels', async () => {
    const segmenter = await createInstanceSegmenter({ model: modelFile, classNames: ['part', 'hole'] });
    try {
      const { predictions } = await segmenter.segment(image(), { confidence: 0.5 });
      expect(predictions).toHaveLength(3);
      const [part, hole, cut] = predictions as [Detection, Detection, Detection];
      expect(part).toMatchObject({ class: 'part', class_id: 0 });
      expect(part.confidence).toBeCloseTo(0.9, 6);
      expectBounds(part, { x1: 16, y1: 16, x2: 47, y2: 47 });
      expect(hole).toMatchObject({ class: 'hole', class_id: 1 });
      expectBounds(hole, { x1: 64, y1: 8, x2: 111, y2: 55 });
      // The box ends at image x 88, so the mask stops there though channel 1 goes on to 112.
      expectBounds(cut, { x1: 64, y1: 8, x2: 87, y2: 55 });
      // A rectangle's outline: its corners, each cut by a pixel where bilinear upsampling rounds it, and no points along its straight sides.
      const points = part.points as Array<{ x: number; y: number }>;
      expect(points.length).toBeGreaterThanOrEqual(4);
      expect(points.length).toBeLessThanOrEqual(8);
      for (const point of points) expect(Math.min(Math.abs(point.x - 16), Math.abs(point.x - 47)) <= 1 || Math.min(Math.abs(point.y - 16), Math.abs(point.y - 47)) <= 1).toBe(true);
    } finally {
      await segmenter.dispose();
    }
  });

  it('applies class-agnostic NMS across classes as the detector does', async () => {
    const segmenter = await createInstanceSegmenter({ model: modelFile, classNames: ['part', 'hole'] });
    try {
      // The cut box lies inside the hole box (IoU 0.28): suppressed at 0.2, kept at 0.3.
      const agnostic = await segmenter.segment(image(), { confidence: 0.5, classAgnosticNms: true, iouThreshold: 0.2 });
      expect(agnostic.predictions.map((p) => p.class)).toEqual(['part', 'hole']);
      expectBounds(agnostic.predictions[1]!, { x1: 64, y1: 8, x2: 111, y2: 55 });
    } finally {
      await segmenter.dispose();
    }
  });

  it('rejects a detection-only export, naming the step and model_id', async () => {
    const file = path.join(folder, 'yolov8.onnx');
    await writeFile(file, constantOutputModel([{ name: 'output0', dims: [1, 6, ANCHORS], data: new Float32Array(6 * ANCHORS) }], INPUT));
    const error = await createInstanceSegmenter({ model: file, stepName: 'segmenter' }).catch((e: unknown) => e);
    expect(ModelLoadError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ stepName: 'segmenter', property: 'model_id' });
    expect((error as Error).message).toMatch(/is not a YOLOv8\/YOLO11-seg export.*output0 \[1, 6, 84\]/);
  });
});

describe('the instance segmentation block under Roboflow\'s v3 name', () => {
  const definition = (modelId: string): WorkflowDefinition => ({
    version: '1.0',
    inputs: [
      { type: 'WorkflowImage', name: 'image' },
      { type: 'WorkflowParameter', name: 'threshold', default_value: 0.65 },
    ],
    steps: [
      {
        type: 'roboflow_core/roboflow_instance_segmentation_model@v3',
        name: 'segmenter',
        images: '$inputs.image',
        model_id: modelId,
        class_names: ['part', 'hole'],
        confidence_mode: 'custom',
        custom_confidence: '$inputs.threshold',
        mask_decode_mode: 'fast',
        tradeoff_factor: 0.5,
      },
    ],
    outputs: [
      { type: 'JsonField', name: 'predictions', selector: '$steps.segmenter.predictions' },
      { type: 'JsonField', name: 'model_id', selector: '$steps.segmenter.model_id' },
    ],
  });
  const registry = () => createBlockRegistry([...coreBlocks(), ...detectionBlocks()]);

  it('returns Roboflow\'s prediction fields with points, above the custom confidence', async () => {
    const workflow = createWorkflow(definition(modelFile), { registry: registry() });
    try {
      const input = image();
      const [record] = (await workflow.run({ inputs: { image: input } })).outputs;
      const { predictions } = record!.predictions as Detections;
      expect(predictions.map((p) => p.class)).toEqual(['part', 'hole']); // 0.6 is below 0.65
      for (const p of predictions) {
        expect(Object.keys(p).sort()).toEqual(['class', 'class_id', 'confidence', 'detection_id', 'height', 'parent_id', 'points', 'width', 'x', 'y']);
        expect(p.parent_id).toBe(input.id);
      }
      expectBounds(predictions[0]!, { x1: 16, y1: 16, x2: 47, y2: 47 });
      expect(record!.model_id).toBe(modelFile);
    } finally {
      await workflow.dispose();
    }
  });

  it('names the step and model_id when the model has no mask output', async () => {
    const file = path.join(folder, 'yolov8-detect.onnx');
    await writeFile(file, constantOutputModel([{ name: 'output0', dims: [1, 6, ANCHORS], data: new Float32Array(6 * ANCHORS) }], INPUT));
    const workflow = createWorkflow(definition(file), { registry: registry() });
    try {
      const error = await workflow.run({ inputs: { image: image() } }).catch((e: unknown) => e);
      // The engine wraps what the step threw; the cause says which property.
      expect(error).toMatchObject({ stepName: 'segmenter' });
      expect((error as Error).cause).toMatchObject({ stepName: 'segmenter', property: 'model_id' });
      expect((error as Error).message).toMatch(/not a YOLOv8\/YOLO11-seg export/);
    } finally {
      await workflow.dispose();
    }
  });
});

describe('the instance segmentation block under Roboflow\'s v4 and v5 names (RLE masks)', () => {
  const definition = (type: string): WorkflowDefinition => ({
    version: '1.0',
    inputs: [{ type: 'WorkflowImage', name: 'image' }],
    steps: [{ type, name: 'segmenter', image: '$inputs.image', model_id: modelFile, class_names: ['part', 'hole'], confidence_mode: 'custom', custom_confidence: 0.5, mask_decode_mode: 'accurate', tradeoff_factor: 1 }],
    outputs: [{ type: 'JsonField', name: 'predictions', selector: '$steps.segmenter.predictions' }],
  });

  for (const version of ['v4', 'v5']) {
    it(`${version}: each prediction carries its whole mask as COCO RLE at the image's size, matching its outline`, async () => {
      const workflow = createWorkflow(definition(`roboflow_core/roboflow_instance_segmentation_model@${version}`), { registry: createBlockRegistry([...coreBlocks(), ...detectionBlocks()]) });
      try {
        const [record] = (await workflow.run({ inputs: { image: image() } })).outputs;
        const { predictions } = record!.predictions as Detections;
        expect(predictions.map((p) => p.class)).toEqual(['part', 'hole', 'part']);
        for (const prediction of predictions) {
          const rle = prediction.rle_mask as CocoRle;
          expect(rle.size).toEqual([64, 128]);
          const mask = decodeRle(rle);
          // The RLE holds the same pixels as the filled outline (each mask here is one rectangle).
          const filled = fillPolygon(prediction.points as Array<{ x: number; y: number }>, 128, 64);
          let differing = 0;
          for (let i = 0; i < mask.length; i++) if (mask[i] !== filled[i]) differing++;
          expect(differing).toBe(0);
          expect(rleArea(rle)).toBe(mask.reduce((sum, v) => sum + v, 0));
        }
        // The part's mask: image px x [16, 48), y [16, 48), give or take a pixel of bilinear rounding on each side.
        const part = decodeRle(predictions[0]!.rle_mask as CocoRle);
        expect(rleArea(predictions[0]!.rle_mask as CocoRle)).toBeGreaterThanOrEqual(30 * 30);
        expect(rleArea(predictions[0]!.rle_mask as CocoRle)).toBeLessThanOrEqual(34 * 34);
        expect(part[32 * 128 + 32]).toBe(1);
        expect(part[32 * 128 + 10]).toBe(0);
        expect(part[10 * 128 + 32]).toBe(0);
      } finally {
        await workflow.dispose();
      }
    });
  }
});
