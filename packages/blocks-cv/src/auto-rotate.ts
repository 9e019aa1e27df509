import { InvalidInputError, rotateImage, VadImage } from '@vad/core';
import type { ModelSession } from '@vad/models';
import { blurImage } from './blur.js';
import { buildEdgeOrientationModel } from './edge-orientation-graph.js';
import { toGrayscale } from './grayscale.js';
import { bytesOf, pipelineOf } from './pixels.js';

export const targetOrientations = ['vertical', 'horizontal', 'either'] as const;
export type TargetOrientation = (typeof targetOrientations)[number];

export interface AutoRotateOptions {
  targetOrientation: TargetOrientation;
  /** A correction smaller than this (degrees) is not applied. */
  skipBelowDegrees: number;
  /** A correction larger than this (degrees) is not applied either. */
  maxCorrectionDegrees: number;
  /** The angle is searched on a copy whose longest side is at most this. */
  internalResolution: number;
}

let session: Promise<ModelSession> | undefined;
function orientationSession(): Promise<ModelSession> {
  session ??= import('@vad/models').then(({ createSessionFromBytes }) => createSessionFromBytes(buildEdgeOrientationModel(), { name: 'edge orientation graph' }));
  return session;
}

/**
 * The grey working copy Roboflow scores: grey, longest side at most `maxSide`, then (unless it is
 * flat: standard deviation under 3) CLAHE (clip 3, 8 × 8 tiles) and a 5 × 5 Gaussian; all libvips.
 */
async function preparedGrey(image: VadImage, maxSide: number): Promise<VadImage | undefined> {
  const grey = await toGrayscale(image);
  let { data, width, height } = await grey.pixels();
  const largest = Math.max(width, height);
  if (largest > maxSide) {
    const scale = maxSide / largest;
    const target = { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
    // OpenCV's INTER_AREA averages the pixels under each target pixel; libvips' linear kernel, widened to the shrink, is the nearest.
    data = await bytesOf((await pipelineOf(data, width, height)).resize(target.width, target.height, { fit: 'fill', kernel: 'linear' }));
    ({ width, height } = target);
  }
  const stats = await (await pipelineOf(data, width, height)).stats();
  if (stats.channels[0]!.stdev < 3) return undefined;
  // Each of the three equal bands is equalised alike. libvips' CLAHE (hist_local) slides a tile-sized window where OpenCV interpolates between 8 × 8 tiles.
  const clahe = { width: Math.max(1, Math.round(width / 8)), height: Math.max(1, Math.round(height / 8)), maxSlope: 3 };
  const enhanced = await bytesOf((await pipelineOf(data, width, height)).clahe(clahe));
  return blurImage(VadImage.fromPixels({ data: enhanced, width, height }), 'gaussian', 5);
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * The dominant gradient orientation of a prepared grey image, in degrees mod 180 (0: vertical
 * lines, 90: horizontal lines), or undefined when the orientation histogram has no distinct peak
 * ((max − median) / std of the smoothed histogram under 1.5). The per-pixel work is one ONNX graph.
 */
export async function dominantGradientAngle(prepared: VadImage): Promise<number | undefined> {
  const { data, width, height } = await prepared.pixels();
  const n = width * height;
  const position = 0.8 * (n - 1);
  const low = Math.floor(position);
  const k = n - low; // the k largest end with sorted[low] (ascending); sorted[low + 1] is one before it
  const outputs = await (await orientationSession()).run({
    image: { data, dims: [height, width, 3] },
    k: { data: new BigInt64Array([BigInt(k)]), dims: [1] },
    low_position: { data: new BigInt64Array([BigInt(k - 1)]), dims: [] },
    high_position: { data: new BigInt64Array([BigInt(Math.max(0, k - 2))]), dims: [] },
    fraction: { data: new Float32Array([position - low]), dims: [] },
  });
  const smoothed = Array.from(outputs.smoothed!.data as Float32Array);
  const mean = smoothed.reduce((a, b) => a + b, 0) / smoothed.length;
  const std = Math.sqrt(smoothed.reduce((a, b) => a + (b - mean) ** 2, 0) / smoothed.length);
  if ((Math.max(...smoothed) - median(smoothed)) / (std + 1e-9) < 1.5) return undefined;
  const selected = (outputs.selected_count!.data as Float32Array)[0]!;
  if (selected === 0) return Number((outputs.peak!.data as BigInt64Array)[0]) + 0.5;
  const sin = (outputs.sin_sum!.data as Float32Array)[0]!, cos = (outputs.cos_sum!.data as Float32Array)[0]!;
  return (0.5 * Math.atan2(sin, cos) * 180) / Math.PI;
}

/** `angle` folded into (−period / 2, period / 2], Python's `%` semantics. */
function normalise(angle: number, period: number): number {
  let folded = ((angle % period) + period) % period;
  if (folded > period / 2) folded -= period;
  return folded;
}

/**
 * Roboflow's auto_rotate_on_edges: the rotation (degrees, counter-clockwise positive, OpenCV's sign)
 * that turns the image's dominant straight edges vertical, horizontal or whichever is nearer, and
 * the image rotated by it onto an expanded canvas. The same image and angle 0 when the image is
 * flat, has no distinct edge direction, or the correction is under `skipBelowDegrees` or over
 * `maxCorrectionDegrees`.
 */
export async function autoRotate(image: VadImage, options: AutoRotateOptions, where: { stepName?: string } = {}): Promise<{ image: VadImage; angle: number }> {
  if (!targetOrientations.includes(options.targetOrientation)) {
    throw new InvalidInputError({
      message: `${where.stepName ? `step "${where.stepName}": ` : ''}target_orientation must be one of ${targetOrientations.join(', ')}, got ${JSON.stringify(options.targetOrientation)}`,
      stepName: where.stepName,
      property: 'target_orientation',
    });
  }
  const unchanged = { image, angle: 0 };
  const prepared = await preparedGrey(image, options.internalResolution);
  if (!prepared) return unchanged;
  const gradient = await dominantGradientAngle(prepared);
  if (gradient === undefined) return unchanged;
  // Vertical lines have horizontal gradients (0°): 'vertical' turns the gradient to 0, 'horizontal' to 90.
  const raw = options.targetOrientation === 'horizontal' ? gradient - 90 : gradient;
  const angle = normalise(raw, options.targetOrientation === 'either' ? 90 : 180);
  if (Math.abs(angle) < options.skipBelowDegrees || Math.abs(angle) > options.maxCorrectionDegrees) return unchanged;
  return { image: await rotateImage(image, angle), angle };
}
