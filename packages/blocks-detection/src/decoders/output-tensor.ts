import { createBoxSet, type BoxSet } from '../box-set.js';

/** One output of a detection model, as ONNX Runtime returns it. */
export interface OutputTensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

export interface DecodeOptions {
  /** Size of the network input in pixels; decoded boxes are in these coordinates. */
  inputWidth: number;
  inputHeight: number;
  /** Candidates scoring below this are dropped while decoding. */
  confidenceThreshold: number;
}

export type DecoderName = 'detr' | 'yolov8' | 'yolov8_seg' | 'yolov8_pose' | 'yolov5' | 'yolox' | 'nanodet';
export const decoderNames: readonly DecoderName[] = ['detr', 'yolov8', 'yolov8_seg', 'yolov8_pose', 'yolov5', 'yolox', 'nanodet'];

export function sigmoid(value: number): number {
  return 1 / (1 + Math.exp(-value));
}

/** Collects boxes while decoding; capacity is the number of candidates. */
export class BoxCollector {
  readonly #boxes: BoxSet;
  readonly #origins: Int32Array;
  #count = 0;
  constructor(capacity: number) {
    this.#boxes = createBoxSet(capacity);
    this.#origins = new Int32Array(capacity);
  }
  /** `origin`: the candidate index in the model output (-1 when the decoder does not say). */
  add(x1: number, y1: number, x2: number, y2: number, score: number, classId: number, origin = -1): void {
    const i = this.#count++;
    this.#origins[i] = origin;
    const c = this.#boxes.corners;
    c[i * 4] = x1;
    c[i * 4 + 1] = y1;
    c[i * 4 + 2] = x2;
    c[i * 4 + 3] = y2;
    this.#boxes.scores[i] = score;
    this.#boxes.classIds[i] = classId;
  }
  result(): BoxSet {
    const n = this.#count;
    const { corners, scores, classIds } = this.#boxes;
    return { count: n, corners: corners.subarray(0, n * 4), scores: scores.subarray(0, n), classIds: classIds.subarray(0, n), origins: this.#origins.subarray(0, n) };
  }
}

/** Anchor points of a stride pyramid, row-major per level: the layout YOLOX, YOLOv8 and NanoDet share. */
export function gridCount(inputWidth: number, inputHeight: number, strides: readonly number[]): number {
  return strides.reduce((sum, stride) => sum + Math.ceil(inputWidth / stride) * Math.ceil(inputHeight / stride), 0);
}
