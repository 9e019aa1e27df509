import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, loadSharp, VadImage } from '@vad/core';
import { sharedPath } from '@vad/testing';
import { cocoSkeleton, keypointVisualization } from '../src/index.js';
import { downscaledPhoto, runBlock, runContext } from './photos.js';

const photos = sharedPath('datasets/photos');
const pixel = (image: { data: Uint8Array; width: number }, x: number, y: number) => Array.from(image.data.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3));
const names = ['nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear', 'left_shoulder', 'right_shoulder', 'left_elbow', 'right_elbow', 'left_wrist', 'right_wrist', 'left_hip', 'right_hip', 'left_knee', 'right_knee', 'left_ankle', 'right_ankle'];

/** The person in person.jpg at 640 px (seen from behind), placed by hand. */
const personPoints: Array<[number, number]> = [
  [235, 118], [230, 113], [240, 113], [225, 117], [245, 117], [205, 140], [255, 140], [200, 200], [262, 195],
  [205, 235], [265, 250], [212, 245], [245, 245], [215, 300], [240, 300], [215, 360], [235, 360],
];

const pose = (points: Array<[number, number]>, size: { width: number; height: number }, extra: object = {}) => ({
  image: size,
  predictions: [
    {
      x: 230, y: 240, width: 90, height: 260, confidence: 0.9, class: 'person', class_id: 0, detection_id: 'p1', parent_id: 'img', ...extra,
      keypoints: points.map(([x, y], k) => ({ x, y, confidence: 0.9, class_id: k, class: names[k] ?? String(k) })),
    },
  ],
});

async function keep(image: VadImage, name: string) {
  const { data, width, height } = await image.pixels();
  const sharp = await loadSharp();
  writeFileSync(`/tmp/viz-keypoints-${name}.png`, await sharp(Buffer.from(data), { raw: { width, height, channels: 3 } }).png().toBuffer());
}

const purple = [0xa3, 0x51, 0xfb];
const grey = () => VadImage.fromPixels({ data: new Uint8Array(100 * 80 * 3).fill(128), width: 100, height: 80 });

describe.skipIf(!photos)('keypoint visualization on person.jpg (640 px)', async () => {
  const image = photos ? await downscaledPhoto(photos, 'person', 640) : undefined;
  const predictions = () => pose(personPoints, { width: image!.width, height: image!.height });

  it("edge (default): COCO's skeleton for 17 keypoints, in Roboflow's purple", async () => {
    const out = await runBlock(keypointVisualization, { image, predictions: predictions(), thickness: 3 });
    await keep(out, 'edge');
    const drawn = await out.pixels();
    const original = await image!.pixels();
    expect(pixel(drawn, 230, 140)).toEqual(purple); // shoulder to shoulder (6, 7)
    expect(pixel(drawn, 215, 330)).toEqual(purple); // left knee to left ankle (14, 16)
    expect(pixel(drawn, 230, 150)).toEqual(pixel(original, 230, 150)); // 10 px below that line
    expect(pixel(drawn, 225, 270)).toEqual(pixel(original, 225, 270)); // between the legs: no edge joins the knees
  });

  it('vertex: a filled circle of radius at every keypoint', async () => {
    const out = await runBlock(keypointVisualization, { image, predictions: predictions(), annotator_type: 'vertex', radius: 5, color: 'rgb(0, 255, 0)' });
    await keep(out, 'vertex');
    const drawn = await out.pixels();
    for (const [x, y] of personPoints) {
      expect(pixel(drawn, x, y)).toEqual([0, 255, 0]);
      expect(pixel(drawn, x + 3, y)).toEqual([0, 255, 0]);
    }
    expect(pixel(drawn, 215 + 8, 360)).toEqual(pixel(await image!.pixels(), 215 + 8, 360));
  });

  it("vertex_label: each keypoint's index on a label of color, in text_color", async () => {
    const out = await runBlock(keypointVisualization, { image, predictions: predictions(), annotator_type: 'vertex_label', color: '#FFFF00', text_padding: 4, radius: 3 });
    await keep(out, 'vertex-label');
    const drawn = await out.pixels();
    // Left of the ankle's label "15": background; somewhere on it, black text.
    const [x, y] = personPoints[15]!;
    const label = Array.from({ length: 21 }, (_, dx) => Array.from({ length: 13 }, (_, dy) => pixel(drawn, x - 10 + dx, y - 6 + dy))).flat();
    expect(label.some((c) => c[0]! < 60 && c[1]! < 60 && c[2]! < 60)).toBe(true);
    expect(label.filter((c) => c[0] === 255 && c[1] === 255 && c[2] === 0).length).toBeGreaterThan(label.length / 3);
  });
});

describe('keypoint visualization, exact cases on a grey image', () => {
  it('draws an edge only between keypoints that are present and not at (0, 0)', async () => {
    const points: Array<[number, number]> = [[10, 40], [90, 40], [0, 0]];
    const context = runContext();
    const instance = await keypointVisualization.create({ stepName: 'viz', properties: {}, host: {} } as never);
    const run = async (edges: unknown) => ((await instance.run({ image: grey(), predictions: pose(points, { width: 100, height: 80 }), annotator_type: 'edge', edges } as never, context)) as { image: VadImage }).image.pixels();
    const joined = await run([[1, 2], [2, 3]]);
    expect(pixel(joined, 50, 40)).toEqual(purple);
    expect(pixel(joined, 45, 20)).toEqual([128, 128, 128]); // (90, 40) to (0, 0) is not drawn
    // No edges and 3 keypoints: supervision has no skeleton; nothing is drawn and a warning says why.
    const none = await run(null);
    expect(pixel(none, 50, 40)).toEqual([128, 128, 128]);
    expect(context.warnings.join(' ')).toMatch(/no skeleton for 3 keypoints/);
  });

  it("finds an edge's ends by class_id when keypoint_confidence left some out", async () => {
    const predictions = pose([], { width: 100, height: 80 });
    predictions.predictions[0]!.keypoints = [
      { x: 10, y: 10, confidence: 0.9, class_id: 0, class: 'a' },
      { x: 90, y: 70, confidence: 0.9, class_id: 2, class: 'c' },
    ];
    const drawn = await (await runBlock(keypointVisualization, { image: grey(), predictions, edges: [[1, 3]] })).pixels();
    expect(pixel(drawn, 50, 40)).toEqual(purple);
    const missing = await (await runBlock(keypointVisualization, { image: grey(), predictions, edges: [[1, 2]] })).pixels();
    expect(pixel(missing, 50, 40)).toEqual([128, 128, 128]);
  });

  it('returns the input image when no prediction has keypoints, and names a bad color', async () => {
    const input = grey();
    const empty = await runBlock(keypointVisualization, { image: input, predictions: { image: { width: 100, height: 80 }, predictions: [] } });
    expect(empty).toBe(input);
    expect(cocoSkeleton).toHaveLength(17);
    const error = await runBlock(keypointVisualization, { image: grey(), predictions: pose([[10, 10]], { width: 100, height: 80 }), annotator_type: 'vertex', color: 'not-a-colour' }).catch((e: unknown) => e);
    expect(InvalidInputError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ property: 'color' });
  });
});
