import { ModelLoadError } from '@vad/core';
import type { BoxSet } from '../box-set.js';
import { decodeDetr } from './detr.js';
import { decodeNanoDet, type NanoDetLevel } from './nanodet.js';
import { gridCount, type DecodeOptions, type DecoderName, type OutputTensor } from './output-tensor.js';
import { decodeYoloV5, decodeYolox } from './yolov5.js';
import { decodeYoloV8 } from './yolov8.js';
import { decodeYoloV8Pose, poseLayout, type KeypointShape } from './yolov8-pose.js';
import { decodeYoloV8Seg, segmentationOutputs } from './yolov8-seg.js';

export interface OutputShape {
  readonly name: string;
  readonly dims: readonly number[];
}

export interface DetectDecoderOptions {
  inputWidth: number;
  inputHeight: number;
  /** The number of classes when known (class names given): settles ambiguous layouts. */
  classCount?: number;
  /** Ultralytics' `kpt_shape` from the export's metadata: a one-output model with it is a pose model. */
  keypointShape?: KeypointShape;
}

const describeShapes = (outputs: readonly OutputShape[]) => outputs.map((o) => `${o.name} [${o.dims.join(', ')}]`).join(', ');

/**
 * Which decoder fits a model's outputs, from their shapes alone:
 * - one [1, 4 + C, N] output with N the anchor points of strides 8/16/32 → `yolov8`, or `yolov8_pose`
 *   when the export's metadata has a `kpt_shape` [K, V] that fits it as [1, 4 + C + K·V, N];
 * - that with M mask coefficients per column, [1, 4 + C + M, N], and prototypes [1, M, H/4, W/4] → `yolov8_seg`;
 * - one [1, N, 5 + C] output with N those anchor points → `yolox` (raw grid head);
 * - one [1, 3·N, 5 + C] output (three anchors per point) → `yolov5`;
 * - two [1, Q, ·] outputs, one with 4 columns → `detr`;
 * - pairs of [1, H·W, ·] outputs per stride 8/16/32 → `nanodet`.
 * Anything else is a `ModelLoadError` that lists the shapes.
 */
export function detectDecoder(outputs: readonly OutputShape[], options: DetectDecoderOptions): DecoderName {
  const grid = gridCount(options.inputWidth, options.inputHeight, [8, 16, 32]);
  const threeDimensional = outputs.every((o) => o.dims.length === 3 && o.dims[0] === 1);
  if (outputs.length === 1 && threeDimensional) {
    const [, a, b] = outputs[0]!.dims as [number, number, number];
    if (b === grid && a > 4) return options.keypointShape && poseLayout(outputs[0]!.dims, options) ? 'yolov8_pose' : 'yolov8';
    if (a === grid && b > 5) return 'yolox';
    if (a === 3 * grid && b > 5) return 'yolov5';
  }
  const seg = segmentationOutputs(outputs);
  if (seg && seg.detections.dims[2] === grid && seg.prototypes.dims[2] === options.inputHeight / 4 && seg.prototypes.dims[3] === options.inputWidth / 4) return 'yolov8_seg';
  if (outputs.length === 2 && threeDimensional && outputs[0]!.dims[1] === outputs[1]!.dims[1]) {
    if (outputs.some((o) => o.dims[2] === 4)) return 'detr';
  }
  if (outputs.length >= 4 && outputs.length % 2 === 0 && threeDimensional && nanoDetLevels(outputs, options) !== undefined) return 'nanodet';
  throw new ModelLoadError({
    message: `the model's outputs (${describeShapes(outputs)}) match no detection decoder for a ${options.inputWidth}×${options.inputHeight} input; supported: yolov8 [1, 4+C, N], yolov8_pose [1, 4+C+3K, N], yolov8_seg [1, 4+C+M, N] + prototypes [1, M, H/4, W/4], yolox [1, N, 5+C], yolov5 [1, 3N, 5+C], detr boxes [1, Q, 4] + logits [1, Q, C], nanodet per-stride scores + distances. Set "decoder" to choose one explicitly`,
  });
}

/** Pairs NanoDet outputs into levels (by anchor count), or undefined when they do not pair up. */
function nanoDetLevels<T extends OutputShape>(outputs: readonly T[], options: DetectDecoderOptions): Array<{ scores: T; distances: T; stride: number }> | undefined {
  const levels: Array<{ scores: T; distances: T; stride: number }> = [];
  for (let stride = 8; levels.length * 2 < outputs.length; stride *= 2) {
    const anchors = Math.ceil(options.inputWidth / stride) * Math.ceil(options.inputHeight / stride);
    const pair = outputs.filter((o) => o.dims[1] === anchors);
    if (pair.length !== 2) return undefined;
    const [first, second] = pair as [T, T];
    // Distances have 4·(regMax + 1) columns (32 for regMax 7); the class count, when known, decides.
    const firstIsScores = options.classCount !== undefined ? first.dims[2] === options.classCount : second.dims[2] === 32 || first.dims[2]! > second.dims[2]!;
    levels.push(firstIsScores ? { scores: first, distances: second, stride } : { scores: second, distances: first, stride });
    if (stride > 128) return undefined;
  }
  return levels;
}

