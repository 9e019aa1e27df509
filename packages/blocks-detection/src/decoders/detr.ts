import type { BoxSet } from '../box-set.js';
import { BoxCollector, sigmoid, type DecodeOptions, type OutputTensor } from './output-tensor.js';

/**
 * RF-DETR / DETR style: boxes [1, Q, 4] as normalised centre x, centre y, width, height, and
 * class logits [1, Q, C]. Scores are sigmoids of the logits (RF-DETR, Deformable DETR, which train
 * with focal loss); each query gives one box with its best class.
 */
export function decodeDetr(boxesOutput: OutputTensor, logitsOutput: OutputTensor, options: DecodeOptions): BoxSet {
  const queries = boxesOutput.dims[1]!;
  const classCount = logitsOutput.dims[2]!;
  const boxesData = boxesOutput.data;
  const logits = logitsOutput.data;
  // sigmoid is monotonic: pick the best logit first, then compare its sigmoid with the threshold.
  const boxes = new BoxCollector(queries);
  for (let q = 0; q < queries; q++) {
    let bestClass = 0;
    let best = logits[q * classCount]!;
    for (let c = 1; c < classCount; c++) {
      const value = logits[q * classCount + c]!;
      if (value > best) {
        best = value;
        bestClass = c;
      }
    }
    const score = sigmoid(best);
    if (score < options.confidenceThreshold) continue;
    const cx = boxesData[q * 4]! * options.inputWidth;
    const cy = boxesData[q * 4 + 1]! * options.inputHeight;
    const w = boxesData[q * 4 + 2]! * options.inputWidth;
    const h = boxesData[q * 4 + 3]! * options.inputHeight;
    boxes.add(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, score, bestClass);
  }
  return boxes.result();
}
