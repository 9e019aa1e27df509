import type { BoxSet } from '../box-set.js';
import { BoxCollector, type DecodeOptions, type OutputTensor } from './output-tensor.js';

export interface NanoDetLevel {
  /** Class scores [1, H·W, C] (sigmoids). */
  scores: OutputTensor;
  /** Box distributions [1, H·W, 4·(regMax + 1)]: a softmax over bins per side. */
  distances: OutputTensor;
  stride: number;
}

/**
 * NanoDet (GFL head, the original 6-output export): per pyramid level a class-score output and a
 * distance-distribution output. Each side's distance from the anchor centre ((x + 0.5)·stride) is
 * the expectation of a softmax over regMax + 1 bins, times the stride.
 */
export function decodeNanoDet(levels: readonly NanoDetLevel[], options: DecodeOptions): BoxSet {
  const total = levels.reduce((sum, level) => sum + level.scores.dims[1]!, 0);
  const boxes = new BoxCollector(total);
  for (const { scores, distances, stride } of levels) {
    const count = scores.dims[1]!;
    const classCount = scores.dims[2]!;
    const bins = distances.dims[2]! / 4;
    const columns = Math.ceil(options.inputWidth / stride);
    const side = new Float64Array(4);
    for (let n = 0; n < count; n++) {
      let bestClass = 0;
      let best = scores.data[n * classCount]!;
      for (let c = 1; c < classCount; c++) {
        const value = scores.data[n * classCount + c]!;
        if (value > best) {
          best = value;
          bestClass = c;
        }
      }
      if (best < options.confidenceThreshold) continue;
      for (let s = 0; s < 4; s++) {
        const at = n * bins * 4 + s * bins;
        let max = -Infinity;
        for (let b = 0; b < bins; b++) max = Math.max(max, distances.data[at + b]!);
        let sum = 0;
        let expectation = 0;
        for (let b = 0; b < bins; b++) {
          const weight = Math.exp(distances.data[at + b]! - max);
          sum += weight;
          expectation += weight * b;
        }
        side[s] = (expectation / sum) * stride;
      }
      const cx = ((n % columns) + 0.5) * stride;
      const cy = (Math.floor(n / columns) + 0.5) * stride;
      boxes.add(cx - side[0]!, cy - side[1]!, cx + side[2]!, cy + side[3]!, best, bestClass);
    }
  }
  return boxes.result();
}
