import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWorkflow, VadImage, type WorkflowDefinition } from '@vad/core';
import { sharedPath } from '@vad/testing';
import { describe, expect, it } from 'vitest';
import { createStandardRegistry } from '../src/index.js';

/**
 * The classical-CV definitions (corpus classical-cv/) on real photos, with the assertions of
 * Roboflow's integration tests (test_workflow_with_edge_refinement, _dominant_color,
 * _counting_pixels_with_dominant_color, _camera_focus) plus checks against direct computations.
 * VAD_WRITE_IMAGES=<folder> writes the pictures the blocks produce, to look at them.
 */
const corpus = path.join(path.dirname(fileURLToPath(import.meta.url)), 'roboflow-corpus', 'classical-cv');
const photos = sharedPath('datasets/photos');

async function run(file: string, inputs: Record<string, unknown>) {
  const definition = JSON.parse(await readFile(path.join(corpus, file), 'utf8')) as WorkflowDefinition;
  const { registry } = await createStandardRegistry({ plugins: [] });
  const workflow = createWorkflow(definition, { registry });
  try {
    return (await workflow.run({ inputs })).outputs;
  } finally {
    await workflow.dispose();
  }
}
const photo = async (name: string) => VadImage.fromBytes(await readFile(path.join(photos!, name)));
async function keep(name: string, image: VadImage) {
  const folder = process.env.VAD_WRITE_IMAGES;
  if (!folder) return;
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, `${name}.png`), await image.encode('png'));
}

/** OpenCV's BGR2GRAY for 8 bits, written out. */
const opencvGray = (r: number, g: number, b: number) => (4899 * r + 9617 * g + 1868 * b + 8192) >> 14;
async function grayLevels(image: VadImage): Promise<Uint8Array> {
  const { data } = await image.pixels();
  const gray = new Uint8Array(data.length / 3);
  for (let i = 0; i < gray.length; i++) gray[i] = opencvGray(data[i * 3]!, data[i * 3 + 1]!, data[i * 3 + 2]!);
  return gray;
}

/** A width × height image of `color` with a `w × h` block of `block` at the top left (Roboflow's test images, in RGB). */
function blockImage(width: number, height: number, w: number, h: number, block: number[], color = [0, 0, 0]): VadImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(x < w && y < h ? block : color, (y * width + x) * 3);
  return VadImage.fromPixels({ data, width, height });
}

