import type { ImageLineage } from './image.js';

/** Values of the kinds that have a structure of their own. */

/** One detection, serialised exactly as Roboflow's `predictions` entries (centre x/y, pixels). */
export interface Detection {
  x: number;
  y: number;
  width: number;
  height: number;
  confidence: number;
  class: string;
  class_id: number;
  detection_id: string;
  /** Id of the image the coordinates refer to. */
  parent_id: string;
  tracker_id?: number;
  [extra: string]: unknown;
}

/** Kind `object_detection_prediction`: Roboflow's `{image, predictions}` envelope. */
export interface Detections {
  image: { width: number; height: number };
  predictions: Detection[];
  /** Set when the image was a slice or crop: where it lies in its parent. Not part of Roboflow's JSON. */
  lineage?: ImageLineage;
}

/** One class's score in a single-label classification, as Roboflow writes it. */
export interface ClassScore {
  class: string;
  class_id: number;
  confidence: number;
}

/**
 * Kind `classification_prediction`, single-label: every class's score, best first, and the top
 * one (Roboflow's ClassificationInferenceResponse).
 */
export interface SingleLabelClassification {
  image: { width: number; height: number };
  predictions: ClassScore[];
  top: string;
  confidence: number;
  prediction_type: 'classification';
  parent_id: string;
}

/**
 * Kind `classification_prediction`, multi-label: each class's independent score by name, and the
 * classes at or above the confidence threshold (Roboflow's MultiLabelClassificationInferenceResponse).
 */
export interface MultiLabelClassification {
  image: { width: number; height: number };
  predictions: Record<string, { confidence: number; class_id: number }>;
  predicted_classes: string[];
  prediction_type: 'classification';
  parent_id: string;
}

export type Classification = SingleLabelClassification | MultiLabelClassification;

export function isClassification(value: unknown): value is Classification {
  return typeof value === 'object' && value !== null && (value as Classification).prediction_type === 'classification' && typeof (value as Classification).predictions === 'object';
}

/** The best class of a classification of either form (ties: the lower class id), or undefined when it has no classes. */
export function topClass(classification: Classification): ClassScore | undefined {
  if (Array.isArray(classification.predictions)) {
    const top = classification.predictions[0];
    return top && { class: top.class, class_id: top.class_id, confidence: top.confidence };
  }
  let best: ClassScore | undefined;
  for (const [name, score] of Object.entries(classification.predictions)) {
    if (!best || score.confidence > best.confidence || (score.confidence === best.confidence && score.class_id < best.class_id)) best = { class: name, ...score };
  }
  return best;
}

/** Kind `anomaly_map`: per-pixel anomaly scores in the coordinates of the image it describes. */
export interface AnomalyMap {
  readonly kind: 'anomaly_map';
  readonly width: number;
  readonly height: number;
  /** Row-major scores, `width * height` of them. */
  readonly data: Float32Array;
  /** The score above which a pixel is anomalous, when the producer knows one. */
  readonly threshold?: number;
  /** Id of the image the map describes. */
  readonly imageId?: string;
}

let nextDetection = 0;
/** A detection id unique within this process (stable enough for joining; not a UUID). */
export function newDetectionId(): string {
  return `det_${process.pid.toString(36)}_${(nextDetection++).toString(36)}`;
}

/** Detections, not a classification (which also has `image` and a `predictions` list). */
export function isDetections(value: unknown): value is Detections {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as Detections).predictions) &&
    typeof (value as Detections).image === 'object' &&
    (value as { prediction_type?: unknown }).prediction_type !== 'classification'
  );
}

export function isAnomalyMap(value: unknown): value is AnomalyMap {
  return typeof value === 'object' && value !== null && (value as AnomalyMap).kind === 'anomaly_map' && (value as AnomalyMap).data instanceof Float32Array;
}
