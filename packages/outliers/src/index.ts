import type { AnyBlock } from '@vad/core';
import { identifyChanges } from './identify-changes.js';
import { identifyOutliers } from './identify-outliers.js';

export { identifyOutliers } from './identify-outliers.js';
export { identifyChanges } from './identify-changes.js';
export { createOutlierDetector } from './outlier-detector.js';
export type { OutlierDetector, OutlierDetectorOptions, OutlierVerdict } from './outlier-detector.js';
export { createChangeDetector, changeStrategies } from './change-detector.js';
export type { ChangeDetector, ChangeDetectorOptions, ChangeParameters, ChangeStrategy, ChangeVerdict } from './change-detector.js';
export { erf } from './error-function.js';
export type { EmbeddingValue } from '@vad/core';

/** The blocks of @vad/outliers: Identify Outliers and Identify Changes (both stateful, per stream). */
export function outlierBlocks(): AnyBlock[] {
  return [identifyOutliers, identifyChanges];
}

/** Plugin entry point for `loadPlugins` / `VAD_PLUGINS`. */
export function vadBlocks(): AnyBlock[] {
  return outlierBlocks();
}
