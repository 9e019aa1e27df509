import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeMask, loadSharp, VadImage, type Detection, type SingleLabelClassification, type MultiLabelClassification } from '@vad/core';
import { sharedPath } from '@vad/testing';
import { classificationLabelVisualization, layoutClassificationLabels, maskVisualization, polygonVisualization, referencePathVisualization, shownClasses } from '../src/index.js';
import { downscaledPhoto, runBlock } from './photos.js';

const photos = sharedPath('datasets/photos');
type Pixels = { data: Uint8Array; width: number; height: number };
const pixel = (image: Pixels, x: number, y: number) => Array.from(image.data.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3));
const red = { color_palette: 'CUSTOM', custom_colors: ['#FF0000'] };

async function keep(image: VadImage, name: string) {
  const { data, width, height } = await image.pixels();
  const sharp = await loadSharp();
  writeFileSync(`/tmp/viz-${name}.png`, await sharp(Buffer.from(data), { raw: { width, height, channels: 3 } }).png().toBuffer());
}

/** A flat grey image, so every drawn pixel can be told from the background exactly. */
const grey = (width = 200, height = 150) => VadImage.fromPixels({ data: new Uint8Array(width * height * 3).fill(100), width, height });

/** An instance with a rectangular outline through the centres of pixels x1..x2, y1..y2 (inclusive), as a traced mask's. */
function instance(x1: number, y1: number, x2: number, y2: number, extra: Partial<Detection> = {}): Detection {
  return {
    x: (x1 + x2 + 1) / 2, y: (y1 + y2 + 1) / 2, width: x2 - x1 + 1, height: y2 - y1 + 1, confidence: 0.9, class: 'thing', class_id: 0, detection_id: `${x1}`, parent_id: 'image',
    points: [{ x: x1, y: y1 }, { x: x2, y: y1 }, { x: x2, y: y2 }, { x: x1, y: y2 }],
    ...extra,
  };
}
const envelope = (image: { width: number; height: number }, ...predictions: Detection[]) => ({ image: { width: image.width, height: image.height }, predictions });

/** Pixels whose colour differs between two images. */
function changed(a: Pixels, b: Pixels): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < a.width * a.height; i++) if (a.data[i * 3] !== b.data[i * 3] || a.data[i * 3 + 1] !== b.data[i * 3 + 1] || a.data[i * 3 + 2] !== b.data[i * 3 + 2]) out.add(i);
  return out;
}

describe('mask visualization', () => {
  it('blends the area inside each outline at opacity and changes no pixel outside the masks (Roboflow integration test)', async () => {
    const image = grey();
    const out = await runBlock(maskVisualization, { image, predictions: envelope(image, instance(40, 30, 100, 90)), ...red, opacity: 0.5 });
    const drawn = await out.pixels();
    const source = await image.pixels();
    // Inside: half red, half grey (100): (255 + 100) / 2.
    expect(pixel(drawn, 70, 60)[0]).toBeCloseTo(177.5, -0.5);
    expect(pixel(drawn, 70, 60)[1]).toBeCloseTo(50, -0.5);
    // The border pixels the outline runs through are part of the mask, as in the mask it was traced from.
    expect(pixel(drawn, 40, 60)[0]).toBeGreaterThan(170);
    expect(pixel(drawn, 100, 90)[0]).toBeGreaterThan(170);
    for (const index of changed(drawn, source)) {
      const x = index % image.width, y = Math.floor(index / image.width);
      expect(x >= 40 && x <= 100 && y >= 30 && y <= 90, `${x},${y} changed`).toBe(true);
    }
    expect(changed(drawn, source).size).toBe(61 * 61);
    expect(pixel(source, 70, 60)).toEqual([100, 100, 100]); // the input is untouched
  });

  it('paints larger masks first, so a small one lies on top; detections without points are not painted', async () => {
    const image = grey();
    const palette = { color_palette: 'CUSTOM', custom_colors: ['#FF0000', '#0000FF'], color_axis: 'INDEX', opacity: 1 };
    const small = instance(60, 50, 80, 70);
    const large = instance(20, 20, 150, 120);
    const bare = { ...instance(160, 10, 190, 40), points: undefined };
    const out = await runBlock(maskVisualization, { image, predictions: envelope(image, small, large, bare), ...palette });
    const drawn = await out.pixels();
    expect(pixel(drawn, 70, 60)).toEqual([255, 0, 0]); // index 0, drawn last
    expect(pixel(drawn, 30, 30)).toEqual([0, 0, 255]);
    expect(pixel(drawn, 175, 25)).toEqual([100, 100, 100]);
  });

  it('returns the image as it was when nothing lies on it', async () => {
    const image = grey();
    const out = await runBlock(maskVisualization, { image, predictions: envelope(image), ...red });
    expect(out).toBe(image);
  });
});

