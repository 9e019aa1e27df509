import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSharp, type VadImage } from '@vad/core';

const goldenFolder = fileURLToPath(new URL('../src/__fixtures__/golden/', import.meta.url));

/** How far a render may drift from its golden (antialiasing or libvips rounding on another build). */
export const goldenTolerance = {
  /** Mean absolute difference over all channels of all pixels, 0–255. */
  meanAbsoluteDifference: 1.5,
  /** Share of pixels whose largest channel difference exceeds 48. */
  differingPixelFraction: 0.005,
};

export interface GoldenComparison {
  readonly meanAbsoluteDifference: number;
  readonly differingPixelFraction: number;
  readonly written: boolean;
}

/**
 * Compares a render with `src/__fixtures__/golden/<name>.png`. With UPDATE_GOLDENS=1 (never under
 * CI) the golden is written instead; a missing golden is a failure, not a silent pass.
 */
export async function compareWithGolden(name: string, image: VadImage): Promise<GoldenComparison> {
  const file = path.join(goldenFolder, `${name}.png`);
  if (process.env.UPDATE_GOLDENS === '1' && process.env.CI !== 'true') {
    mkdirSync(goldenFolder, { recursive: true });
    writeFileSync(file, await image.encode('png'));
    return { meanAbsoluteDifference: 0, differingPixelFraction: 0, written: true };
  }
  if (!existsSync(file)) throw new Error(`golden ${file} is missing; run the tests with UPDATE_GOLDENS=1 to write it, then look at it`);
  const sharp = await loadSharp();
  const golden = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const actual = await image.pixels();
  if (golden.info.width !== actual.width || golden.info.height !== actual.height) {
    throw new Error(`${name}: render is ${actual.width}×${actual.height}, golden is ${golden.info.width}×${golden.info.height}`);
  }
  let total = 0;
  let differing = 0;
  const pixels = actual.width * actual.height;
  for (let i = 0; i < pixels; i++) {
    let largest = 0;
    for (let c = 0; c < 3; c++) {
      const difference = Math.abs(actual.data[i * 3 + c]! - golden.data[i * 3 + c]!);
      total += difference;
      if (difference > largest) largest = difference;
    }
    if (largest > 48) differing++;
  }
  return { meanAbsoluteDifference: total / (pixels * 3), differingPixelFraction: differing / pixels, written: false };
}
