import { anchorPoint, anchorPositions, defineBlock, field, InvalidInputError, isDetections, kinds, z, type Detection, type Detections } from '@vad/core';

/** Anchors a query or target detection may be placed at: a box anchor, or KEYPOINT (a named keypoint). */
const pointOptions = [...anchorPositions.filter((a) => a !== 'CENTER_OF_MASS'), 'KEYPOINT'] as const;
type PointOption = (typeof pointOptions)[number];

/** Roboflow's limits: the pairwise matrix, and the matched pairs (fewer when a side carries masks). */
const maxDetectionsPerSet = 1000;
const maxMatchedPairs = 10_000;
const maxMatchedPairsWithMasks = 100;
/** Targets within this many pixels of the nearest one are ties: each is a match. */
const tieEpsilon = 1;

const detectionKinds = [kinds.objectDetectionPrediction, kinds.instanceSegmentationPrediction, 'keypoint_detection_prediction'];

export interface NearestOptions {
  queryPoint?: PointOption;
  targetPoint?: PointOption;
  queryKeypointName?: string | null;
  targetKeypointName?: string | null;
  maxDistance?: number | null;
  stepName?: string;
}

function anchorsOf(detections: Detections, point: PointOption, keypointName: string | null | undefined, property: 'query' | 'target', stepName: string | undefined): Array<{ x: number; y: number }> {
  if (point !== 'KEYPOINT') {
    return detections.predictions.map((p) => anchorPoint({ x1: p.x - p.width / 2, y1: p.y - p.height / 2, x2: p.x + p.width / 2, y2: p.y + p.height / 2 }, point));
  }
  const withKeypoints = detections.predictions.some((p) => Array.isArray(p.keypoints));
  if (detections.predictions.length > 0 && !withKeypoints) {
    throw new InvalidInputError({ message: `${property}_point is 'KEYPOINT' but ${property}_predictions carry no keypoints: give it keypoint detection predictions`, stepName, property: `${property}_predictions` });
  }
  // A detection without the named keypoint (an occluded joint) gets no anchor and matches nothing.
  return detections.predictions.map((p) => {
    const keypoint = (p.keypoints as Array<{ x: number; y: number; class?: string }> | undefined)?.find((k) => k.class === keypointName);
    return keypoint ? { x: keypoint.x, y: keypoint.y } : { x: Number.NaN, y: Number.NaN };
  });
}

const carriesMasks = (detections: Detections) => detections.predictions.some((p) => Array.isArray(p.points) || p.rle_mask !== undefined);

/**
 * Roboflow's nearest-neighbour join: for each query detection, the target detections nearest to it
 * (Euclidean pixel distance between anchors; every target within 1 px of the nearest is a tie),
 * leaving out targets with the query's own detection_id and targets beyond `maxDistance`.
 * Returns the query detections with `nearest_target_distance` (null when nothing matched) and the
 * matched pairs as two aligned lists, query-major.
 */
