import { createRandom } from '../src/random.js';

const size = 64;

/** A noisy stripe texture; `defect` adds a bright square at (40, 12) (in 64-px units). */
export function texture(seed: number, defect: boolean, width = size, height = size): Buffer {
  const random = createRandom(seed);
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const base = 100 + 40 * Math.sin((x * 64) / width / 2) + random() * 20;
      const inDefect = defect && x >= (40 * width) / 64 && x < (52 * width) / 64 && y >= (12 * height) / 64 && y < (24 * height) / 64;
      const value = inDefect ? 250 : base;
      data.fill(value, (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  }
  return data;
}
