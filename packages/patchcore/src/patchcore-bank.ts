import type { SessionOptions } from '@vad/models';
import { createRandomProjector, greedyCoreset } from './coreset.js';
import { concatenateRows, rowCount, type ImageFeatures } from './feature-extraction.js';
import type { FitProgress } from './model-record.js';
import { createNearestNeighbourSearch } from './nearest-neighbour.js';
import { createRandom } from './random.js';

/** The memory banks of a fit: of the first `firstCount` images (the threshold's), and of all of them. */
export interface Banks {
  readonly first: Float32Array;
  readonly all: Float32Array;
}

/** Every patch of the images, in one array; the first images' patches are its prefix. */
export function prefixBanks(images: readonly ImageFeatures[], firstCount: number, dimensions: number): Banks {
  const all = concatenateRows(images);
  return { first: all.subarray(0, rowCount(images.slice(0, firstCount), dimensions) * dimensions), all };
}

/**
 * Greedy k-center coresets (`coresetRatio` of the rows) of the first `firstCount` images and of all
 * images, selected on a random projection of each image's rows (ONNX Runtime). The second selection
 * continues the first: the remaining images' rows start at their distance to the first bank, and
 * only the extra points are selected, so holding images out for the threshold costs little.
 */
export async function coresetBanks(
  images: readonly ImageFeatures[],
  firstCount: number,
  dimensions: number,
  options: SessionOptions & { coresetRatio: number; projectionDimensions: number; seed: number; onProgress?: (progress: FitProgress) => void },
): Promise<Banks> {
  const { coresetRatio, projectionDimensions, seed, onProgress, ...sessionOptions } = options;
  const target = Math.min(projectionDimensions, dimensions);
  // Global row index → (image, row): prefix sums over the images' row counts.
  const starts = new Int32Array(images.length + 1);
  images.forEach((image, index) => (starts[index + 1] = starts[index]! + image.rows.length / dimensions));
  const count = starts[images.length]!;
  const firstRows = starts[firstCount]!;
  const projected = new Float32Array(count * target);
  const projector = await createRandomProjector(dimensions, target, createRandom(seed), sessionOptions);
  try {
    for (const [index, image] of images.entries()) projected.set(await projector.project(image.rows, image.rows.length / dimensions), starts[index]! * target);
  } finally {
    await projector.dispose();
  }
  const sizeOf = (rows: number) => Math.max(1, Math.round(rows * coresetRatio));
  const total = sizeOf(count);
  const progress = onProgress && ((done: number) => onProgress({ stage: 'coreset', done: Math.min(done, total), total }));
  const first = await greedyCoreset(projected.subarray(0, firstRows * target), firstRows, target, { size: sizeOf(firstRows), seed, ...sessionOptions, ...(progress && { onProgress: progress }) });
  const firstBank = gatherRows(images, starts, first.selected, dimensions);
  if (firstRows === count) return { first: firstBank, all: firstBank };
  // The remaining rows' squared distances to the first selection, in the same projection.
  const selectedProjected = new Float32Array(first.selected.length * target);
  first.selected.forEach((row, index) => selectedProjected.set(projected.subarray(row * target, (row + 1) * target), index * target));
  const search = await createNearestNeighbourSearch(selectedProjected, first.selected.length, target, sessionOptions);
  const minDistances = new Float32Array(count);
  minDistances.set(first.minDistances);
  try {
    const { distances } = await search.search(projected.subarray(firstRows * target), count - firstRows);
    distances.forEach((distance, index) => (minDistances[firstRows + index] = distance * distance));
  } finally {
    await search.dispose();
  }
  const all = await greedyCoreset(projected, count, target, { size: total, seed, start: { selected: first.selected, minDistances }, ...sessionOptions, ...(progress && { onProgress: progress }) });
  return { first: firstBank, all: gatherRows(images, starts, all.selected, dimensions) };
}

/** Full-dimension rows at global row indices (`starts`: each image's first global row). */
function gatherRows(images: readonly ImageFeatures[], starts: Int32Array, selected: Int32Array, dimensions: number): Float32Array {
  const bank = new Float32Array(selected.length * dimensions);
  selected.forEach((row, index) => {
    let low = 0;
    let high = images.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= row) low = middle;
      else high = middle - 1;
    }
    const local = row - starts[low]!;
    bank.set(images[low]!.rows.subarray(local * dimensions, (local + 1) * dimensions), index * dimensions);
  });
  return bank;
}
