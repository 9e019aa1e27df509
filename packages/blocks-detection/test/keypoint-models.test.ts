import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { coreBlocks, createBlockRegistry, createWorkflow, ModelLoadError, VadImage, type Detections, type WorkflowDefinition } from '@vad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cocoKeypointNames, createKeypointDetector, createObjectDetector, detectionBlocks, keypointNamesFromMetadata, keypointShapeFromMetadata } from '../src/index.js';
import { constantOutputModel } from './constant-output-model.js';

/**
 * A YOLOv8-pose export with known outputs on a 64×64 input: two classes, three keypoints of
 * (x, y, visibility). The 128×64 image letterboxes at scale 0.5 with 16 px bars above and below,
 * so input (x, y) is image (2x, 2(y − 16)).
 */
const INPUT = 64;
const ANCHORS = 8 * 8 + 4 * 4 + 2 * 2;
const CLASSES = 2;
const KEYPOINTS = 3;

interface Candidate {
  anchor: number;
  box: [number, number, number, number];
  classId: number;
  score: number;
  /** Input pixels and visibility. */
  keypoints: Array<[number, number, number]>;
}

function poseOutput(candidates: Candidate[], classes = CLASSES, keypointCount = KEYPOINTS) {
  const rows = 4 + classes + 3 * keypointCount;
  const data = new Float32Array(rows * ANCHORS);
  for (const { anchor, box, classId, score, keypoints } of candidates) {
    const [x1, y1, x2, y2] = box;
    [(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1].forEach((value, row) => (data[row * ANCHORS + anchor] = value));
    data[(4 + classId) * ANCHORS + anchor] = score;
    keypoints.forEach((values, k) => values.forEach((value, v) => (data[(4 + classes + 3 * k + v) * ANCHORS + anchor] = value)));
  }
  return [{ name: 'output0', dims: [1, rows, ANCHORS], data }];
}

const candidates: Candidate[] = [
  // Its anchor comes after the next one's, so the keypoints must follow the box's own column.
  { anchor: 40, box: [4, 20, 28, 44], classId: 0, score: 0.9, keypoints: [[10, 24, 0.9], [20.3, 30.2, 0.2], [70, 5, 0.8]] },
  { anchor: 5, box: [36, 16, 60, 48], classId: 1, score: 0.8, keypoints: [[40, 20, 0.95], [50, 40, 0.6], [58, 46, 0.4]] },
  // A near-duplicate of the first (IoU ≈ 0.92): NMS removes it, else its keypoints at (1, 1) would show up.
  { anchor: 30, box: [5, 21, 28, 44], classId: 0, score: 0.7, keypoints: [[1, 17, 1], [1, 17, 1], [1, 17, 1]] },
];

let folder: string;
let modelFile: string;
let unnamedFile: string;
beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'vad-synthetic-pose-'));
  modelFile = path.join(folder, 'yolov8-pose.onnx');
  unnamedFile = path.join(folder, 'yolov8-pose-unnamed.onnx');
  const metadata = { names: "{0: 'person', 1: 'robot'}", kpt_shape: '[3, 3]', kpt_names: "{0: ['head', 'hand', 'foot'], 1: ['antenna', 'claw', 'wheel']}" };
  await writeFile(modelFile, constantOutputModel(poseOutput(candidates), INPUT, metadata));
  await writeFile(unnamedFile, constantOutputModel(poseOutput(candidates), INPUT, { kpt_shape: '[3, 3]' }));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

const image = () => VadImage.fromPixels({ data: new Uint8Array(128 * 64 * 3).fill(90), width: 128, height: 64 });

