import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { VadImage, type Detection, type Detections, type SingleLabelClassification } from '@vad/core';
import { sharedPath } from '@vad/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepImage, photosDir, runCorpus } from './corpus-workflows.js';
// The synthetic ONNX models of @vad/blocks-detection's tests: outputs fixed in code, any input.
import { constantOutputModel } from '../../blocks-detection/test/constant-output-model.js';

const photos = photosDir;
const run = async (file: string, inputs: Record<string, unknown>, modelsDir: string) => (await runCorpus(file, inputs, modelsDir))[0]!;
const models = sharedPath('models');

const corners = (p: Detection) => [p.x - p.width / 2, p.y - p.height / 2, p.x + p.width / 2, p.y + p.height / 2] as const;
const grey = (width: number, height: number) => VadImage.fromPixels({ data: new Uint8Array(width * height * 3).fill(90), width, height });


/** Pixels that differ between two images of one size, as (x, y) indices. */
async function changedPixels(a: VadImage, b: VadImage): Promise<number[]> {
  const [pa, pb] = await Promise.all([a.pixels(), b.pixels()]);
  const out: number[] = [];
  for (let i = 0; i < pa.width * pa.height; i++) if (pa.data[i * 3] !== pb.data[i * 3] || pa.data[i * 3 + 1] !== pb.data[i * 3 + 1] || pa.data[i * 3 + 2] !== pb.data[i * 3 + 2]) out.push(i);
  return out;
}

// ---- synthetic models ----------------------------------------------------------------------

const INPUT = 64;
const ANCHORS = 8 * 8 + 4 * 4 + 2 * 2;

/** A YOLOv8 detector with ten classes (named "0"–"9" for want of metadata): digits at fixed places of a 64×64 image. */
function digitsModel(digits: Array<{ box: [number, number, number, number]; digit: number; anchor: number }>): Uint8Array {
  const rows = 4 + 10;
  const data = new Float32Array(rows * ANCHORS);
  for (const { box: [x1, y1, x2, y2], digit, anchor } of digits) {
    [(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1].forEach((value, row) => (data[row * ANCHORS + anchor] = value));
    data[(4 + digit) * ANCHORS + anchor] = 0.9;
  }
  return constantOutputModel([{ name: 'output0', dims: [1, rows, ANCHORS], data }], INPUT);
}

/**
 * A YOLOv8-seg export (as @vad/blocks-detection's segmentation tests build it): two classes, 32 mask
 * channels on 16×16 prototypes. On a 128×64 image (letterboxed at scale 0.5, 16 px bars) the
 * "part" mask covers image pixels x 16–47, y 16–47 and the "hole" mask x 64–111, y 8–55.
 */
function partsSegmentationModel(): Uint8Array {
  const classes = 2, channels = 32, side = INPUT / 4, rows = 4 + classes + channels;
  const detections = new Float32Array(rows * ANCHORS);
  const candidates = [
    { anchor: 40, box: [4, 20, 28, 44], classId: 0, channel: 0 },
    { anchor: 5, box: [28, 16, 60, 48], classId: 1, channel: 1 },
  ];
  for (const { anchor, box: [x1, y1, x2, y2], classId, channel } of candidates) {
    [(x1! + x2!) / 2, (y1! + y2!) / 2, x2! - x1!, y2! - y1!].forEach((value, row) => (detections[row * ANCHORS + anchor] = value));
    detections[(4 + classId) * ANCHORS + anchor] = 0.9;
    detections[(4 + classes + channel) * ANCHORS + anchor] = 1;
  }
  const prototypes = new Float32Array(channels * side * side).fill(-20);
  const fill = (channel: number, x1: number, y1: number, x2: number, y2: number) => {
    for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) prototypes[(channel * side + y) * side + x] = 20;
  };
  fill(0, 2, 6, 6, 10);
  fill(1, 8, 5, 14, 11);
  return constantOutputModel(
    [
      { name: 'output0', dims: [1, rows, ANCHORS], data: detections },
      { name: 'output1', dims: [1, channels, side, side], data: prototypes },
    ],
    INPUT,
  );
}

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'vad-detection-utils-'));
  await writeFile(path.join(folder, 'parts-seg.onnx'), partsSegmentationModel());
  // "42" on one line, "7" below it; anchors out of reading order.
  await writeFile(path.join(folder, 'digits.onnx'), digitsModel([
    { box: [30, 10, 40, 22], digit: 2, anchor: 3 },
    { box: [12, 30, 22, 42], digit: 7, anchor: 9 },
    { box: [14, 8, 24, 20], digit: 4, anchor: 20 },
  ]));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

// ---- tests ---------------------------------------------------------------------------------