export interface DecodeDetectionsOptions extends DecodeOptions {
  /** A decoder by name; detected from the output shapes when absent. */
  decoder?: DecoderName;
  classCount?: number;
  keypointShape?: KeypointShape;
}

export interface DecodedDetections {
  decoder: DecoderName;
  /** Boxes in network-input pixels, before overlap filtering. */
  boxes: BoxSet;
  /** Classes the model scores (the width of its class dimension). */
  classCount: number;
}

/** Decodes raw model outputs into scored boxes with the named (or detected) decoder. */
export function decodeDetections(outputs: readonly OutputTensor[], options: DecodeDetectionsOptions): DecodedDetections {
  const decoder = options.decoder ?? detectDecoder(outputs, options);
  const mismatch = (expected: string) =>
    new ModelLoadError({ message: `decoder "${decoder}" expects ${expected}, but the model's outputs are ${describeShapes(outputs)}` });
  switch (decoder) {
    case 'yolov8': {
      const output = outputs[0]!;
      if (outputs.length !== 1 || output.dims.length !== 3 || output.dims[1]! < 5) throw mismatch('one output [1, 4 + C, N]');
      return { decoder, boxes: decodeYoloV8(output, options), classCount: output.dims[1]! - 4 };
    }
    case 'yolov8_pose': {
      const output = outputs[0]!;
      const layout = outputs.length === 1 ? poseLayout(output.dims, options) : undefined;
      if (!layout) {
        const known = options.keypointShape ? `kpt_shape [${options.keypointShape.join(', ')}]` : `${options.classCount ?? 1} class${options.classCount === 1 || options.classCount === undefined ? '' : 'es'} and no kpt_shape in its metadata`;
        throw mismatch(`one output [1, 4 + C + K·3, N] with at least one keypoint (${known})`);
      }
      return { decoder, boxes: decodeYoloV8Pose(output, layout, options), classCount: layout.classCount };
    }
    case 'yolov8_seg': {
      const seg = segmentationOutputs(outputs);
      if (!seg) throw mismatch('detections [1, 4 + C + M, N] and mask prototypes [1, M, H/4, W/4]');
      return { decoder, boxes: decodeYoloV8Seg(seg, options), classCount: seg.classCount };
    }
    case 'yolov5':
    case 'yolox': {
      const output = outputs[0]!;
      if (outputs.length !== 1 || output.dims.length !== 3 || output.dims[2]! < 6) throw mismatch('one output [1, N, 5 + C]');
      if (decoder === 'yolox' && output.dims[1] !== gridCount(options.inputWidth, options.inputHeight, [8, 16, 32])) {
        throw mismatch(`[1, ${gridCount(options.inputWidth, options.inputHeight, [8, 16, 32])}, 5 + C] (anchor points of strides 8/16/32 on ${options.inputWidth}×${options.inputHeight})`);
      }
      const boxes = decoder === 'yolox' ? decodeYolox(output, options) : decodeYoloV5(output, options);
      return { decoder, boxes, classCount: output.dims[2]! - 5 };
    }
    case 'detr': {
      if (outputs.length !== 2 || outputs.some((o) => o.dims.length !== 3)) throw mismatch('boxes [1, Q, 4] and logits [1, Q, C]');
      const named = outputs.find((o) => /box|det/i.test(o.name) && o.dims[2] === 4);
      const boxes = named ?? outputs.find((o) => o.dims[2] === 4);
      const logits = outputs.find((o) => o !== boxes);
      if (!boxes || !logits) throw mismatch('boxes [1, Q, 4] and logits [1, Q, C]');
      return { decoder, boxes: decodeDetr(boxes, logits, options), classCount: logits.dims[2]! };
    }
    case 'nanodet': {
      const levels = nanoDetLevels(outputs, options) as NanoDetLevel[] | undefined;
      if (!levels) throw mismatch('a scores and a distances output per stride 8, 16, 32, … with H·W rows each');
      return { decoder, boxes: decodeNanoDet(levels, options), classCount: levels[0]!.scores.dims[2]! };
    }
    default:
      throw new ModelLoadError({ message: `unknown decoder "${String(decoder)}"` });
  }
}