describe('mask and polygon visualization of RLE masks (Roboflow instance segmentation v4)', () => {
  /** A square ring: x, y in [40, 100] minus the hole [60, 80], as COCO RLE with no points. */
  function ring(): Detection {
    const width = 200, height = 150;
    const mask = new Uint8Array(width * height);
    for (let y = 40; y <= 100; y++) for (let x = 40; x <= 100; x++) mask[y * width + x] = x >= 60 && x <= 80 && y >= 60 && y <= 80 ? 0 : 1;
    return { ...instance(40, 40, 100, 100), points: undefined, rle_mask: encodeMask({ data: mask, width, height }, width, height) };
  }

  it('mask visualization paints exactly the RLE pixels, leaving the hole', async () => {
    const image = grey();
    const out = await runBlock(maskVisualization, { image, predictions: envelope(image, ring()), ...red, opacity: 1 });
    const drawn = await out.pixels();
    await keep(out, 'mask-rle-ring');
    expect(pixel(drawn, 45, 45)).toEqual([255, 0, 0]);
    expect(pixel(drawn, 70, 70)).toEqual([100, 100, 100]); // the hole
    expect(changed(drawn, await image.pixels()).size).toBe(61 * 61 - 21 * 21);
  });

  it('polygon visualization outlines an RLE mask without points by its outer contour', async () => {
    const image = grey();
    const out = await runBlock(polygonVisualization, { image, predictions: envelope(image, ring()), ...red, thickness: 1 });
    const drawn = await out.pixels();
    expect(pixel(drawn, 40, 70)[0]).toBeGreaterThan(200);
    expect(pixel(drawn, 100, 70)[0]).toBeGreaterThan(200);
    expect(pixel(drawn, 50, 50)).toEqual([100, 100, 100]);
  });
});

describe('polygon visualization', () => {
  it('strokes the outline and leaves the inside; a detection without points gets its box', async () => {
    const image = grey();
    const bare = { ...instance(150, 20, 190, 60), points: undefined };
    const out = await runBlock(polygonVisualization, { image, predictions: envelope(image, instance(40, 30, 100, 90), bare), ...red, thickness: 3 });
    const drawn = await out.pixels();
    expect(pixel(drawn, 40, 60)).toEqual([255, 0, 0]);
    expect(pixel(drawn, 70, 30)).toEqual([255, 0, 0]);
    expect(pixel(drawn, 70, 60)).toEqual([100, 100, 100]);
    expect(pixel(drawn, 10, 10)).toEqual([100, 100, 100]);
    // The box of the detection without an outline.
    expect(pixel(drawn, 150, 40)).toEqual([255, 0, 0]);
    expect(pixel(drawn, 170, 40)).toEqual([100, 100, 100]);
  });

  it('scales outlines of predictions made on a resized copy', async () => {
    const image = grey(200, 150);
    const half = { image: { width: 100, height: 75 }, predictions: [{ ...instance(20, 15, 50, 45) }] };
    const out = await runBlock(polygonVisualization, { image, predictions: half, ...red, thickness: 2 });
    const drawn = await out.pixels();
    expect(pixel(drawn, 40, 60)[0]).toBeGreaterThan(200);
    expect(pixel(drawn, 20, 15)).toEqual([100, 100, 100]);
  });
});

describe('reference path visualization', () => {
  it('draws an open polyline of the given colour and thickness, and names a bad colour', async () => {
    const image = grey();
    const path = [[10, 20], [100, 20], [100, 120]];
    const out = await runBlock(referencePathVisualization, { image, reference_path: path, color: 'rgb(255, 0, 0)', thickness: 5 });
    const drawn = await out.pixels();
    expect(pixel(drawn, 50, 20)).toEqual([255, 0, 0]);
    expect(pixel(drawn, 50, 22)).toEqual([255, 0, 0]);
    expect(pixel(drawn, 50, 26)).toEqual([100, 100, 100]);
    expect(pixel(drawn, 100, 80)).toEqual([255, 0, 0]);
    // Open: no segment back from the last point to the first.
    expect(pixel(drawn, 55, 70)).toEqual([100, 100, 100]);
    await expect(runBlock(referencePathVisualization, { image, reference_path: path, color: 'purplish' })).rejects.toThrow(/color/);
    await expect(runBlock(referencePathVisualization, { image, reference_path: path, thickness: 0 })).rejects.toThrow(/thickness/);
  });
});

