import { colormapLookupTable, colormapNames, defineBlock, field, InvalidInputError, z, type AnomalyMap, type ColormapName } from '@vad/core';
import { levelsAtImageSize, quantizeScores, regionBorders, requireAnomalyMap, scoreExtent, scoreToLevel, type ScoreRange } from './anomaly-map-levels.js';
import { requireColor } from './colors.js';
import { imageFields, readParameters } from './common-fields.js';

const manifest = {
  ...imageFields,
  anomaly_map: field.selector<AnomalyMap>(['anomaly_map'], {
    description: 'Per-pixel anomaly scores. A map of another size is resized onto the image when the aspect ratios agree (within 2%).',
  }),
  colormap: field.parameter(z.enum(colormapNames).default('turbo'), ['string'], { description: 'Colormap for the scores: turbo or jet.' }),
  normalization: field.parameter(z.enum(['auto', 'fixed']).default('auto'), ['string'], {
    description: 'auto stretches the map\'s own lowest to highest score over the colormap; fixed uses min_score..max_score, so colors mean the same score in every image.',
  }),
  min_score: field.parameter(z.number().default(0), ['float'], { description: 'Score drawn with the colormap\'s first color (fixed normalization).' }),
  max_score: field.parameter(z.number().default(1), ['float'], { description: 'Score drawn with the colormap\'s last color (fixed normalization).' }),
  opacity: field.parameter(z.number().min(0).max(1).default(0.5), ['float_zero_to_one'], { description: 'Opacity of the colormap over the image.' }),
  show_contours: field.parameter(z.boolean().default(true), ['boolean'], {
    description: 'Outline the regions whose score is at or above the threshold (when a threshold is known).',
  }),
  threshold: field.parameter(z.number().optional(), ['float'], { description: 'Score threshold for the contours; defaults to the map\'s own threshold.' }),
  contour_color: field.parameter(z.string().default('WHITE'), ['string'], { description: 'Color of the contours.' }),
  contour_thickness: field.parameter(z.number().int().min(1).max(50).default(2), ['integer'], { description: 'Thickness of the contours in pixels.' }),
};

const parameterNames = ['colormap', 'normalization', 'min_score', 'max_score', 'opacity', 'show_contours', 'threshold', 'contour_color', 'contour_thickness'] as const;

/** The anomaly-map overlay: a colormap of the scores blended over the image, with optional contours. */
export const anomalyMapVisualization = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/anomaly_map_visualization@v1',
  title: 'Anomaly Map Visualization',
  description:
    'Blends a colormap (turbo or jet) of an anomaly map over the image, with automatic or fixed normalization, and outlines the regions above the threshold.',
  manifest,
  outputs: { image: { kinds: ['image'] } },
  create: () => ({
    async run(inputs, context) {
      const where = { stepName: context.stepName, property: 'anomaly_map' };
      const map = requireAnomalyMap(inputs.anomaly_map, where);
      const p = readParameters(manifest, inputs, parameterNames, context.stepName);
      const { image } = inputs;
      let range: ScoreRange;
      if (p.normalization === 'fixed') {
        range = { low: p.min_score as number, high: p.max_score as number };
        if (!(range.high > range.low)) {
          throw new InvalidInputError({ message: `max_score (${range.high}) must be greater than min_score (${range.low})`, stepName: context.stepName, property: 'max_score' });
        }
      } else {
        range = scoreExtent(map.data);
      }
      const threshold = (p.threshold as number | undefined) ?? map.threshold;
      const contourColor = requireColor(p.contour_color as string, { stepName: context.stepName, property: 'contour_color' });
      const table = colormapLookupTable(p.colormap as ColormapName);
      const opacity = p.opacity as number;
      const contourThickness = p.contour_thickness as number;
      const sameSize = map.width === image.width && map.height === image.height;
      let borders: Promise<Uint8Array | undefined> | undefined;
      const source = (await image.pixels()).data;
      // Every byte is written by the blending pass, so it need not be zeroed first; a plain
      // Uint8Array view, so that `slice()` downstream copies as it does for any image's pixels.
      const unzeroed = Buffer.allocUnsafe(source.length);
      const output = new Uint8Array(unzeroed.buffer, unzeroed.byteOffset, unzeroed.byteLength);
      if (sameSize) {
        // A map at the image's size: scores are turned into colors in the blending pass itself.
        if (p.show_contours && threshold !== undefined) borders = regionBorders(map.data, image.width, image.height, threshold, contourThickness);
        blendScores(source, output, map.data, range, table, opacity);
      } else {
        const levels = await levelsAtImageSize(quantizeScores(map.data, range), map, image, where);
        const thresholdLevel = threshold === undefined || threshold > range.high ? undefined : Math.max(1, scoreToLevel(threshold, range));
        if (p.show_contours && thresholdLevel !== undefined) borders = regionBorders(levels, image.width, image.height, thresholdLevel, contourThickness);
        blendLevels(source, output, levels, table, opacity);
      }
      // The erosion ran in libvips' thread while this thread blended.
      const border = await borders;
      if (border) paintMask(output, border, [contourColor.r, contourColor.g, contourColor.b]);
      return { image: image.withPixels({ data: output, width: image.width, height: image.height }) };
    },
  }),
});