export function matchNearest(query: Detections, target: Detections, options: NearestOptions = {}) {
  const { queryPoint = 'CENTER', targetPoint = 'CENTER', maxDistance, stepName } = options;
  for (const [side, point, name] of [['query', queryPoint, options.queryKeypointName], ['target', targetPoint, options.targetKeypointName]] as const) {
    if (point === 'KEYPOINT' && !name) throw new InvalidInputError({ message: `${side}_keypoint_name must be provided when ${side}_point is 'KEYPOINT'`, stepName, property: `${side}_keypoint_name` });
  }
  for (const [side, set] of [['query', query], ['target', target]] as const) {
    if (set.predictions.length > maxDetectionsPerSet) {
      throw new InvalidInputError({
        message: `${side}_predictions has ${set.predictions.length} detections, over the ${maxDetectionsPerSet}-detection limit of the full pairwise comparison: filter or limit them upstream`,
        stepName,
        property: `${side}_predictions`,
      });
    }
  }
  const queryAnchors = anchorsOf(query, queryPoint, options.queryKeypointName, 'query', stepName);
  const targetAnchors = anchorsOf(target, targetPoint, options.targetKeypointName, 'target', stepName);
  const count = target.predictions.length;
  const distances = new Float64Array(query.predictions.length * count);
  const nearest: Array<number | null> = [];
  query.predictions.forEach((q, i) => {
    let minimum = Number.POSITIVE_INFINITY;
    target.predictions.forEach((t, j) => {
      const a = queryAnchors[i]!;
      const b = targetAnchors[j]!;
      let d = Math.hypot(a.x - b.x, a.y - b.y);
      if (q.detection_id !== undefined && q.detection_id === t.detection_id) d = Number.NaN;
      if (maxDistance != null && d > maxDistance) d = Number.NaN;
      distances[i * count + j] = d;
      if (d < minimum) minimum = d;
    });
    nearest.push(Number.isFinite(minimum) ? minimum : null);
  });
  const pairs: Array<[number, number]> = [];
  nearest.forEach((minimum, i) => {
    if (minimum === null) return;
    for (let j = 0; j < count; j++) if (distances[i * count + j]! <= minimum + tieEpsilon) pairs.push([i, j]);
  });
  const masks = carriesMasks(query) || carriesMasks(target);
  const limit = masks ? maxMatchedPairsWithMasks : maxMatchedPairs;
  if (pairs.length > limit) {
    throw new InvalidInputError({
      message: `${pairs.length} matched query-target pairs exceed the limit of ${limit}${masks ? ' (stricter when a side carries segmentation masks)' : ''}: many detections share (nearly) the same anchor point; reduce the detections or separate their anchors`,
      stepName,
      property: 'query_predictions',
    });
  }
  const enriched: Detection[] = query.predictions.map((p, i) => ({ ...p, nearest_target_distance: nearest[i] }));
  return {
    query_predictions: { ...query, predictions: enriched },
    matched_query_detections: { ...query, predictions: pairs.map(([i]) => enriched[i]!) },
    matched_target_detections: { ...target, predictions: pairs.map(([, j]) => target.predictions[j]!) },
  };
}

/** Roboflow's `detections_nearest_neighbor@v1`: each query detection's nearest target detection(s). */
export const detectionsNearestNeighbor = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/detections_nearest_neighbor@v1',
  aliases: ['roboflow_core/detections_nearest_neighbor@v1'],
  title: 'Nearest Neighbor Detection Match',
  description:
    "For each query detection, the nearest target detection(s) by pixel distance between anchor points (a box anchor or a named keypoint); targets within 1 px of the nearest are ties and all match; a target with the query's detection_id or beyond max_distance is left out. Adds nearest_target_distance (null when none) to each query detection; matched_query_detections and matched_target_detections are the pairs, aligned.",
  manifest: {
    query_predictions: field.selector<Detections>(detectionKinds),
    target_predictions: field.selector<Detections>(detectionKinds),
    query_point: field.parameter(z.enum(pointOptions).default('CENTER'), [kinds.string], { description: 'anchor of each query detection: a box anchor, or KEYPOINT (with query_keypoint_name)' }),
    target_point: field.parameter(z.enum(pointOptions).default('CENTER'), [kinds.string], { description: 'anchor of each target detection' }),
    query_keypoint_name: field.parameter(z.string().nullable().optional(), [kinds.string], { description: "the keypoint class used when query_point is 'KEYPOINT'" }),
    target_keypoint_name: field.parameter(z.string().nullable().optional(), [kinds.string], { description: "the keypoint class used when target_point is 'KEYPOINT'" }),
    max_distance: field.parameter(z.number().int().min(0).nullable().optional(), [kinds.integer], { description: 'targets farther than this many pixels are left out (unset: no limit)' }),
  },
  outputs: {
    query_predictions: { kinds: detectionKinds },
    matched_query_detections: { kinds: detectionKinds },
    matched_target_detections: { kinds: detectionKinds },
  },
  create: ({ stepName }) => ({
    run: (inputs) => {
      for (const property of ['query_predictions', 'target_predictions'] as const) {
        if (!isDetections(inputs[property])) throw new InvalidInputError({ message: 'expected detections ({image, predictions})', stepName, property });
      }
      return matchNearest(inputs.query_predictions, inputs.target_predictions, {
        queryPoint: inputs.query_point,
        targetPoint: inputs.target_point,
        queryKeypointName: inputs.query_keypoint_name,
        targetKeypointName: inputs.target_keypoint_name,
        maxDistance: inputs.max_distance,
        stepName,
      });
    },
  }),
});
