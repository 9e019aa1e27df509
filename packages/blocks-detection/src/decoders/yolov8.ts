import type { BoxSet } from '../box-set.js';
import { BoxCollector, type DecodeOptions, type OutputTensor } from './output-tensor.js';

/**
 * YOLOv8 / YOLO11 (Ultralytics export): one output [1, 4 + C, N], channel-major; rows 0–3 are
 * centre x, centre y, width, height in input pixels, rows 4… are class scores already passed
 * through a sigmoid. A candidate's score is its best class score.
 */
export function decodeYoloV8(output: OutputTensor, options: DecodeOptions): BoxSet {
  const [, channels, count] = output.dims as [number, number, number];
  const classCount = channels - 4;
  const { data } = output;
  const bestScore = new Float32Array(count);
  const bestClass = new Int32Array(count);
  bestScore.set(data.subarray(4 * count, 5 * count));
  for (let c = 1; c < classCount; c++) {
    const row = data.subarray((4 + c) * count, (5 + c) * count);
    for (let n = 0; n < count; n++) {
      if (row[n]! > bestScore[n]!) {
        bestScore[n] = row[n]!;
        bestClass[n] = c;
      }
    }
  }
  const boxes = new BoxCollector(count);
  for (let n = 0; n < count; n++) {
    const score = bestScore[n]!;
    if (score < options.confidenceThreshold) continue;
    const cx = data[n]!, cy = data[count + n]!, w = data[2 * count + n]!, h = data[3 * count + n]!;
    boxes.add(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, score, bestClass[n]!, n);
  }
  return boxes.result();
}
