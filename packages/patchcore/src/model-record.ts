import { ModelLoadError } from '@vad/core';
import type { Normalization } from '@vad/models';
import type { FeatureBackbone } from './backbone.js';
import type { TapShape } from './patch-features.js';
import { createRandom, shuffledIndices } from './random.js';

// What PatchCore's and PaDiM's model files share: the backbone and threshold records, and how fits split their images.

/** Progress of a fit, for progress bars: `done` of `total` in the current stage. */
export interface FitProgress {
  readonly stage: 'features' | 'coreset' | 'threshold';
  readonly done: number;
  readonly total: number;
}

/** Fits use the whole bank up to this many images ("few-shot"), a coreset above. */
export const fullBankMaxImages = 16;

/** What a fitted model records about the network that made its features. */
export interface BackboneRecord {
  readonly id: string;
  readonly inputSize: number;
  readonly normalization: Normalization;
  readonly taps: readonly string[];
  readonly tapShapes: readonly TapShape[];
}

/** How a threshold was chosen, in raw (distance) units; normalised scores put it at 0.5. */
export interface ThresholdRecord {
  readonly score: number;
  readonly rule: 'held-out-max' | 'leave-one-out-max' | 'second-neighbour-max' | 'f1-max' | 'user';
  /** The scores the rule was applied to (held-out normal images, or labelled validation images). */
  readonly basis?: readonly number[];
}

/** What tells two backbones apart: a model's bank only matches features of the backbone it was fitted on. */
export type BackboneIdentity = Pick<FeatureBackbone, 'id' | 'taps' | 'tapShapes' | 'inputSize'>;

export function backboneRecord(backbone: FeatureBackbone): BackboneRecord {
  return { id: backbone.id, inputSize: backbone.inputSize, normalization: backbone.normalization, taps: [...backbone.taps], tapShapes: backbone.tapShapes.map((shape) => ({ ...shape })) };
}

export function checkBackbone(file: string, recorded: BackboneRecord, backbone: BackboneIdentity): void {
  const same =
    recorded.id === backbone.id &&
    recorded.inputSize === backbone.inputSize &&
    JSON.stringify(recorded.taps) === JSON.stringify(backbone.taps) &&
    JSON.stringify(recorded.tapShapes) === JSON.stringify(backbone.tapShapes);
  if (!same) {
    throw new ModelLoadError({
      message: `model file ${file} was fitted on backbone ${recorded.id} (taps ${recorded.taps.join('+')}, ${recorded.inputSize} px), not ${backbone.id} (taps ${backbone.taps.join('+')}, ${backbone.inputSize} px); fit it again on this backbone`,
      path: file,
    });
  }
}

/** Images a fit holds out for its threshold: none up to `fullBankMaxImages` (few-shot), else 10 % and at least 2. */
export function thresholdHeldOutCount(images: number): number {
  return images <= fullBankMaxImages ? 0 : Math.max(2, Math.round(images * 0.1));
}

/** A seeded choice of `count` files to hold out; the rest keep their order. */
export function splitHeldOut(files: readonly string[], count: number, seed: number): { bankFiles: string[]; heldOutFiles: string[] } {
  const heldOut = new Set(shuffledIndices(files.length, createRandom(seed)).slice(0, count));
  return { bankFiles: files.filter((_, index) => !heldOut.has(index)), heldOutFiles: files.filter((_, index) => heldOut.has(index)) };
}
