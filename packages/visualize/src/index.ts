import type { AnyBlock } from '@vad/core';
import { anomalyMapVisualization } from './anomaly-map-visualization.js';
import { blurVisualization } from './blur-visualization.js';
import { boundingBoxVisualization } from './bounding-box-visualization.js';
import { circleVisualization } from './circle-visualization.js';
import { colorVisualization } from './color-visualization.js';
import { cornerVisualization } from './corner-visualization.js';
import { dotVisualization } from './dot-visualization.js';
import { keypointVisualization } from './keypoint-visualization.js';
import { heatmapVisualization } from './heatmap-visualization.js';
import { traceVisualization } from './trace-visualization.js';
import { labelVisualization } from './label-visualization.js';
import { pixelateVisualization } from './pixelate-visualization.js';
import { textDisplay } from './text-display.js';
import { classificationLabelVisualization } from './classification-label-visualization.js';
import { maskVisualization } from './mask-visualization.js';
import { polygonVisualization } from './polygon-visualization.js';
import { referencePathVisualization } from './reference-path-visualization.js';

export { anomalyMapVisualization } from './anomaly-map-visualization.js';
export { blurVisualization } from './blur-visualization.js';
export { boundingBoxVisualization } from './bounding-box-visualization.js';
export { pixelateVisualization } from './pixelate-visualization.js';
export { circleVisualization } from './circle-visualization.js';
export { colorVisualization } from './color-visualization.js';
export { cornerVisualization } from './corner-visualization.js';
export { dotVisualization } from './dot-visualization.js';
export { cocoSkeleton, keypointVisualization } from './keypoint-visualization.js';
export { heatmapVisualization } from './heatmap-visualization.js';
export { traceVisualization } from './trace-visualization.js';
export { labelVisualization } from './label-visualization.js';
export { textDisplay, formatText } from './text-display.js';
export { classificationLabelVisualization, layoutClassificationLabels, shownClasses } from './classification-label-visualization.js';
export { maskVisualization } from './mask-visualization.js';
export { polygonVisualization } from './polygon-visualization.js';
export { referencePathVisualization } from './reference-path-visualization.js';
export { labelText, labelTextChoices } from './label-text.js';
export {
  parseColor,
  contrastRatio,
  contrastingTextColor,
  relativeLuminance,
  resolvePalette,
  paletteNames,
  defaultPalette,
  roboflowPalette,
  legacyPalette,
  toHex,
} from './colors.js';
export type { Rgb, PaletteName } from './colors.js';
export { colormapLookupTable, colormapNames } from '@vad/core';
export type { ColormapName } from '@vad/core';
export { aspectTolerance } from './anomaly-map-levels.js';

/** Every block of @vad/visualize, for `createBlockRegistry([...coreBlocks(), ...visualizeBlocks()])`. */
export function visualizeBlocks(): AnyBlock[] {
  return [
    boundingBoxVisualization,
    labelVisualization,
    heatmapVisualization,
    traceVisualization,
    anomalyMapVisualization,
    textDisplay,
    dotVisualization,
    keypointVisualization,
    circleVisualization,
    cornerVisualization,
    colorVisualization,
    blurVisualization,
    pixelateVisualization,
    classificationLabelVisualization,
    polygonVisualization,
    maskVisualization,
    referencePathVisualization,
  ];
}
