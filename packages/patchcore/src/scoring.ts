import { InvalidInputError } from '@vad/core';
import { exposureViewGains, withGain } from './augment.js';
import { concatenateRows, type FeaturePipeline } from './feature-extraction.js';
import type { NearestNeighbourSearch } from './nearest-neighbour.js';
import type { LoadedImage } from './read-image.js';

/**
 * How PatchCore turns nearest-neighbour distances into patch scores; a model records it, so fit,
 * threshold and prediction score alike. Measured on magnetic tile and MVTec in BENCHMARKS.md.
 */
export interface ScoringRecord {
  /**
   * Pixel-value gains at which each image is also scored; the image takes the exposure whose
   * median patch distance is smallest (the one that fits its surface best). A lighting change is
   * then not an anomaly, while a defect, a few patches, does not move the median.
   */
  readonly exposureGains: readonly number[];
  /**
   * This times the image's median patch distance is added to every patch (0: nothing): an image
   * whose whole surface is off raises its whole map, not only its worst patch.
   */
  readonly imageMedianWeight: number;
  /**
   * The image score is the mean of this share of its highest patch scores (at least one patch);
   * absent or 0: the highest alone. A share rather than a count, so it means the same on any grid.
   */
  readonly imageTopShare?: number;
}

/** `fitPatchCore`'s scoring when none is given, and the `texture` preset's (the default preset's is in src/backbones.ts). */
export const defaultScoring: ScoringRecord = { exposureGains: [exposureViewGains.darker, exposureViewGains.brighter], imageMedianWeight: 0.5 };
/** The image median without the exposure search: the `fine` and `fast` presets, for which three exposures cost too much. */
export const singleExposureScoring: ScoringRecord = { exposureGains: [], imageMedianWeight: defaultScoring.imageMedianWeight };
/** Distances as they are: one exposure, nothing added (models written before scoring was recorded). */
export const plainScoring: ScoringRecord = { exposureGains: [], imageMedianWeight: 0 };

/** Checks gains (finite, positive, not 1), the median weight (finite, ≥ 0) and the top share ([0, 1)), naming the bad value. */
export function checkScoring(scoring: ScoringRecord): void {
  if (scoring.imageTopShare !== undefined && !(scoring.imageTopShare >= 0 && scoring.imageTopShare < 1)) {
    throw new InvalidInputError({ message: `the image top share must be a number in [0, 1), got ${scoring.imageTopShare}`, property: 'scoring.imageTopShare' });
  }
  if (!(Number.isFinite(scoring.imageMedianWeight) && scoring.imageMedianWeight >= 0)) {
    throw new InvalidInputError({ message: `the image median weight must be a number ≥ 0, got ${scoring.imageMedianWeight}`, property: 'scoring.imageMedianWeight' });
  }
  for (const gain of scoring.exposureGains) {
    if (!(Number.isFinite(gain) && gain > 0 && gain !== 1)) {
      throw new InvalidInputError({ message: `exposure gains must be positive numbers other than 1, got ${gain}`, property: 'scoring.exposureGains' });
    }
  }
}

/** Patch scores on an image's feature grid. */
export interface GridScores {
  readonly scores: Float32Array;
  readonly gridWidth: number;
  readonly gridHeight: number;
}

/**
 * Scores prepared images against a bank: each image and its exposure views go through the backbone
 * in one batch, every view is searched, and each image keeps its best-fitting view.
 */
export async function scoreImages(
  pipeline: FeaturePipeline,
  search: NearestNeighbourSearch,
  images: readonly Pick<LoadedImage, 'data' | 'width' | 'height'>[],
  scoring: ScoringRecord,
): Promise<GridScores[]> {
  const views = 1 + scoring.exposureGains.length;
  const batch: Pick<LoadedImage, 'data' | 'width' | 'height'>[] = [];
  for (const image of images) {
    batch.push(image);
    for (const gain of scoring.exposureGains) batch.push(await withGain(image, gain));
  }
  const features = await pipeline.extract(batch);
  // One search over every view's rows; each view's distances are then a slice of the result.
  const rows = concatenateRows(features);
  const { distances } = await search.search(rows, rows.length / search.dimensions);
  const scored: GridScores[] = [];
  let offset = 0;
  for (let index = 0; index < images.length; index++) {
    const viewDistances = features.slice(index * views, (index + 1) * views).map((view) => {
      const count = view.gridWidth * view.gridHeight;
      offset += count;
      return distances.subarray(offset - count, offset);
    });
    const { gridWidth, gridHeight } = features[index * views]!;
    scored.push({ scores: combineViews(viewDistances, scoring.imageMedianWeight), gridWidth, gridHeight });
  }
  return scored;
}

/** The view with the smallest median distance (the first on ties), with `imageMedianWeight` × that median added to every patch. */
export function combineViews(distances: readonly Float32Array[], imageMedianWeight: number): Float32Array {
  const medians = distances.map(medianOf);
  const best = medians.indexOf(Math.min(...medians));
  const scores = Float32Array.from(distances[best]!);
  const added = imageMedianWeight * medians[best]!;
  if (added !== 0) for (let patch = 0; patch < scores.length; patch++) scores[patch]! += added;
  return scores;
}

/** An image's score from its patch scores: the mean of the top `imageTopShare` of them, or the highest. */
export function imageScoreOf(scores: Float32Array, scoring: ScoringRecord): number {
  const count = Math.max(1, Math.round(scores.length * (scoring.imageTopShare ?? 0)));
  if (count === 1) return maxOf(scores);
  const top = Float32Array.from(scores).sort().subarray(scores.length - count);
  return top.reduce((sum, value) => sum + value, 0) / count;
}

export function maxOf(values: Float32Array): number {
  let best = -Infinity;
  for (let index = 0; index < values.length; index++) if (values[index]! > best) best = values[index]!;
  return best;
}

export function medianOf(values: Float32Array): number {
  const sorted = Float32Array.from(values).sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
