import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWorkflow, decodeRle, fillPolygon, loadSharp, rleArea, VadImage, type CocoRle, type Detections, type WorkflowDefinition } from '@vad/core';
import { sharedPath } from '@vad/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStandardRegistry } from '../src/index.js';
// The synthetic ONNX models of @vad/blocks-detection's tests: outputs fixed in code, any input.
import { constantOutputModel } from '../../blocks-detection/test/constant-output-model.js';

const corpus = path.join(path.dirname(fileURLToPath(import.meta.url)), 'roboflow-corpus');
const photos = sharedPath('datasets/photos');

/**
 * A stand-in for `yolov8n-seg-640`: a YOLOv8-seg export on a 64 × 64 input with one detection
 * (class 16, "dog" in COCO order; box x [4, 60), y [12, 52) in input px) whose mask channel is +20
 * on prototype cells x [2, 14), y [4, 12) — input px x [8, 56), y [16, 48). A 320 × 240 image
 * letterboxes at scale 0.2 with 8 px bars above and below, so the mask is image px x [40, 280),
 * y [40, 200): 240 × 160 = 38,400 pixels.
 */
function segStandIn(): Uint8Array {
  const anchors = 8 * 8 + 4 * 4 + 2 * 2, classes = 80, channels = 32, side = 16, rows = 4 + classes + channels;
  const detections = new Float32Array(rows * anchors);
  [32, 32, 56, 40].forEach((value, row) => (detections[row * anchors] = value));
  detections[(4 + 16) * anchors] = 0.9;
  detections[(4 + classes) * anchors] = 1;
  const prototypes = new Float32Array(channels * side * side).fill(-20);
  for (let y = 4; y < 12; y++) for (let x = 2; x < 14; x++) prototypes[y * side + x] = 20;
  return constantOutputModel(
    [
      { name: 'output0', dims: [1, rows, anchors], data: detections },
      { name: 'output1', dims: [1, channels, side, side], data: prototypes },
    ],
    64,
  );
}

async function run(file: string, inputs: Record<string, unknown>) {
  const definition = JSON.parse(await readFile(path.join(corpus, file), 'utf8')) as WorkflowDefinition;
  const { registry } = await createStandardRegistry({ plugins: [] });
  const workflow = createWorkflow(definition, { registry, host: { modelsDir } });
  try {
    return (await workflow.run({ inputs })).outputs[0]!;
  } finally {
    await workflow.dispose?.();
  }
}

async function photo(name: string): Promise<VadImage> {
  const sharp = await loadSharp();
  const bytes = await sharp(await readFile(path.join(photos!, name))).resize(320, 240, { fit: 'fill' }).png().toBuffer();
  return VadImage.fromBytes(new Uint8Array(bytes));
}

let modelsDir: string;
beforeAll(async () => {
  modelsDir = await mkdtemp(path.join(os.tmpdir(), 'vad-instance-rle-'));
  await writeFile(path.join(modelsDir, 'seg.onnx'), segStandIn());
  await writeFile(path.join(modelsDir, 'models.json'), JSON.stringify({ 'yolov8n-seg-640': 'seg.onnx' }));
});
afterAll(() => rm(modelsDir, { recursive: true, force: true }));

describe.skipIf(!photos)("Roboflow's v4 instance segmentation, mask areas and visualizations on dog.jpg", () => {
  it('measures the RLE mask in pixels and cm² and paints exactly its pixels', async () => {
    const image = await photo('dog.jpg');
    const out = await run('segmentation/instance-segmentation-rle-areas.json', { image });
    const { predictions } = out.areas as Detections;
    expect(predictions).toHaveLength(1);
    const dog = predictions[0]!;
    expect(dog.class_id).toBe(16);
    const rle = dog.rle_mask as CocoRle;
    expect(rle.size).toEqual([240, 320]);
    // 240 × 160, give or take a pixel of bilinear rounding along each side.
    expect(Math.abs((dog.area_px as number) - 38_400)).toBeLessThan(2 * (240 + 160));
    expect(dog.area_px).toBe(rleArea(rle));
    expect(dog.area_converted as number).toBeCloseTo((dog.area_px as number) / 12.5 ** 2, 9);
    const mask = decodeRle(rle);
    expect(mask[120 * 320 + 160]).toBe(1);
    expect(mask[20 * 320 + 160]).toBe(0);
    const drawn = await (out.drawn as VadImage).pixels();
    const source = await image.pixels();
    const differs = (x: number, y: number) => [0, 1, 2].some((c) => drawn.data[(y * 320 + x) * 3 + c] !== source.data[(y * 320 + x) * 3 + c]);
    expect(differs(160, 120)).toBe(true); // inside: the mask's tint
    expect(differs(10, 10)).toBe(false); // far outside mask and outline
    expect(differs(300, 230)).toBe(false);
    const sharp = await loadSharp();
    writeFileSync('/tmp/instance-rle-dog.png', await sharp(Buffer.from(drawn.data), { raw: { width: 320, height: 240, channels: 3 } }).png().toBuffer());
  });
});

