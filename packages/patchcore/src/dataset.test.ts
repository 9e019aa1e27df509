import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMvtecDataset, readMask } from './dataset.js';
import { listImages, resolveTrainingImages } from './image-files.js';
import { readImageRgb } from './read-image.js';

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'vad-dataset-'));
  const category = path.join(folder, 'category');
  for (const sub of ['train/good', 'test/good', 'test/scratch', 'ground_truth/scratch']) await mkdir(path.join(category, sub), { recursive: true });
  const gray = await sharp(Buffer.alloc(40 * 30, 120), { raw: { width: 40, height: 30, channels: 1 } }).png().toBuffer();
  const color = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 10, g: 200, b: 30 } } }).jpeg().toBuffer();
  const mask = await sharp(Buffer.from(new Uint8Array(64 * 64).map((_, index) => (index % 64 < 16 ? 255 : 0))), { raw: { width: 64, height: 64, channels: 1 } }).png().toBuffer();
  await writeFile(path.join(category, 'train/good/a.png'), gray);
  await writeFile(path.join(category, 'train/good/b.jpg'), color);
  await writeFile(path.join(category, 'test/good/c.jpg'), color);
  await writeFile(path.join(category, 'test/scratch/d.jpg'), color);
  await writeFile(path.join(category, 'ground_truth/scratch/d_mask.png'), mask);
  await mkdir(path.join(folder, 'empty'));
  await writeFile(path.join(folder, 'empty', 'notes.txt'), 'no images here');
  await writeFile(path.join(folder, 'broken.png'), Buffer.from('this is not a png'));
});

afterAll(() => rm(folder, { recursive: true, force: true }));

describe('dataset loading', () => {
  it('refuses a folder with no images, naming it', async () => {
    await expect(listImages(path.join(folder, 'empty'))).rejects.toThrow(/empty holds no images/);
    await expect(listImages(path.join(folder, 'empty'))).rejects.toMatchObject({ name: 'VAD_InvalidInputError', path: path.join(folder, 'empty') });
  });

  it('refuses an unreadable image, naming the file', async () => {
    await expect(readImageRgb(path.join(folder, 'broken.png'))).rejects.toMatchObject({
      name: 'VAD_InvalidInputError',
      path: path.join(folder, 'broken.png'),
      message: expect.stringContaining('broken.png is not a readable image'),
    });
  });

  it('reads a grayscale image as RGB and resizes images of any size to the model input', async () => {
    const gray = await readImageRgb(path.join(folder, 'category/train/good/a.png'), 32);
    expect(gray).toMatchObject({ width: 32, height: 32, originalWidth: 40, originalHeight: 30 });
    expect(gray.data.length).toBe(32 * 32 * 3);
    expect([gray.data[0], gray.data[1], gray.data[2]]).toEqual([120, 120, 120]);
    const color = await readImageRgb(path.join(folder, 'category/train/good/b.jpg'), 32);
    expect(color.data[1]).toBeGreaterThan(180);
  });

  it('finds train/good of an MVTec category and the masks of its defects', async () => {
    const category = path.join(folder, 'category');
    expect((await resolveTrainingImages(category)).map((file) => path.basename(file))).toEqual(['a.png', 'b.jpg']);
    const dataset = await loadMvtecDataset(category);
    expect(dataset.test.map((sample) => [sample.defect, sample.maskPath && path.basename(sample.maskPath)])).toEqual([
      ['good', undefined],
      ['scratch', 'd_mask.png'],
    ]);
    const mask = await readMask(dataset.test[1]!.maskPath!, 8, 8);
    expect(Array.from(mask.subarray(0, 8))).toEqual([1, 1, 0, 0, 0, 0, 0, 0]);
  });

  it('refuses a defect image without a mask and a folder not in the MVTec layout', async () => {
    const category = path.join(folder, 'category');
    await writeFile(path.join(category, 'test/scratch/e.jpg'), Buffer.from('x'));
    await expect(loadMvtecDataset(category)).rejects.toThrow(/e\.jpg has no ground-truth mask/);
    await rm(path.join(category, 'test/scratch/e.jpg'));
    await expect(loadMvtecDataset(path.join(folder, 'empty'))).rejects.toThrow(/not in the MVTec layout/);
  });
});