describe('YOLOv8-pose layout built in code', () => {
  it('reads kpt_shape and keypoint names from Ultralytics-style metadata', () => {
    expect(keypointShapeFromMetadata([{ key: 'kpt_shape', value: '[17, 3]' }])).toEqual([17, 3]);
    expect(keypointShapeFromMetadata([{ key: 'kpt_shape', value: 'none' }])).toBeUndefined();
    const names = keypointNamesFromMetadata([{ key: 'kpt_names', value: "{0: ['nose', \"it's\"], 1: ['a']}" }]);
    expect(names?.byClass?.get(0)).toEqual(['nose', "it's"]);
    expect(names?.byClass?.get(1)).toEqual(['a']);
    expect(keypointNamesFromMetadata([{ key: 'kpt_names', value: "['a', 'b']" }])?.all).toEqual(['a', 'b']);
  });

  it('returns each kept box with its own keypoints in image pixels, the letterbox undone, rounded and clipped', async () => {
    const detector = await createKeypointDetector({ model: modelFile });
    try {
      expect(detector.keypointShape).toEqual([3, 3]);
      const { predictions } = await detector.detect(image(), { confidence: 0.5 });
      expect(predictions.map((p) => [p.class, p.class_id, p.x, p.y, p.width, p.height])).toEqual([
        ['person', 0, 32, 32, 48, 48],
        ['robot', 1, 96, 32, 48, 64],
      ]);
      const [person, robot] = predictions;
      // (10, 24) → (20, 16); (20.3, 30.2) → (40.6, 28.4) rounded; (70, 5) → (140, −22), clipped to the 128×64 image.
      expect(person!.keypoints).toEqual([
        { x: 20, y: 16, confidence: expect.closeTo(0.9, 6), class_id: 0, class: 'head' },
        { x: 41, y: 28, confidence: expect.closeTo(0.2, 6), class_id: 1, class: 'hand' },
        { x: 128, y: 0, confidence: expect.closeTo(0.8, 6), class_id: 2, class: 'foot' },
      ]);
      // Per-class names from kpt_names; (50, 40) → (100, 48), (58, 46) → (116, 60).
      expect((robot!.keypoints as Array<{ x: number; y: number; class: string }>).map((k) => [k.class, k.x, k.y])).toEqual([
        ['antenna', 80, 8],
        ['claw', 100, 48],
        ['wheel', 116, 60],
      ]);
    } finally {
      await detector.dispose();
    }
  });

  it('leaves out keypoints below keypoint_confidence and keeps the others\' class ids', async () => {
    const detector = await createKeypointDetector({ model: modelFile });
    try {
      const { predictions } = await detector.detect(image(), { confidence: 0.5, keypointConfidence: 0.5 });
      const ids = predictions.map((p) => (p.keypoints as Array<{ class_id: number }>).map((k) => k.class_id));
      expect(ids).toEqual([[0, 2], [0, 1]]);
    } finally {
      await detector.dispose();
    }
  });

  it('names unnamed keypoints by index, and 17 unnamed keypoints by COCO', async () => {
    const unnamed = await createKeypointDetector({ model: unnamedFile });
    try {
      const { predictions } = await unnamed.detect(image(), { confidence: 0.5 });
      expect(predictions.map((p) => p.class)).toEqual(['0', '1']);
      expect((predictions[0]!.keypoints as Array<{ class: string }>).map((k) => k.class)).toEqual(['0', '1', '2']);
    } finally {
      await unnamed.dispose();
    }
    const coco = path.join(folder, 'coco-pose.onnx');
    const keypoints = Array.from({ length: 17 }, (_, k): [number, number, number] => [10 + k, 30, 0.9]);
    await writeFile(coco, constantOutputModel(poseOutput([{ anchor: 3, box: [4, 20, 40, 44], classId: 0, score: 0.9, keypoints }], 1, 17), INPUT, { names: "{0: 'person'}", kpt_shape: '[17, 3]' }));
    const detector = await createKeypointDetector({ model: coco });
    try {
      const { predictions } = await detector.detect(image());
      const names = (predictions[0]!.keypoints as Array<{ class: string; x: number }>).map((k) => k.class);
      expect(names).toEqual(cocoKeypointNames);
      expect(names[5]).toBe('left_shoulder');
      expect((predictions[0]!.keypoints as Array<{ x: number }>)[16]!.x).toBe(52);
    } finally {
      await detector.dispose();
    }
  });

  it('is recognised by the object detector from kpt_shape, which then returns boxes only', async () => {
    const detector = await createObjectDetector({ model: modelFile });
    try {
      expect(detector.decoder).toBe('yolov8_pose');
      const { predictions } = await detector.detect(image(), { confidence: 0.5 });
      expect(predictions.map((p) => p.class)).toEqual(['person', 'robot']);
      expect(predictions[0]!.keypoints).toBeUndefined();
    } finally {
      await detector.dispose();
    }
  });

  it('rejects a detection-only export, naming the step and model_id', async () => {
    const file = path.join(folder, 'yolov8.onnx');
    await writeFile(file, constantOutputModel([{ name: 'output0', dims: [1, 6, ANCHORS], data: new Float32Array(6 * ANCHORS) }], INPUT, { names: "{0: 'a', 1: 'b'}" }));
    const error = await createKeypointDetector({ model: file, stepName: 'pose' }).catch((e: unknown) => e);
    expect(ModelLoadError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ stepName: 'pose', property: 'model_id' });
    expect((error as Error).message).toMatch(/is not a YOLOv8\/YOLO11-pose export.*output0 \[1, 6, 84\]/);
  });
});

