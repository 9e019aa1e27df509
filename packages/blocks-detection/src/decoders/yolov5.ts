import type { BoxSet } from '../box-set.js';
import { BoxCollector, type DecodeOptions, type OutputTensor } from './output-tensor.js';

/** Decodes rows of [cx, cy, w, h, objectness, class scores…]; `place` turns a row's raw box into pixels. */
function decodeRows(output: OutputTensor, options: DecodeOptions, place: (row: number, raw: Float32Array) => void): BoxSet {
  const [, count, width] = output.dims as [number, number, number];
  const classCount = width - 5;
  const { data } = output;
  const boxes = new BoxCollector(count);
  const box = new Float32Array(4);
  for (let n = 0; n < count; n++) {
    const at = n * width;
    const objectness = data[at + 4]!;
    if (objectness < options.confidenceThreshold) continue;
    let bestClass = 0;
    let best = data[at + 5]!;
    for (let c = 1; c < classCount; c++) {
      const value = data[at + 5 + c]!;
      if (value > best) {
        best = value;
        bestClass = c;
      }
    }
    const score = objectness * best;
    if (score < options.confidenceThreshold) continue;
    box.set(data.subarray(at, at + 4));
    place(n, box);
    const [cx, cy, w, h] = box as unknown as [number, number, number, number];
    boxes.add(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, score, bestClass);
  }
  return boxes.result();
}

/**
 * YOLOv5 / YOLOv7 style: one output [1, N, 5 + C] with boxes already decoded to input pixels
 * (centre x, centre y, width, height), objectness and class probabilities; score = objectness × class.
 */
export function decodeYoloV5(output: OutputTensor, options: DecodeOptions): BoxSet {
  return decodeRows(output, options, () => {});
}

export interface YoloxDecodeOptions extends DecodeOptions {
  /** Strides of the pyramid levels, in output order. Default [8, 16, 32]. */
  strides?: readonly number[];
}

/**
 * YOLOX raw head (exported with `decode_in_inference=False`): one output [1, N, 5 + C] whose
 * N rows are the anchor points of strides 8, 16, 32, row-major per level. Box rows are offsets:
 * cx = (tx + gridX) · stride, w = exp(tw) · stride; objectness and classes are already sigmoids.
 */
export function decodeYolox(output: OutputTensor, options: YoloxDecodeOptions): BoxSet {
  const strides = options.strides ?? [8, 16, 32];
  const count = output.dims[1]!;
  const gridX = new Float32Array(count);
  const gridY = new Float32Array(count);
  const strideOf = new Float32Array(count);
  let n = 0;
  for (const stride of strides) {
    const columns = Math.ceil(options.inputWidth / stride);
    const rows = Math.ceil(options.inputHeight / stride);
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < columns && n < count; x++, n++) {
        gridX[n] = x;
        gridY[n] = y;
        strideOf[n] = stride;
      }
    }
  }
  return decodeRows(output, options, (row, box) => {
    const stride = strideOf[row]!;
    box[0] = (box[0]! + gridX[row]!) * stride;
    box[1] = (box[1]! + gridY[row]!) * stride;
    box[2] = Math.exp(box[2]!) * stride;
    box[3] = Math.exp(box[3]!) * stride;
  });
}
