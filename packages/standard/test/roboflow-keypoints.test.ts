import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createWorkflow, loadSharp, VadImage, type Detections, type WorkflowDefinition } from '@vad/core';
import { sharedPath } from '@vad/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStandardRegistry } from '../src/index.js';
import { keepImage, runDefinition } from './corpus-workflows.js';
import { constantOutputModel } from '../../blocks-detection/test/constant-output-model.js';

const photos = sharedPath('datasets/photos');
const corpus = path.join(path.dirname(new URL(import.meta.url).pathname), 'roboflow-corpus', 'keypoints');
const load = (name: string) => JSON.parse(readFileSync(path.join(corpus, name), 'utf8')) as WorkflowDefinition;

/**
 * A COCO pose export built in code for a 640×640 input whose one detection is the person in
 * person.jpg at 640×424 (placed by hand). That image letterboxes at scale 1 with 108 px bars
 * above and below, so input (x, y) is image (x, y − 108). Seen from behind, the face points have
 * visibility 0.3.
 */
const INPUT = 640;
const ANCHORS = 80 * 80 + 40 * 40 + 20 * 20;
const PAD = (640 - 424) / 2;
const person: Array<[number, number]> = [
  [235, 118], [230, 113], [240, 113], [225, 117], [245, 117], [205, 140], [255, 140], [200, 200], [262, 195],
  [205, 235], [265, 250], [212, 245], [245, 245], [215, 300], [240, 300], [215, 360], [235, 360],
];
const box = { x1: 190, y1: 98, x2: 275, y2: 375 };

function poseModel(): Uint8Array {
  const rows = 4 + 1 + 17 * 3;
  const data = new Float32Array(rows * ANCHORS);
  const anchor = 1234;
  const set = (row: number, value: number) => (data[row * ANCHORS + anchor] = value);
  [(box.x1 + box.x2) / 2, (box.y1 + box.y2) / 2 + PAD, box.x2 - box.x1, box.y2 - box.y1].forEach((value, row) => set(row, value));
  set(4, 0.88);
  person.forEach(([x, y], k) => {
    set(5 + 3 * k, x);
    set(6 + 3 * k, y + PAD);
    set(7 + 3 * k, k < 5 ? 0.3 : 0.95);
  });
  return constantOutputModel([{ name: 'output0', dims: [1, rows, ANCHORS], data }], INPUT, { names: "{0: 'person'}", kpt_shape: '[17, 3]', task: 'pose' });
}

let modelsDir: string;
beforeAll(async () => {
  modelsDir = await mkdtemp(path.join(os.tmpdir(), 'vad-rf-keypoints-'));
  await writeFile(path.join(modelsDir, 'pose.onnx'), poseModel());
  // The definitions name Roboflow's model id; models.json maps it to the export.
  await writeFile(path.join(modelsDir, 'models.json'), JSON.stringify({ 'yolov8n-pose-640': 'pose.onnx' }));
});
afterAll(() => rm(modelsDir, { recursive: true, force: true }));
const runOne = async (definition: WorkflowDefinition, image: VadImage) => (await runDefinition(definition, { image }, modelsDir))[0]!;

async function personImage(): Promise<VadImage> {
  const sharp = await loadSharp();
  const { data, info } = await sharp(readFileSync(path.join(photos!, 'person.jpg'))).resize({ width: 640 }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return VadImage.fromPixels({ data: new Uint8Array(data), width: info.width, height: info.height });
}


const pixel = (image: { data: Uint8Array; width: number }, x: number, y: number) => Array.from(image.data.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3));
type Keypoint = { x: number; y: number; confidence: number; class_id: number; class: string };