describe.skipIf(!photos)('Roboflow classical-CV workflows on real photos (corpus classical-cv/)', () => {
  it('grayscale: one output image, OpenCV’s grey on every pixel', async () => {
    const dog = await photo('dog.jpg');
    const [record] = await run('grayscale.json', { image: dog });
    const gray = record!.image as VadImage;
    expect([gray.width, gray.height]).toEqual([dog.width, dog.height]);
    const expected = await grayLevels(dog);
    const { data } = await gray.pixels();
    let mismatches = 0;
    for (let i = 0; i < expected.length; i++) if (data[i * 3] !== expected[i] || data[i * 3 + 1] !== expected[i] || data[i * 3 + 2] !== expected[i]) mismatches++;
    expect(mismatches).toBe(0);
    await keep('grayscale-dog', gray);
  });

  it('edge refinement: grey → gaussian 5 → binary 127 → outer contours; objects found, each contour on the white pixels', async () => {
    for (const name of ['dog.jpg', 'kite.jpg']) {
      const [record] = await run('edge-contours.json', { image: await photo(name) });
      expect(record!.number_objects).toBeGreaterThan(0);
      const contours = record!.contours as [[number, number]][][];
      expect(contours).toHaveLength(record!.number_objects as number);
      const hierarchy = record!.hierarchy as number[][][];
      expect(hierarchy[0]).toHaveLength(contours.length);
      expect(hierarchy[0]![0]).toEqual([contours.length > 1 ? 1 : -1, -1, -1, -1]);
      const thresholded = record!.thresholded as VadImage;
      const { data, width } = await thresholded.pixels();
      const values = new Set<number>();
      for (let i = 0; i < data.length; i += 3) values.add(data[i]!);
      expect([...values].sort((a, b) => a - b)).toEqual([0, 255]);
      for (const contour of contours) for (const [[x, y]] of contour) expect(data[(y * width + x) * 3]).toBe(255);
      const drawn = await (record!.image_with_contours as VadImage).pixels();
      let magenta = 0;
      for (let i = 0; i < drawn.data.length; i += 3) if (drawn.data[i] === 255 && drawn.data[i + 1] === 0 && drawn.data[i + 2] === 255) magenta++;
      expect(magenta).toBeGreaterThan(contours.length);
      await keep(`contours-${name.replace('.jpg', '')}`, record!.image_with_contours as VadImage);
    }
  });

  it('blur and threshold types given as parameters: median 7 and otsu give a binary image and contours', async () => {
    const [record] = await run('blur-and-threshold-parameters.json', { image: await photo('horses.jpg') });
    expect(record!.count).toBeGreaterThan(0);
    await keep('median7-horses', record!.blurred as VadImage);
    await keep('otsu-horses', record!.thresholded as VadImage);
    await keep('otsu-contours-horses', record!.outlines as VadImage);
    const [adaptive] = await run('blur-and-threshold-parameters.json', { image: await photo('horses.jpg'), blur_type: 'bilateral', kernel_size: 5, threshold_type: 'adaptive_gaussian' });
    const { data } = await (adaptive!.thresholded as VadImage).pixels();
    let white = 0;
    for (let i = 0; i < data.length; i += 3) if (data[i] === 255) white++;
    // Above the local mean − 2: most of a photo (smooth regions pass), never all of it.
    expect(white / (data.length / 3)).toBeGreaterThan(0.5);
    expect(white / (data.length / 3)).toBeLessThan(1);
    await keep('adaptive-gaussian-horses', adaptive!.thresholded as VadImage);
    await expect(run('blur-and-threshold-parameters.json', { image: await photo('horses.jpg'), threshold_type: 'bogus' })).rejects.toThrow(/threshold_type/);
  });

  it('dominant color: red for Roboflow’s all-red image, with defaults and with explicit parameters', async () => {
    const [record] = await run('dominant-color.json', { image: blockImage(100, 100, 100, 100, [255, 0, 0]) });
    expect(Object.keys(record!).sort()).toEqual(['color', 'color_explicit']);
    expect(record!.color).toEqual([255, 0, 0]);
    expect(record!.color_explicit).toEqual([255, 0, 0]);
  });

  it('pixel counting: 190 × 190 red and 190 × 180 green pixels in Roboflow’s two images, one output each', async () => {
    const red = blockImage(200, 200, 190, 190, [255, 0, 0]);
    const green = blockImage(200, 200, 180, 190, [0, 255, 0]);
    const records = await run('pixels-of-dominant-color.json', { image: [red, green] });
    expect(records).toHaveLength(2);
    expect(records[0]!.matching_pixels_count).toBe(190 * 190);
    expect(records[1]!.matching_pixels_count).toBe(190 * 180);
    expect(records[0]!.pure_red_pixels).toBe(190 * 190);
    expect(records[1]!.pure_red_pixels).toBe(0);
  });

  it('dominant color of a real photo is a colour the photo has plenty of', async () => {
    const kite = await photo('kite.jpg');
    const [record] = await run('pixels-of-dominant-color.json', { image: kite });
    const [again] = await run('pixels-of-dominant-color.json', { image: kite });
    expect(again!.dominant).toEqual(record!.dominant); // seeded: the same answer every run
    // Within ±10 in each band of the kite photo's dominant colour (its sky): a real share of the photo.
    expect(record!.matching_pixels_count as number).toBeGreaterThan(0.05 * kite.width * kite.height);
  });

  it('camera focus: a float, equal to Brenner’s measure computed directly, and lower once the photo is blurred', async () => {
    const dog = await photo('dog.jpg');
    const [record] = await run('camera-focus.json', { image: dog });
    const measure = record!.camera_focus_measure as number;
    expect(typeof measure).toBe('number');
    const gray = await grayLevels(dog);
    const { width, height } = dog;
    let sum = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const v = gray[y * width + x]!;
        const h = x < width - 2 ? Math.max(0, gray[y * width + x + 2]! - v) : 0;
        const w = y < height - 2 ? Math.max(0, gray[(y + 2) * width + x]! - v) : 0;
        sum += Math.max(h, w) ** 2;
      }
    }
    expect(measure).toBeCloseTo(sum / (width * height), 6);
    expect(record!.blurred_focus_measure as number).toBeLessThan(measure / 2);
    await keep('focus-dog', record!.camera_focus_image as VadImage);
  });
});
