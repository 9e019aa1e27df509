import { defineBlock, field, InvalidInputError, isDetections, kinds, z, type Detection, type Detections } from '@vad/core';

export type OverlapType = 'Center Overlap' | 'Any Overlap';

interface Corners {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

const cornersOf = (p: Detection): Corners => ({ x1: p.x - p.width / 2, y1: p.y - p.height / 2, x2: p.x + p.width / 2, y2: p.y + p.height / 2 });

/**
 * Whether `other` overlaps the reference box: `Center Overlap`, its centre lies strictly inside;
 * `Any Overlap`, the two boxes touch or intersect (edges that meet count, as in Roboflow).
 */
export function boxesOverlap(reference: Corners, other: Corners, type: OverlapType): boolean {
  if (type === 'Center Overlap') {
    const x = (other.x1 + other.x2) / 2;
    const y = (other.y1 + other.y2) / 2;
    return x > reference.x1 && x < reference.x2 && y > reference.y1 && y < reference.y2;
  }
  return !(other.x2 < reference.x1 || other.x1 > reference.x2 || other.y2 < reference.y1 || other.y1 > reference.y2);
}

/**
 * The detections that overlap some detection of class `overlapClassName` (Roboflow's `overlap@v1`);
 * the reference detections themselves are left out. Kept in their input order.
 */
export function findOverlaps(detections: Detections, overlapClassName: string, type: OverlapType): Detections {
  const references = detections.predictions.filter((p) => p.class === overlapClassName).map(cornersOf);
  const predictions = detections.predictions.filter((p) => {
    if (p.class === overlapClassName) return false;
    const box = cornersOf(p);
    return references.some((reference) => boxesOverlap(reference, box, type));
  });
  return { ...detections, predictions };
}

/** Roboflow's overlap filter: objects lying on (or touching) instances of another class, e.g. people on bicycles. */
export const detectionsOverlap = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/overlap@v1',
  aliases: ['roboflow_core/overlap@v1', 'Overlap'],
  title: 'Overlap Filter',
  description:
    "Keeps the detections that overlap a detection of class overlap_class_name ('Center Overlap': the detection's centre lies inside that box; 'Any Overlap': the boxes touch or intersect); the overlap class's own detections are removed.",
  manifest: {
    // Roboflow's first v1 manifest also took the image; accepted, not needed.
    image: field.image({ optional: true, description: 'Accepted for Roboflow compatibility (its first v1 manifest required it); not used.' }),
    predictions: field.selector<Detections>([kinds.objectDetectionPrediction, kinds.instanceSegmentationPrediction]),
    overlap_type: field.literal(z.enum(['Center Overlap', 'Any Overlap']).default('Center Overlap')),
    overlap_class_name: field.literal(z.string(), { description: 'Class of the reference detections.' }),
  },
  outputs: { overlaps: { kinds: [kinds.objectDetectionPrediction] } },
  create: ({ stepName }) => ({
    run: (inputs) => {
      if (!isDetections(inputs.predictions)) throw new InvalidInputError({ message: 'expected detections ({image, predictions})', stepName, property: 'predictions' });
      return { overlaps: findOverlaps(inputs.predictions, inputs.overlap_class_name, inputs.overlap_type) };
    },
  }),
});
