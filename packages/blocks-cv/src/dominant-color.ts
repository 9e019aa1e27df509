import { createRandom, roundHalfEven, type VadImage } from '@vad/core';


/** `count` distinct indices below `size`, drawn by a partial Fisher–Yates shuffle. */
function distinctIndices(size: number, count: number, random: () => number): number[] {
  const pool = Array.from({ length: size }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (size - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, count);
}

/** numpy's `allclose` (rtol 1e-5, atol 1e-8). */
const allClose = (a: Float64Array, b: Float64Array) => a.every((v, i) => Math.abs(v - b[i]!) <= 1e-8 + 1e-5 * Math.abs(b[i]!));

/**
 * Roboflow's `dominant_color@v1`: every s-th pixel of every s-th row (s = max(1, ⌊shorter side /
 * target_size⌋), as Roboflow's `image[::s, ::s]` samples), then k-means with `clusters` centres
 * started at distinct sampled pixels; a cluster left empty restarts at a sampled pixel; it stops
 * when the centres no longer move (numpy's allclose) or after `maxIterations`. The colour is the
 * centre of the cluster with the most pixels, rounded as Python rounds. Deterministic: the
 * random picks come from a fixed seed (Roboflow's numpy picks differ from run to run).
 */
export async function dominantColor(image: VadImage, clusters: number, maxIterations: number, targetSize: number): Promise<[number, number, number]> {
  const { data, width, height } = await image.pixels();
  const step = Math.max(1, Math.floor(Math.min(width, height) / targetSize));
  const columns = Math.ceil(width / step), rows = Math.ceil(height / step);
  const count = columns * rows;
  // Reading only the sampled pixels is the whole of the downscaling: no pass over the others.
  const pixels = new Float64Array(count * 3);
  for (let r = 0, p = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++, p += 3) {
      const at = (r * step * width + c * step) * 3;
      pixels[p] = data[at]!;
      pixels[p + 1] = data[at + 1]!;
      pixels[p + 2] = data[at + 2]!;
    }
  }
  const random = createRandom(0x5eed);
  const k = Math.min(clusters, count);
  let centres = new Float64Array(k * 3);
  distinctIndices(count, k, random).forEach((index, i) => centres.set(pixels.subarray(index * 3, index * 3 + 3), i * 3));
  const labels = new Int32Array(count);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    for (let p = 0; p < count; p++) {
      let best = 0, bestDistance = Infinity;
      for (let i = 0; i < k; i++) {
        const dr = pixels[p * 3]! - centres[i * 3]!, dg = pixels[p * 3 + 1]! - centres[i * 3 + 1]!, db = pixels[p * 3 + 2]! - centres[i * 3 + 2]!;
        const distance = dr * dr + dg * dg + db * db;
        if (distance < bestDistance) {
          bestDistance = distance;
          best = i;
        }
      }
      labels[p] = best;
    }
    const sums = new Float64Array(k * 3), sizes = new Float64Array(k);
    for (let p = 0; p < count; p++) {
      const label = labels[p]!;
      sizes[label]!++;
      for (let b = 0; b < 3; b++) sums[label * 3 + b] = sums[label * 3 + b]! + pixels[p * 3 + b]!;
    }
    const next = new Float64Array(k * 3);
    for (let i = 0; i < k; i++) {
      if (sizes[i]! > 0) for (let b = 0; b < 3; b++) next[i * 3 + b] = sums[i * 3 + b]! / sizes[i]!;
      else {
        const restart = Math.floor(random() * count) * 3;
        next.set(pixels.subarray(restart, restart + 3), i * 3);
      }
    }
    if (allClose(centres, next)) break;
    centres = next;
  }
  const sizes = new Float64Array(k);
  for (let p = 0; p < count; p++) sizes[labels[p]!]!++;
  let largest = 0;
  for (let i = 1; i < k; i++) if (sizes[i]! > sizes[largest]!) largest = i;
  const channel = (b: number) => Math.max(0, Math.min(255, roundHalfEven(centres[largest * 3 + b]!)));
  return [channel(0), channel(1), channel(2)];
}