describe.skipIf(!photos)("Roboflow's mask_edge_snap with given masks and v5 masks on horses.jpg", () => {
  it('keeps each snapped border within pixel_tolerance of the rough one and measures the result', async () => {
    const image = await photo('horses.jpg');
    const rough = new Uint8Array(320 * 240);
    // A rough ellipse around the middle of the photo, given as a polygon.
    const points = Array.from({ length: 64 }, (_, k) => ({ x: Math.round(160 + 90 * Math.cos((k / 64) * 2 * Math.PI)), y: Math.round(130 + 60 * Math.sin((k / 64) * 2 * Math.PI)) }));
    const segmentation: Detections = {
      image: { width: 320, height: 240 },
      predictions: [{ x: 160, y: 130, width: 180, height: 120, confidence: 0.8, class: 'horse', class_id: 0, detection_id: 'rough', parent_id: image.id, points }],
    };
    rough.set(fillPolygon(points, 320, 240));
    const out = await run('segmentation/mask-edge-snap-given-masks.json', { image, rough_masks: segmentation });
    const refined = (out.refined as Detections).predictions[0]!;
    const snapped = decodeRle(refined.rle_mask as CocoRle);
    expect(refined.area_px).toBe(rleArea(refined.rle_mask as CocoRle));
    // Within 12 px (pixel_tolerance) plus a pixel of rounding: nothing beyond 13 px outside the rough mask
    // is added, nothing deeper than 13 px inside it is lost.
    const distanceToRough = (x: number, y: number, inside: number) => {
      for (let r = 0; r <= 14; r++) {
        for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) {
          const px = x + dx, py = y + dy;
          if (dx * dx + dy * dy > r * r || px < 0 || py < 0 || px >= 320 || py >= 240) continue;
          if (rough[py * 320 + px] === inside) return r;
        }
      }
      return Infinity;
    };
    let added = 0, removed = 0, changed = 0;
    for (let y = 0; y < 240; y += 2) for (let x = 0; x < 320; x += 2) {
      const i = y * 320 + x;
      if (snapped[i] === rough[i]) continue;
      changed++;
      if (snapped[i] && distanceToRough(x, y, 1) > 13) added++;
      if (!snapped[i] && distanceToRough(x, y, 0) > 13) removed++;
    }
    expect(added).toBe(0);
    expect(removed).toBe(0);
    expect(changed).toBeGreaterThan(0); // the photo has edges near the ellipse: something moved
    const overlay = Uint8Array.from((await image.pixels()).data);
    for (let i = 0; i < rough.length; i++) {
      if (rough[i] !== snapped[i]) overlay.set(snapped[i] ? [0, 255, 0] : [255, 0, 0], i * 3);
    }
    const sharp = await loadSharp();
    writeFileSync('/tmp/edge-snap-horses.png', await sharp(Buffer.from(overlay), { raw: { width: 320, height: 240, channels: 3 } }).png().toBuffer());
    const edges = out.edges as Detections;
    expect(edges.predictions.length).toBe(1);
    expect(edges.predictions[0]!.class).toBe('edges');
    // The model's (v5) masks go through the same block: one refined prediction with an image-sized RLE.
    const model = (out.refined_model as Detections).predictions;
    expect(model).toHaveLength(1);
    expect((model[0]!.rle_mask as CocoRle).size).toEqual([240, 320]);
  });
});