describe('stitch_ocr_detections after a detector whose classes are characters (synthetic digit detector)', () => {
  it('reads the digits line by line, and honours tolerance, delimiter and right-to-left', async () => {
    const image = grey(64, 64);
    const out = await run('detection-utils/read-digits.json', { image }, folder);
    expect(out.ocr_text).toBe('42\n7');
    expect(out.rtl_text).toBe('24\n7');
    // A tolerance wider than the gap between the lines' top edges (8 → 30) reads them as one line.
    expect((await run('detection-utils/read-digits.json', { image, tolerance: 25 }, folder)).ocr_text).toBe('742');
    expect((await run('detection-utils/read-digits.json', { image, delimiter: '-' }, folder)).ocr_text).toBe('4-2-\n-7');
    await expect(run('detection-utils/read-digits.json', { image, tolerance: 0 }, folder)).rejects.toThrow(/tolerance/);
  });
});

describe('bounding_rect after an instance segmentation model (synthetic YOLOv8-seg)', () => {
  it('fits each mask outline with its rectangle: upright masks give angle 90 with the vertical side as width (OpenCV)', async () => {
    const out = await run('detection-utils/segment-and-fit-rectangles.json', { image: grey(128, 64) }, folder);
    const result = (out.result as Detections).predictions;
    const segments = (out.segments as Detections).predictions;
    expect(result.map((p) => p.class)).toEqual(segments.map((p) => p.class));
    expect(result).toHaveLength(2);
    // By class: "0" the part, "1" the hole (equal scores, so their order is the model's).
    const expected: Record<string, { x1: number; y1: number; x2: number; y2: number }> = {
      '0': { x1: 16, y1: 16, x2: 47, y2: 47 },
      '1': { x1: 64, y1: 8, x2: 111, y2: 55 },
    };
    expect(result.map((p) => p.class).sort()).toEqual(['0', '1']);
    result.forEach((p) => {
      const { x1, y1, x2, y2 } = expected[p.class]!;
      const rect = p.rect as number[][];
      expect(rect).toHaveLength(4);
      // Each corner within a pixel of the mask's corner pixels (bilinear upsampling rounds corners by a pixel).
      const xs = rect.map(([x]) => x!), ys = rect.map(([, y]) => y!);
      expect(Math.abs(Math.min(...xs) - x1)).toBeLessThanOrEqual(1);
      expect(Math.abs(Math.max(...xs) - x2)).toBeLessThanOrEqual(1);
      expect(Math.abs(Math.min(...ys) - y1)).toBeLessThanOrEqual(1);
      expect(Math.abs(Math.max(...ys) - y2)).toBeLessThanOrEqual(1);
      expect(p.angle as number).toBeCloseTo(90, 6);
      // The sides, within the pixel the corners lose to their cut to whole pixels.
      expect(Math.abs((p.rect_width as number) - (Math.max(...ys) - Math.min(...ys)))).toBeLessThanOrEqual(1);
      expect(Math.abs((p.rect_height as number) - (Math.max(...xs) - Math.min(...xs)))).toBeLessThanOrEqual(1);
      expect(corners(p)).toEqual([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]);
      expect(p.points).toEqual(rect.map(([x, y]) => ({ x, y })));
    });
  });
});

describe('mask, polygon, bounding box and reference path visualizations of a segmentation (synthetic YOLOv8-seg)', () => {
  it('each changes the image; the mask changes only pixels inside the masks (Roboflow v5 visualization test)', async () => {
    const image = grey(128, 64);
    const out = await run('visualization/segment-and-draw-masks.json', { image, path: [[0, 60], [127, 60]] }, folder);
    const predictions = (out.predictions as Detections).predictions;
    expect(predictions.map((p) => p.class).sort()).toEqual(['0', '1']);
    for (const name of ['mask', 'polygon', 'bounding_box', 'path'] as const) {
      await keepImage(out[name] as VadImage, `segmentation-${name}`);
      expect((await changedPixels(out[name] as VadImage, image)).length, name).toBeGreaterThan(50);
    }
    const inside = (x: number, y: number) => (x >= 15 && x <= 48 && y >= 15 && y <= 48) || (x >= 63 && x <= 112 && y >= 7 && y <= 56);
    const changed = await changedPixels(out.mask as VadImage, image);
    for (const index of changed) expect(inside(index % 128, Math.floor(index / 128)), `pixel ${index % 128},${Math.floor(index / 128)}`).toBe(true);
    // Most of both masks is painted (32×32 + 48×48 pixels).
    expect(changed.length).toBeGreaterThan(0.9 * (32 * 32 + 48 * 48));
    // The path is drawn over the masked image, along y = 60 only.
    const path = await changedPixels(out.path as VadImage, out.mask as VadImage);
    expect(path.every((index) => Math.abs(Math.floor(index / 128) - 60) <= 1)).toBe(true);
    expect(path.length).toBeGreaterThanOrEqual(128);
    // The input image is unchanged (copy_image).
    expect((await image.pixels()).data.every((value) => value === 90)).toBe(true);
  });
});

