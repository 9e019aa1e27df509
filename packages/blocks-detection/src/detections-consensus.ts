import { defineBlock, field, InvalidInputError, isDetections, kinds, z, type Detection, type Detections } from '@vad/core';
import { createBoxSet, intersectionOverUnion } from './box-set.js';
import { boxesFromPredictions, predictionFromBox } from './prediction-boxes.js';

export type AggregationMode = 'average' | 'max' | 'min';

export interface ConsensusOptions {
  /** Sources (models) that must agree on a box, the box's own source included. */
  requiredVotes: number;
  /** Only boxes of the same class vote together. Default true. */
  classAware?: boolean;
  /** Boxes of other sources vote for a box when their IoU with it is above this. Default 0.3. */
  iouThreshold?: number;
  /** Merged boxes below this confidence are dropped. Default 0. */
  confidence?: number;
  /** Only these classes take part (all when absent or empty). */
  classesToConsider?: readonly string[] | null;
  /** Merged boxes needed for `object_present`: a count, or a count per class. */
  requiredObjects?: number | Readonly<Record<string, number>> | null;
  /** How `presence_confidence` aggregates the merged confidences. Default max. */
  presenceConfidenceAggregation?: AggregationMode;
  /** How a merged box gets its confidence and class (average: the majority class). Default average. */
  mergeConfidenceAggregation?: AggregationMode;
  /** How a merged box gets its corners (max: the largest box, min: the smallest). Default average. */
  mergeCoordinatesAggregation?: AggregationMode;
  stepName?: string;
}

export interface Consensus {
  predictions: Detections;
  object_present: boolean;
  /** Per class when class-aware, else `{ any_object }`; empty when no object is present. */
  presence_confidence: Record<string, number>;
}

const aggregate: Record<AggregationMode, (values: readonly number[]) => number> = {
  average: (values) => values.reduce((sum, value) => sum + value, 0) / values.length,
  max: (values) => Math.max(...values),
  min: (values) => Math.min(...values),
};

/**
 * Roboflow's majority vote across detection sources: each box, in source order, gathers the
 * best-overlapping unused box of every other source; with enough votes the group merges into one
 * new box (new detection id) and its members are used up.
 */
export function agreeOnConsensus(sources: readonly Detections[], options: ConsensusOptions): Consensus {
  const first = sources[0];
  if (!first) throw new InvalidInputError({ message: 'consensus needs at least one source of predictions', stepName: options.stepName, property: 'predictions_batches' });
  const envelope = (predictions: Detection[]): Detections => ({ ...first, predictions });
  if (sources.every((source) => source.predictions.length === 0)) return { predictions: envelope([]), object_present: false, presence_confidence: {} };
  checkOneParent(sources, options.stepName);

  const classes = options.classesToConsider?.length ? new Set(options.classesToConsider) : undefined;
  const candidates = sources.flatMap((source, sourceIndex) => source.predictions.filter((p) => !classes || classes.has(p.class)).map((prediction) => ({ prediction, sourceIndex })));
  const { corners } = boxesFromPredictions(candidates.map((c) => c.prediction));
  const classAware = options.classAware ?? true;
  const iouThreshold = options.iouThreshold ?? 0.3;
  // By detection id, as Roboflow does: the same predictions given twice are used up together.
  const used = new Set<string>();
  const merged: Detection[] = [];
  candidates.forEach(({ prediction, sourceIndex }, anchor) => {
    if (used.has(prediction.detection_id)) return;
    const bestBySource = new Map<number, { index: number; iou: number }>();
    candidates.forEach((other, index) => {
      if (other.sourceIndex === sourceIndex || used.has(other.prediction.detection_id)) return;
      if (classAware && other.prediction.class !== prediction.class) return;
      const iou = intersectionOverUnion(corners, anchor, index);
      if (iou <= iouThreshold) return;
      if ((bestBySource.get(other.sourceIndex)?.iou ?? -1) < iou) bestBySource.set(other.sourceIndex, { index, iou });
    });
    if (bestBySource.size < options.requiredVotes - 1) return;
    const group = [prediction, ...[...bestBySource.values()].map(({ index }) => candidates[index]!.prediction)];
    const box = mergeGroup(group, options.mergeConfidenceAggregation ?? 'average', options.mergeCoordinatesAggregation ?? 'average');
    if (box.confidence < (options.confidence ?? 0)) return;
    merged.push(box);
    for (const member of group) used.add(member.detection_id);
  });
  return { predictions: envelope(merged), ...presenceOf(merged, classAware, options.requiredObjects ?? 0, options.presenceConfidenceAggregation ?? 'max') };
}

/** Consensus is about one image: every prediction must refer to the same parent. */
function checkOneParent(sources: readonly Detections[], stepName: string | undefined): void {
  const parents = new Set(sources.flatMap((source) => source.predictions.map((p) => p.parent_id)));
  if (parents.size > 1) {
    throw new InvalidInputError({ message: `predictions of different images (parent ids ${[...parents].join(', ')}) cannot be merged`, stepName, property: 'predictions_batches' });
  }
}

/** One box for a group that agreed; ties go to the earlier member (the anchor first). */
function mergeGroup(group: readonly Detection[], confidenceMode: AggregationMode, coordinatesMode: AggregationMode): Detection {
  const confidences = group.map((p) => p.confidence);
  const confidence = aggregate[confidenceMode](confidences);
  const chosenClass = confidenceMode === 'average' ? majorityClass(group) : group[confidences.indexOf(confidence)]!;
  const members = boxesFromPredictions(group);
  const box = createBoxSet(1);
  if (coordinatesMode === 'average') {
    for (let corner = 0; corner < 4; corner++) box.corners[corner] = aggregate.average(group.map((_, i) => members.corners[i * 4 + corner]!));
  } else {
    const areas = group.map((p) => p.width * p.height);
    const pick = areas.indexOf(aggregate[coordinatesMode](areas));
    box.corners.set(members.corners.subarray(pick * 4, pick * 4 + 4));
  }
  box.classIds[0] = chosenClass.class_id;
  // The confidence at full precision, not the box set's float32.
  return { ...predictionFromBox(box, 0, { className: chosenClass.class, parentId: group[0]!.parent_id }), confidence };
}

