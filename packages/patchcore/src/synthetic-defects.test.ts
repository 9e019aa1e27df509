import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSharp } from '@vad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMvtecDataset, readMask } from './dataset.js';
import { createRandom } from './random.js';
import { drawSyntheticDefect, syntheticDefectKinds, writeSyntheticValidation } from './synthetic-defects.js';

/** A 160 × 120 diagonal colour gradient: every region differs from every other, so a pasted patch shows. */
function gradientImage(width = 160, height = 120) {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * 3;
      data[offset] = Math.round((255 * x) / width);
      data[offset + 1] = Math.round((255 * y) / height);
      data[offset + 2] = 128;
    }
  }
  return { data, width, height };
}

/** The mask grown by `radius` pixels (anti-aliased edges may touch pixels just outside it). */
function dilate(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue;
      for (let dy = -radius; dy <= radius; dy++) for (let dx = -radius; dx <= radius; dx++) {
        const [nx, ny] = [x + dx, y + dy];
        if (nx >= 0 && ny >= 0 && nx < width && ny < height) out[ny * width + nx] = 1;
      }
    }
  }
  return out;
}

describe('synthetic defects', () => {
  const image = gradientImage();

  it.each(syntheticDefectKinds)('%s changes the image inside its mask and leaves the rest as it was', async (kind) => {
    for (const seed of [1, 2, 3]) {
      const defect = await drawSyntheticDefect(image, kind, createRandom(seed));
      expect([defect.width, defect.height, defect.kind]).toEqual([image.width, image.height, kind]);
      const area = defect.mask.reduce((sum, value) => sum + value, 0);
      expect(area).toBeGreaterThanOrEqual(4);
      expect(area / defect.mask.length).toBeLessThan(0.15);
      const near = dilate(defect.mask, image.width, image.height, 2);
      let changedInside = 0;
      let changedOutside = 0;
      for (let pixel = 0; pixel < defect.mask.length; pixel++) {
        const difference = [0, 1, 2].reduce((sum, channel) => sum + Math.abs(defect.data[pixel * 3 + channel]! - image.data[pixel * 3 + channel]!), 0);
        if (defect.mask[pixel] && difference > 6) changedInside++;
        if (!near[pixel] && difference > 0) changedOutside++;
      }
      expect(changedOutside).toBe(0);
      expect(changedInside / area).toBeGreaterThan(0.3);
    }
  });

  it('is the same for the same seed and differs for another', async () => {
    const [first, again, other] = await Promise.all([1, 1, 2].map((seed) => drawSyntheticDefect(image, 'blotch', createRandom(seed))));
    expect(Buffer.compare(first!.mask, again!.mask)).toBe(0);
    expect(Buffer.compare(first!.mask, other!.mask)).not.toBe(0);
  });

  describe('writeSyntheticValidation', () => {
    let folder: string;
    beforeAll(async () => {
      folder = await mkdtemp(path.join(tmpdir(), 'vad-synthetic-'));
    });
    afterAll(() => rm(folder, { recursive: true, force: true }));

    it('writes the normals as test/good and their defects with masks, in the MVTec layout', async () => {
      const sharp = await loadSharp();
      const normals: string[] = [];
      for (const index of [0, 1, 2]) {
        const file = path.join(folder, `normal-${index}.png`);
        await sharp(gradientImage().data, { raw: { width: 160, height: 120, channels: 3 } }).png().toFile(file);
        normals.push(file);
      }
      const set = await writeSyntheticValidation(normals, path.join(folder, 'validation'), { seed: 4, perImage: 2 });
      expect(set.test.filter((sample) => sample.defect === 'good')).toHaveLength(3);
      const defects = set.test.filter((sample) => sample.defect !== 'good');
      expect(defects).toHaveLength(6);
      // Kinds in turn: six defects cover all four kinds.
      expect(new Set(defects.map((sample) => sample.defect))).toEqual(new Set(syntheticDefectKinds));
      const loaded = await loadMvtecDataset(path.join(folder, 'validation'));
      expect(loaded.test.map((sample) => sample.path).sort()).toEqual(set.test.map((sample) => sample.path).sort());
      for (const sample of defects) {
        const mask = await readMask(sample.maskPath!, 160, 120);
        expect(mask.reduce((sum, value) => sum + value, 0)).toBeGreaterThanOrEqual(4);
      }
    });
  });
});