describe.skipIf(!photos || !models)('detections merge and overlap on a real photo (yolox_nano, dog.jpg)', () => {
  it('merges every detection into one box around them all; overlap finds the objects on the bicycle', async () => {
    const image = await VadImage.fromBytes(await readFile(path.join(photos!, 'dog.jpg')));
    const out = await run('detection-utils/merge-and-overlap.json', { image }, models!);
    const detections = (out.detections as Detections).predictions;
    expect(detections.length).toBeGreaterThanOrEqual(2);
    const merged = (out.merged as Detections).predictions;
    expect(merged).toHaveLength(1);
    const [mx1, my1, mx2, my2] = corners(merged[0]!);
    // The union of the boxes, computed here independently.
    expect(mx1).toBeCloseTo(Math.min(...detections.map((p) => corners(p)[0])), 6);
    expect(my1).toBeCloseTo(Math.min(...detections.map((p) => corners(p)[1])), 6);
    expect(mx2).toBeCloseTo(Math.max(...detections.map((p) => corners(p)[2])), 6);
    expect(my2).toBeCloseTo(Math.max(...detections.map((p) => corners(p)[3])), 6);
    expect(mx1 >= 0 && mx2 <= image.width && my1 >= 0 && my2 <= image.height).toBe(true);
    expect(mx2 - mx1).toBeGreaterThan(100);
    expect(my2 - my1).toBeGreaterThan(100);
    expect(merged[0]).toMatchObject({ class: 'merged_detection', class_id: 0, confidence: Math.min(...detections.map((p) => p.confidence)) });
    expect((out.named as Detections).predictions[0]!.class).toBe('scene');

    // COCO class 1 is the bicycle, 16 the dog, which sits in front of it.
    const bicycles = detections.filter((p) => p.class === '1');
    expect(bicycles.length).toBeGreaterThanOrEqual(1);
    const anyOverlap = (out.any_overlap as Detections).predictions;
    const centreOverlap = (out.center_overlap as Detections).predictions;
    expect(anyOverlap.some((p) => p.class === '16')).toBe(true);
    expect(anyOverlap.every((p) => p.class !== '1')).toBe(true);
    // Centre overlap is the stricter test: a subset of any overlap, each centre inside some bicycle box.
    expect(centreOverlap.every((p) => anyOverlap.some((q) => q.detection_id === p.detection_id))).toBe(true);
    for (const p of centreOverlap) expect(bicycles.some((b) => { const [x1, y1, x2, y2] = corners(b); return p.x > x1 && p.x < x2 && p.y > y1 && p.y < y2; })).toBe(true);
    // Every detection left out by Any Overlap really is apart from every bicycle.
    for (const p of detections.filter((d) => d.class !== '1' && !anyOverlap.some((q) => q.detection_id === d.detection_id))) {
      const [x1, y1, x2, y2] = corners(p);
      expect(bicycles.every((b) => { const [bx1, by1, bx2, by2] = corners(b); return x2 < bx1 || x1 > bx2 || y2 < by1 || y1 > by2; })).toBe(true);
    }
  });
});

describe.skipIf(!photos || !models)('classification label visualization after a real classifier (mobilenetv2, dog.jpg)', () => {
  it('writes the top class on the image, in the top-left corner', async () => {
    const image = await VadImage.fromBytes(await readFile(path.join(photos!, 'dog.jpg')));
    const out = await run('visualization/classify-and-label.json', { image }, models!);
    const classification = out.model_predictions as SingleLabelClassification;
    expect(classification.prediction_type).toBe('classification');
    // ImageNet ids 151–268 are dog breeds.
    const top = classification.predictions[0]!;
    expect(top.class_id >= 151 && top.class_id <= 268, `top class ${top.class}`).toBe(true);
    const drawn = out.classification_label_visualization as VadImage;
    await keepImage(drawn, 'classification-label');
    const changed = await changedPixels(drawn, image);
    expect(changed.length).toBeGreaterThan(500);
    // One label row (single-label): it ends one row's spacing (20 + 56 + 2 + 5 = 83 px) below the top, from x = 0.
    const rows = changed.map((index) => Math.floor(index / image.width));
    expect(Math.max(...rows)).toBeLessThanOrEqual(83);
    expect(Math.min(...changed.map((index) => index % image.width))).toBe(0);
  });
});