/** The most frequent class (name and id), the first seen among equals. */
function majorityClass(group: readonly Detection[]): Detection {
  const counts = new Map<string, { member: Detection; count: number }>();
  for (const member of group) {
    const key = `${member.class_id}\u0000${member.class}`;
    const entry = counts.get(key) ?? { member, count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  let best: { member: Detection; count: number } | undefined;
  for (const entry of counts.values()) if (!best || entry.count > best.count) best = entry;
  return best!.member;
}

function presenceOf(merged: readonly Detection[], classAware: boolean, requiredObjects: number | Readonly<Record<string, number>>, mode: AggregationMode) {
  const absent = { object_present: false, presence_confidence: {} };
  if (merged.length === 0) return absent;
  // Without classes, a per-class requirement becomes its total.
  const required = typeof requiredObjects === 'number' || classAware ? requiredObjects : Object.values(requiredObjects).reduce((sum, n) => sum + n, 0);
  if (typeof required === 'number' && merged.length < required) return absent;
  if (!classAware) return { object_present: true, presence_confidence: { any_object: aggregate[mode](merged.map((p) => p.confidence)) } };
  const byClass = new Map<string, number[]>();
  for (const p of merged) byClass.set(p.class, [...(byClass.get(p.class) ?? []), p.confidence]);
  if (typeof required === 'object' && Object.entries(required).some(([name, count]) => (byClass.get(name)?.length ?? 0) < count)) return absent;
  return { object_present: true, presence_confidence: Object.fromEntries([...byClass].map(([name, confidences]) => [name, aggregate[mode](confidences)])) };
}

const detectionKinds = [kinds.objectDetectionPrediction, 'instance_segmentation_prediction', 'keypoint_detection_prediction'];
const aggregationMode = z.enum(['average', 'max', 'min']);
const positiveInteger = z.number().int().positive();

/** Roboflow's `detections_consensus@v1`: boxes that enough models agree on, and whether objects are present. */
export const detectionsConsensus = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/detections_consensus@v1',
  aliases: ['roboflow_core/detections_consensus@v1', 'DetectionsConsensus'],
  title: 'Detections Consensus',
  description:
    'Merges the detections of several models by majority vote: a box is kept when boxes of enough models overlap it (IoU), merged into one; says whether (enough) objects are present and how confident.',
  manifest: {
    predictions_batches: field.list(z.custom<Detections | null>((value) => isDetections(value), { message: 'expected object detection predictions' }), detectionKinds, {
      minItems: 1,
      aliases: ['predictions'],
      description: 'the predictions of each model on the same image',
    }),
    required_votes: field.parameter(positiveInteger, [kinds.integer], { description: 'models that must agree on a box, its own included' }),
    class_aware: field.parameter(z.boolean().default(true), [kinds.boolean]),
    iou_threshold: field.parameter(z.number().min(0).max(1).default(0.3), [kinds.floatZeroToOne]),
    confidence: field.parameter(z.number().min(0).max(1).default(0), [kinds.floatZeroToOne], { description: 'merged boxes below it are dropped' }),
    classes_to_consider: field.parameter(z.array(z.string()).nullable().default(null), [kinds.listOfValues]),
    required_objects: field.parameter(z.union([positiveInteger, z.record(z.string(), positiveInteger)]).nullable().default(null), [kinds.integer, kinds.dictionary], {
      description: 'merged boxes needed for object_present: a count, or a count per class',
    }),
    presence_confidence_aggregation: field.literal(aggregationMode.default('max')),
    detections_merge_confidence_aggregation: field.literal(aggregationMode.default('average')),
    detections_merge_coordinates_aggregation: field.literal(aggregationMode.default('average')),
  },
  outputs: {
    predictions: { kinds: [kinds.objectDetectionPrediction] },
    object_present: { kinds: [kinds.boolean, kinds.dictionary] },
    presence_confidence: { kinds: [kinds.floatZeroToOne, kinds.dictionary] },
  },
  create: ({ stepName }) => ({
    run: (inputs) => {
      // A source whose step was skipped: no consensus for this image, as Roboflow skips it.
      if (inputs.predictions_batches.some((source) => source == null)) return { predictions: null, object_present: null, presence_confidence: null };
      inputs.predictions_batches.forEach((source, index) => {
        if (!isDetections(source)) throw new InvalidInputError({ message: `predictions_batches[${index}] is not an object detection prediction`, stepName, property: 'predictions_batches' });
      });
      return agreeOnConsensus(inputs.predictions_batches as Detections[], {
        requiredVotes: inputs.required_votes,
        classAware: inputs.class_aware,
        iouThreshold: inputs.iou_threshold,
        confidence: inputs.confidence,
        classesToConsider: inputs.classes_to_consider,
        requiredObjects: inputs.required_objects,
        presenceConfidenceAggregation: inputs.presence_confidence_aggregation,
        mergeConfidenceAggregation: inputs.detections_merge_confidence_aggregation,
        mergeCoordinatesAggregation: inputs.detections_merge_coordinates_aggregation,
        stepName,
      });
    },
  }),
});