/** Tables for output ← (1−opacity)·source + opacity·colormap[level], in 1/256 fixed point. */
function blendTables(table: Uint8Array, opacity: number): { colorTerm: Uint16Array; imageTerm: Uint16Array } {
  const weight = Math.round(opacity * 256);
  const colorTerm = new Uint16Array(256 * 3);
  for (let i = 0; i < colorTerm.length; i++) colorTerm[i] = table[i]! * weight + 128;
  const imageTerm = new Uint16Array(256);
  for (let v = 0; v < 256; v++) imageTerm[v] = v * (256 - weight);
  return { colorTerm, imageTerm };
}

/** One pass over the pixels, colors from 0–255 levels. */
function blendLevels(source: Uint8Array, output: Uint8Array, levels: Uint8Array, table: Uint8Array, opacity: number): void {
  const { colorTerm, imageTerm } = blendTables(table, opacity);
  const count = levels.length;
  for (let i = 0, j = 0; i < count; i++, j += 3) {
    const c = levels[i]! * 3;
    output[j] = (imageTerm[source[j]!]! + colorTerm[c]!) >> 8;
    output[j + 1] = (imageTerm[source[j + 1]!]! + colorTerm[c + 1]!) >> 8;
    output[j + 2] = (imageTerm[source[j + 2]!]! + colorTerm[c + 2]!) >> 8;
  }
}

/** One pass over the pixels, colors straight from scores (level = clamp(round((score − low)·255 / span))). */
function blendScores(source: Uint8Array, output: Uint8Array, scores: Float32Array, range: ScoreRange, table: Uint8Array, opacity: number): void {
  const { colorTerm, imageTerm } = blendTables(table, opacity);
  const span = range.high - range.low;
  // A flat range maps everything above it to the top: a factor that saturates does that.
  const factor = span > 0 ? 255 / span : 1e30;
  const offset = span > 0 ? range.low - 0.5 / factor : range.low;
  const count = scores.length;
  for (let i = 0, j = 0; i < count; i++, j += 3) {
    const scaled = (scores[i]! - offset) * factor;
    // NaN fails both comparisons and lands on level 0.
    const c = (scaled >= 255 ? 255 : scaled >= 1 ? scaled | 0 : 0) * 3;
    output[j] = (imageTerm[source[j]!]! + colorTerm[c]!) >> 8;
    output[j + 1] = (imageTerm[source[j + 1]!]! + colorTerm[c + 1]!) >> 8;
    output[j + 2] = (imageTerm[source[j + 2]!]! + colorTerm[c + 2]!) >> 8;
  }
}

/** Paints `color` where `mask` is 1. */
function paintMask(rgb: Uint8Array, mask: Uint8Array, [r, g, b]: [number, number, number]): void {
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] === 0) continue;
    rgb[i * 3] = r;
    rgb[i * 3 + 1] = g;
    rgb[i * 3 + 2] = b;
  }
}
