/** The seeded generator (mulberry32) fits use; in @vad/core, which other blocks share. */
export { createRandom } from '@vad/core';

/** `length` standard normal values times `scale` (Box–Muller). */
export function gaussianMatrix(length: number, random: () => number, scale = 1): Float32Array {
  const out = new Float32Array(length);
  for (let index = 0; index < length; index += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - random())) * scale;
    const angle = 2 * Math.PI * random();
    out[index] = radius * Math.cos(angle);
    if (index + 1 < length) out[index + 1] = radius * Math.sin(angle);
  }
  return out;
}

/** `0 … length − 1` in a seeded random order (Fisher–Yates). */
export function shuffledIndices(length: number, random: () => number): number[] {
  const order = Array.from({ length }, (_, index) => index);
  for (let index = order.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [order[index], order[other]] = [order[other]!, order[index]!];
  }
  return order;
}
