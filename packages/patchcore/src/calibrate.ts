import { InvalidInputError } from '@vad/core';
import type { LabelledImage } from './dataset.js';
import type { AnomalyDetector } from './detector.js';
import { f1Max, type F1Max } from './metrics.js';

export interface F1MaxCalibration extends F1Max {
  /** Each validation image's raw score, in the order given. */
  readonly basis: number[];
}

/**
 * Scores labelled validation images (raw scores, maps skipped) and returns the raw threshold that
 * maximises F1 with anomalous as the positive class. Needs both normal and anomalous images.
 */
export async function f1MaxCalibration(
  detector: AnomalyDetector,
  validation: readonly LabelledImage[],
  onProgress?: (done: number, total: number) => void,
): Promise<F1MaxCalibration> {
  if (!validation.some((item) => item.anomalous) || !validation.some((item) => !item.anomalous)) {
    throw new InvalidInputError({ message: 'calibrating a threshold needs both normal and anomalous validation images', property: 'validation' });
  }
  const scores = new Float32Array(validation.length);
  for (const [index, item] of validation.entries()) {
    scores[index] = (await detector.predict(item.path, { mapMaxSide: 1 })).rawScore;
    onProgress?.(index + 1, validation.length);
  }
  const best = f1Max(scores, Uint8Array.from(validation, (item) => (item.anomalous ? 1 : 0)));
  if (!(best.threshold > 0)) {
    throw new InvalidInputError({ message: `the F1-maximising threshold is ${best.threshold}, not a positive distance: the validation scores do not separate`, property: 'validation' });
  }
  return { ...best, basis: Array.from(scores) };
}
