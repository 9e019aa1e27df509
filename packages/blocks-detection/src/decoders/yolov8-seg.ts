import type { BoxSet } from '../box-set.js';
import type { DecodeOptions, OutputTensor } from './output-tensor.js';
import { decodeYoloV8 } from './yolov8.js';

/** The two outputs of a YOLOv8/YOLO11-seg export, told apart by rank. */
export interface SegmentationOutputs<T> {
  /** [1, 4 + C + M, N]: boxes, class scores, then M mask coefficients per candidate. */
  detections: T;
  /** [1, M, H/4, W/4]: the mask prototypes the coefficients mix. */
  prototypes: T;
  /** M, the number of prototypes (32 in Ultralytics' exports). */
  maskChannels: number;
  classCount: number;
}

/** The seg layout's outputs, or undefined when `outputs` are not one [1, 4 + C + M, N] and one [1, M, h, w]. */
export function segmentationOutputs<T extends { readonly dims: readonly number[] }>(outputs: readonly T[]): SegmentationOutputs<T> | undefined {
  if (outputs.length !== 2) return undefined;
  const detections = outputs.find((o) => o.dims.length === 3);
  const prototypes = outputs.find((o) => o.dims.length === 4);
  if (!detections || !prototypes || detections.dims[0] !== 1 || prototypes.dims[0] !== 1) return undefined;
  const maskChannels = prototypes.dims[1]!;
  const classCount = detections.dims[1]! - 4 - maskChannels;
  if (maskChannels < 1 || classCount < 1) return undefined;
  return { detections, prototypes, maskChannels, classCount };
}

/**
 * YOLOv8/YOLO11-seg (Ultralytics export): the detection output is the YOLOv8 layout with M mask
 * coefficient rows after the class scores. Channel-major, so its first 4 + C rows are exactly a
 * YOLOv8 output and decode as one; each box's `origins` entry is its column, where its
 * coefficients are.
 */
export function decodeYoloV8Seg(outputs: SegmentationOutputs<OutputTensor>, options: DecodeOptions): BoxSet {
  const { detections, classCount } = outputs;
  const count = detections.dims[2]!;
  const boxRows = 4 + classCount;
  return decodeYoloV8({ name: detections.name, dims: [1, boxRows, count], data: detections.data.subarray(0, boxRows * count) }, options);
}

/** The mask coefficients of the boxes decoded from `origins`, as a [boxes, M] row-major matrix. */
export function maskCoefficients(outputs: SegmentationOutputs<OutputTensor>, origins: ArrayLike<number>): Float32Array {
  const { detections, maskChannels, classCount } = outputs;
  const count = detections.dims[2]!;
  const first = (4 + classCount) * count;
  const coefficients = new Float32Array(origins.length * maskChannels);
  for (let i = 0; i < origins.length; i++) {
    for (let m = 0; m < maskChannels; m++) coefficients[i * maskChannels + m] = detections.data[first + m * count + origins[i]!]!;
  }
  return coefficients;
}
