import { InvalidInputError, newDetectionId, type AnomalyMap, type Detection, type Detections, type VadImage } from '@vad/core';
import { alignPiecewise, type Translation } from './alignment.js';
import { binarize, blurToMap, combine, growWhite, invert, openWhite, shrinkWhite, type BinaryImage } from './binary-image.js';
import { connectedComponents } from './connected-components.js';

export type AlignmentMode = 'none' | 'translation' | 'piecewise';

export interface ReferenceComparisonOptions {
  /** `piecewise` (default): a global shift, then a shift per tile; `translation`: one shift; `none`. */
  alignment?: AlignmentMode;
  /** Largest global shift searched, pixels. Default 6. */
  maxShift?: number;
  /** Tile size and per-tile shift range of piecewise alignment. Defaults 128 and 3. */
  tileSize?: number;
  tileShift?: number;
  /** Grey level separating the two phases (copper / substrate). Default 128. */
  binarizeThreshold?: number;
  /** A test pixel differs only if no reference pixel within this radius has its value. Default 2. */
  tolerance?: number;
  /** Differences thinner than about 2·opening + 1 pixels do not count towards a region's score. Default 1. */
  opening?: number;
  /** Difference pixels closer than this join one region. Default 4. */
  joinDistance?: number;
  /** Added around each region's difference pixels in its box. Default 12. */
  boxPadding?: number;
  /** Regions with fewer difference pixels are dropped. Default 4. */
  minArea?: number;
  /** Regions scoring below this are dropped. Default 0. */
  minScore?: number;
  /** Class name of the detections. Default `difference`. */
  className?: string;
  /** Where errors point in a workflow. */
  stepName?: string;
}

export interface ReferenceComparison {
  predictions: Detections;
  /** Blurred difference mask in the test image's coordinates, 0–1, threshold 0.5. */
  anomalyMap: AnomalyMap;
  /** The global shift found: reference(x + dx, y + dy) lies on test(x, y). */
  alignment: Translation;
}

/**
 * Inspection against a known-good reference (e.g. a PCB template): binarise both, align the
 * reference, mark test pixels that no reference pixel within `tolerance` matches (extra or
 * missing material), join nearby marks into regions, and score each region by its difference
 * area that survives a morphological opening (thin edge slivers from residual misalignment score ~0).
 */
export async function compareToReference(image: VadImage, reference: VadImage, options: ReferenceComparisonOptions = {}): Promise<ReferenceComparison> {
  if (image.width !== reference.width || image.height !== reference.height) {
    throw new InvalidInputError({
      message: `the image is ${image.width}×${image.height} but the reference is ${reference.width}×${reference.height}; they must have the same size`,
      stepName: options.stepName,
      property: 'reference_image',
    });
  }
  const threshold = options.binarizeThreshold ?? 128;
  const tolerance = options.tolerance ?? 2;
  const join = options.joinDistance ?? 4;
  const padding = options.boxPadding ?? 12;
  const minArea = options.minArea ?? 4;
  const alignment = options.alignment ?? 'piecewise';
  const [test, rawReference] = await Promise.all([binarize(image, threshold), binarize(reference, threshold)]);

  let aligned: BinaryImage = rawReference;
  let shift: Translation = { dx: 0, dy: 0 };
  if (alignment !== 'none') {
    const result = alignPiecewise(test, rawReference, {
      maxShift: options.maxShift ?? 6,
      tileSize: options.tileSize ?? 128,
      tileShift: alignment === 'piecewise' ? (options.tileShift ?? 3) : 0,
    });
    aligned = result.aligned;
    shift = result.global;
  }

  // extra material: white in the test, black everywhere near it in the reference; missing: the opposite.
  const [referenceGrown, referenceShrunk] = await Promise.all([growWhite(aligned, tolerance), shrinkWhite(aligned, tolerance)]);
  const [notGrown, notTest] = await Promise.all([invert(referenceGrown), invert(test)]);
  const [extra, missing] = await Promise.all([combine(notGrown, test, 'and'), combine(notTest, referenceShrunk, 'and')]);
  const difference = await combine(extra, missing, 'or');
  const [opened, joined, map] = await Promise.all([openWhite(difference, options.opening ?? 1), growWhite(difference, join), blurToMap(difference, 1.5)]);

  const { width, height } = image;
  const { components, labels } = connectedComponents(joined.data, width, height);
  const area = new Float64Array(components.length);
  const solidArea = new Float64Array(components.length);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (label < 0) continue;
    if (difference.data[i]) area[label]!++;
    if (opened.data[i]) solidArea[label]!++;
  }
  const predictions: Detection[] = [];
  components.forEach((component, k) => {
    if (area[k]! < minArea) return;
    // the join grew each region by `join`; take that back, then pad
    const x1 = Math.max(0, component.x1 + join - padding);
    const y1 = Math.max(0, component.y1 + join - padding);
    const x2 = Math.min(width, component.x2 + 1 - join + padding);
    const y2 = Math.min(height, component.y2 + 1 - join + padding);
    // Solid difference area decides; the raw area breaks ties. 1 − e^(−a/40) maps it into [0, 1).
    const confidence = 1 - Math.exp(-(solidArea[k]! + 0.01 * area[k]!) / 40);
    if (confidence < (options.minScore ?? 0) || x2 <= x1 || y2 <= y1) return;
    predictions.push({
      x: (x1 + x2) / 2,
      y: (y1 + y2) / 2,
      width: x2 - x1,
      height: y2 - y1,
      confidence,
      class: options.className ?? 'difference',
      class_id: 0,
      detection_id: newDetectionId(),
      parent_id: image.id,
      difference_area: area[k]!,
    });
  });
  predictions.sort((a, b) => b.confidence - a.confidence);
  const detections: Detections = { image: { width, height }, predictions };
  if (image.lineage) detections.lineage = image.lineage;
  return {
    predictions: detections,
    anomalyMap: { kind: 'anomaly_map', width, height, data: map, threshold: 0.5, imageId: image.id },
    alignment: shift,
  };
}