describe('classification label visualization', () => {
  const single: SingleLabelClassification = {
    image: { width: 200, height: 150 }, prediction_type: 'classification', parent_id: 'image', top: 'apple', confidence: 0.8,
    predictions: [{ class: 'pear', class_id: 1, confidence: 0.15 }, { class: 'apple', class_id: 0, confidence: 0.8 }, { class: 'fig', class_id: 2, confidence: 0.05 }],
  };
  const multi: MultiLabelClassification = {
    image: { width: 200, height: 150 }, prediction_type: 'classification', parent_id: 'image',
    predictions: { cat: { confidence: 0.7, class_id: 0 }, dog: { confidence: 0.9, class_id: 1 }, cow: { confidence: 0.1, class_id: 2 } },
    predicted_classes: ['cat', 'dog'],
  };

  it('shows the top class of a single-label classification and the predicted classes of a multi-label one, best first', () => {
    expect(shownClasses(single).map((c) => c.class)).toEqual(['apple']);
    expect(shownClasses(multi).map((c) => c.class)).toEqual(['dog', 'cat']);
  });

  it("lays rows out as Roboflow: top rows downwards from one row's spacing, bottom rows upwards with the best highest", () => {
    const classes = shownClasses(multi);
    const options = { width: 200, height: 150, scale: 1, padding: 10, thickness: 1 };
    const spacing = 20 + 20 + 2 + 5;
    const top = layoutClassificationLabels(classes, ['dog', 'cat'], { ...options, position: 'TOP_LEFT' });
    expect(top.boxes.map((b) => b.y1)).toEqual([spacing, 2 * spacing]);
    const bottom = layoutClassificationLabels(classes, ['dog', 'cat'], { ...options, position: 'BOTTOM_LEFT' });
    expect(bottom.classes.map((c) => c.class)).toEqual(['cat', 'dog']);
    expect(bottom.boxes.map((b) => b.y2)).toEqual([150 - spacing, 150 - 2 * spacing]);
    const centre = layoutClassificationLabels(classes, ['dog', 'cat'], { ...options, position: 'CENTER' });
    expect(centre.boxes[0]!.y1).toBeCloseTo((150 - 2 * spacing) / 2, 9);
  });

  it('writes the label near the top-left on a coloured background; no class leaves the image as it was', async () => {
    const image = grey();
    const out = await runBlock(classificationLabelVisualization, { image, predictions: single, ...red, text: 'Class and Confidence', text_color: 'BLACK' });
    const drawn = await out.pixels();
    // The label sits above its anchor at y = spacing (47): its background fills the rows above, from x = 0.
    expect(pixel(drawn, 2, 44)).toEqual([255, 0, 0]);
    expect(pixel(drawn, 2, 60)).toEqual([100, 100, 100]);
    expect(pixel(drawn, 190, 140)).toEqual([100, 100, 100]);
    const none = { ...multi, predicted_classes: [] };
    expect(await runBlock(classificationLabelVisualization, { image, predictions: none })).toBe(image);
    await expect(runBlock(classificationLabelVisualization, { image, predictions: { image: {}, predictions: [] } })).rejects.toThrow(/classification/);
  });
});

describe.skipIf(!photos)('region blocks on a photo, rendered to /tmp for looking at', async () => {
  const image = photos ? await downscaledPhoto(photos, 'dog', 640) : undefined;
  it('renders mask, polygon, reference path and classification labels on dog.jpg', async () => {
    // A hand-drawn outline roughly around the dog (640 px wide copy of dog.jpg).
    const outline = [[110, 190], [200, 170], [270, 230], [265, 440], [160, 460], [105, 380]].map(([x, y]) => ({ x: x!, y: y! }));
    const dog = { ...instance(105, 170, 270, 460, { class: 'dog', class_id: 16 }), points: outline };
    const predictions = envelope(image!, dog);
    const mask = await runBlock(maskVisualization, { image, predictions });
    const polygon = await runBlock(polygonVisualization, { image, predictions });
    const path = await runBlock(referencePathVisualization, { image, reference_path: [[20, 460], [300, 300], [620, 300]], thickness: 4 });
    const labels = await runBlock(classificationLabelVisualization, {
      image, predictions: { image: { width: 640, height: 480 }, prediction_type: 'classification', parent_id: 'x', predictions: { dog: { confidence: 0.93, class_id: 16 }, bicycle: { confidence: 0.61, class_id: 1 } }, predicted_classes: ['dog', 'bicycle'] },
      text: 'Class and Confidence', text_position: 'BOTTOM_RIGHT', color_axis: 'INDEX',
    });
    for (const [name, out] of [['mask', mask], ['polygon', polygon], ['reference-path', path], ['classification-label', labels]] as const) {
      await keep(out, name);
      expect(changed(await out.pixels(), await image!.pixels()).size, name).toBeGreaterThan(100);
    }
  });
});
