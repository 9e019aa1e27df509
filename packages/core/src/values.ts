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

export function isDetections(value: unknown): value is Detections {
  return typeof value === 'object' && value !== null && Array.isArray((value as Detections).predictions) && typeof (value as Detections).image === 'object';
}

export function isAnomalyMap(value: unknown): value is AnomalyMap {
  return typeof value === 'object' && value !== null && (value as AnomalyMap).kind === 'anomaly_map' && (value as AnomalyMap).data instanceof Float32Array;
}