describe("the keypoint detection block under Roboflow's names", () => {
  const definition = (type: string, modelId: string, extra: Record<string, unknown>): WorkflowDefinition => ({
    version: '1.0',
    inputs: [{ type: 'WorkflowImage', name: 'image' }],
    steps: [{ type, name: 'pose', image: '$inputs.image', model_id: modelId, ...extra }],
    outputs: [
      { type: 'JsonField', name: 'predictions', selector: '$steps.pose.predictions' },
      { type: 'JsonField', name: 'model_id', selector: '$steps.pose.model_id' },
    ],
  });
  const registry = () => createBlockRegistry([...coreBlocks(), ...detectionBlocks()]);

  it("v3: custom confidence and keypoint_confidence, Roboflow's fields", async () => {
    const workflow = createWorkflow(definition('roboflow_core/roboflow_keypoint_detection_model@v3', modelFile, { confidence_mode: 'custom', custom_confidence: 0.85, keypoint_confidence: 0.85 }), { registry: registry() });
    try {
      const input = image();
      const [record] = (await workflow.run({ inputs: { image: input } })).outputs;
      const { predictions } = record!.predictions as Detections;
      expect(predictions.map((p) => p.class)).toEqual(['person']); // robot's 0.8 is below 0.85
      expect(Object.keys(predictions[0]!).sort()).toEqual(['class', 'class_id', 'confidence', 'detection_id', 'height', 'keypoints', 'parent_id', 'width', 'x', 'y']);
      expect(predictions[0]!.keypoints).toEqual([{ x: 20, y: 16, confidence: expect.closeTo(0.9, 6), class_id: 0, class: 'head' }]);
      expect(record!.model_id).toBe(modelFile);
    } finally {
      await workflow.dispose();
    }
  });

  it('v1 short literal with keypoint_names overriding the metadata', async () => {
    const workflow = createWorkflow(definition('KeypointsDetectionModel', modelFile, { keypoint_names: ['a', 'b', 'c'], class_filter: ['robot'] }), { registry: registry() });
    try {
      const [record] = (await workflow.run({ inputs: { image: image() } })).outputs;
      const { predictions } = record!.predictions as Detections;
      expect(predictions.map((p) => p.class)).toEqual(['robot']);
      expect((predictions[0]!.keypoints as Array<{ class: string }>).map((k) => k.class)).toEqual(['a', 'b', 'c']);
    } finally {
      await workflow.dispose();
    }
  });

  it('names the step and model_id when the model is a detection-only export', async () => {
    const file = path.join(folder, 'yolov8-detect.onnx');
    await writeFile(file, constantOutputModel([{ name: 'output0', dims: [1, 6, ANCHORS], data: new Float32Array(6 * ANCHORS) }], INPUT, { names: "{0: 'a', 1: 'b'}" }));
    const error = await Promise.resolve()
      .then(() => createWorkflow(definition('roboflow_core/roboflow_keypoint_detection_model@v2', file, {}), { registry: registry() }).run({ inputs: { image: image() } }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ stepName: 'pose' });
    const cause = ((error as Error).cause ?? error) as { stepName?: string; property?: string; message: string };
    expect(cause).toMatchObject({ stepName: 'pose', property: 'model_id' });
    expect(cause.message).toMatch(/not a YOLOv8\/YOLO11-pose export/);
  });
});
