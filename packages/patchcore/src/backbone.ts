import type { Normalization } from '@vad/models';
import type { TapShape } from './patch-features.js';

/**
 * What PatchCore and PaDiM need from a network: a square input size, how pixels are normalised,
 * and the feature maps of its taps (shallowest first) for a batch of images.
 */
export interface FeatureBackbone {
  /** Stable id recorded in model files (e.g. `inception_v3`); loading a model checks it. */
  readonly id: string;
  readonly inputSize: number;
  readonly normalization: Normalization;
  readonly taps: readonly string[];
  readonly tapShapes: readonly TapShape[];
  /** `[batch, 3, inputSize, inputSize]` normalised input → one NCHW map per tap. */
  run(input: Float32Array, batch: number): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}
