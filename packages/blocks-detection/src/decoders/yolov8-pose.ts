import type { BoxSet } from '../box-set.js';
import type { DecodeOptions, OutputTensor } from './output-tensor.js';
import { decodeYoloV8 } from './yolov8.js';

/** Keypoints per detection and numbers per keypoint: Ultralytics' `kpt_shape` ([17, 3] for COCO pose; 3 = x, y, visibility). */
export type KeypointShape = readonly [count: number, values: number];

/** How the rows of a YOLOv8/YOLO11-pose output [1, 4 + C + K·V, N] divide. */
export interface PoseLayout {
  classCount: number;
  keypointCount: number;
  /** 3 (x, y, visibility) or 2 (x, y). */
  keypointValues: number;
}

/**
 * The pose layout of an output's shape, or undefined when it has none. The keypoint shape (from
 * the export's `kpt_shape` metadata) settles it; without one, the class count (class names given
 * or in the metadata, else 1, as Ultralytics pose models have) leaves K = (rows − 4 − C) / 3.
 */
export function poseLayout(dims: readonly number[], known: { keypointShape?: KeypointShape; classCount?: number }): PoseLayout | undefined {
  if (dims.length !== 3 || dims[0] !== 1) return undefined;
  const rows = dims[1]!;
  if (known.keypointShape) {
    const [keypointCount, keypointValues] = known.keypointShape;
    const classCount = rows - 4 - keypointCount * keypointValues;
    if (keypointCount < 1 || (keypointValues !== 2 && keypointValues !== 3) || classCount < 1) return undefined;
    if (known.classCount !== undefined && known.classCount !== classCount) return undefined;
    return { classCount, keypointCount, keypointValues };
  }
  const classCount = known.classCount ?? 1;
  const rest = rows - 4 - classCount;
  if (rest < 3 || rest % 3 !== 0) return undefined;
  return { classCount, keypointCount: rest / 3, keypointValues: 3 };
}

/**
 * YOLOv8/YOLO11-pose (Ultralytics export): the YOLOv8 layout with K·V keypoint rows after the
 * class scores, x and y in input pixels and visibility already through a sigmoid. Its first
 * 4 + C rows decode as a YOLOv8 output; each box's `origins` entry is its column.
 */
export function decodeYoloV8Pose(output: OutputTensor, layout: PoseLayout, options: DecodeOptions): BoxSet {
  const count = output.dims[2]!;
  const boxRows = 4 + layout.classCount;
  return decodeYoloV8({ name: output.name, dims: [1, boxRows, count], data: output.data.subarray(0, boxRows * count) }, options);
}

/** The keypoints of the boxes decoded from `origins`, [boxes, K, 3] (x, y, confidence; confidence 1 when the export has none). */
export function keypointsAt(output: OutputTensor, layout: PoseLayout, origins: ArrayLike<number>): Float32Array {
  const count = output.dims[2]!;
  const { keypointCount, keypointValues } = layout;
  const first = (4 + layout.classCount) * count;
  const keypoints = new Float32Array(origins.length * keypointCount * 3);
  for (let i = 0; i < origins.length; i++) {
    const column = origins[i]!;
    for (let k = 0; k < keypointCount; k++) {
      const row = first + k * keypointValues * count + column;
      const at = (i * keypointCount + k) * 3;
      keypoints[at] = output.data[row]!;
      keypoints[at + 1] = output.data[row + count]!;
      keypoints[at + 2] = keypointValues === 3 ? output.data[row + 2 * count]! : 1;
    }
  }
  return keypoints;
}