describe.skipIf(!photos)('Roboflow keypoint definitions on person.jpg with a synthetic COCO pose export', () => {
  it('pose-skeleton-and-labels: keypoints in image pixels without the face (below keypoint_confidence), skeleton and labels drawn', async () => {
    const image = await personImage();
    expect([image.width, image.height]).toEqual([640, 424]);
    const record = await runOne(load('pose-skeleton-and-labels.json'), image);
    const { predictions } = record.predictions as Detections;
    expect(predictions).toHaveLength(1);
    expect(predictions[0]).toMatchObject({ class: 'person', class_id: 0, x: 232.5, y: 236.5, width: 85, height: 277 });
    const keypoints = predictions[0]!.keypoints as Keypoint[];
    expect(keypoints.map((k) => k.class_id)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    expect(keypoints.map((k) => k.class)).toEqual(['left_shoulder', 'right_shoulder', 'left_elbow', 'right_elbow', 'left_wrist', 'right_wrist', 'left_hip', 'right_hip', 'left_knee', 'right_knee', 'left_ankle', 'right_ankle']);
    expect(keypoints.map((k) => [k.x, k.y])).toEqual(person.slice(5));
    const drawn = record.visualization as VadImage;
    await keepImage(drawn, 'skeleton-and-labels');
    const pixels = await drawn.pixels();
    expect(pixel(pixels, 230, 140)).toEqual([0xa3, 0x51, 0xfb]); // the shoulder edge (6, 7), in Roboflow's default purple
    expect(pixel(pixels, 235, 105)).toEqual(pixel(await image.pixels(), 235, 105)); // no face edges: their keypoints were left out
    // The label of the right ankle (index 16) is yellow around its centre.
    const around = [-9, 9].map((dx) => pixel(pixels, 235 + dx, 360 + 6));
    for (const colour of around) expect(colour).toEqual([255, 255, 0]);
  });

  it('pose-perspective-v3: custom confidence; perspective_correction moves the keypoints with the same transform as the box', async () => {
    const image = await personImage();
    const record = await runOne(load('pose-perspective-v3.json'), image);
    const keypoints = ((record.predictions as Detections).predictions[0]!.keypoints as Keypoint[]);
    expect(keypoints).toHaveLength(17); // v3 has no keypoint_confidence set: 0 keeps all
    const corrected = (record.corrected as Detections).predictions[0]!;
    // The zone's corners (100, 100)–(400, 400) go to (0, 0)–(599, 599), as OpenCV's destination
    // corners: a scale of 599 / 300 after a shift by −100, rounded as Roboflow rounds keypoints.
    const scale = 599 / 300;
    const expected = person.map(([x, y]) => [(x - 100) * scale, (y - 100) * scale]);
    const moved = corrected.keypoints as Keypoint[];
    expect(moved).toHaveLength(17);
    moved.forEach((k, i) => {
      expect(Number.isInteger(k.x) && Number.isInteger(k.y)).toBe(true);
      // Rounded: within half a pixel (plus float error where the exact value ends in .5).
      expect(Math.abs(k.x - expected[i]![0]!)).toBeLessThanOrEqual(0.5 + 1e-6);
      expect(Math.abs(k.y - expected[i]![1]!)).toBeLessThanOrEqual(0.5 + 1e-6);
    });
    expect((corrected.keypoints as Keypoint[])[5]).toMatchObject({ class: 'left_shoulder', class_id: 5 });
    expect(corrected.x).toBeCloseTo((232.5 - 100) * scale, 0);
    const drawn = record.visualization as VadImage;
    await keepImage(drawn, 'perspective-vertices');
    const pixels = await drawn.pixels();
    expect([pixels.width, pixels.height]).toEqual([600, 600]);
    expect(pixel(pixels, moved[5]!.x, moved[5]!.y)).toEqual([0xa3, 0x51, 0xfb]);
  });

  it('refuses a detection-only export under a Roboflow model id, naming the step and model_id', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'vad-rf-keypoints-detect-'));
    try {
      const rows = 4 + 80;
      await writeFile(path.join(folder, 'detect.onnx'), constantOutputModel([{ name: 'output0', dims: [1, rows, ANCHORS], data: new Float32Array(rows * ANCHORS) }], INPUT));
      await writeFile(path.join(folder, 'models.json'), JSON.stringify({ 'yolov8n-pose-640': 'detect.onnx' }));
      const { registry } = await createStandardRegistry({ plugins: [] });
      const workflow = createWorkflow(load('pose-skeleton-and-labels.json'), { registry, host: { modelsDir: folder } });
      const error = await workflow.run({ inputs: { image: await personImage() } }).catch((e: unknown) => e);
      await workflow.dispose();
      expect(error).toMatchObject({ stepName: 'pose' });
      expect(((error as Error).cause ?? error) as object).toMatchObject({ stepName: 'pose', property: 'model_id' });
      expect((error as Error).message).toMatch(/not a YOLOv8\/YOLO11-pose export/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
