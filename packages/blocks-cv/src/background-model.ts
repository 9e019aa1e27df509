import type { VadImage } from '@vad/core';
import type { ModelSession } from '@vad/models';
import { buildMog2Model, mog2Constants } from './mog2-graph.js';

let session: Promise<ModelSession> | undefined;
function mog2Session(): Promise<ModelSession> {
  session ??= import('@vad/models').then(({ createSessionFromBytes }) =>
    // No graph rewrites: fused operators could round differently from OpenCV's float32 steps.
    createSessionFromBytes(buildMog2Model(), { name: 'MOG2 background model graph', graphOptimization: 'basic' }),
  );
  return session;
}

export interface BackgroundModelOptions {
  /** Frames the model remembers: the learning rate settles at 1 / history. */
  history: number;
  /** Squared Mahalanobis distance under which a pixel matches a background mode (MOG2's varThreshold). */
  varThreshold: number;
}

/** A frame's foreground mask: 0 background, 127 shadow, 255 foreground; three equal bands. */
export interface ForegroundMask {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * One stream's background model: OpenCV's `createBackgroundSubtractorMOG2(history, varThreshold,
 * detectShadows=True)` with `apply(frame)` at its default learning rate (1 / min(2n, history) on the
 * n-th frame). The per-pixel update is one ONNX graph run (mog2-graph.ts); this object only holds
 * the mixture between frames. A frame of another size starts the model afresh, as OpenCV does.
 */
export function createBackgroundModel({ history, varThreshold }: BackgroundModelOptions) {
  const K = mog2Constants.modes;
  let frames = 0;
  let state: { width: number; height: number; weight: Float32Array; variance: Float32Array; mean: Float32Array } | undefined;
  return {
    get frames() {
      return frames;
    },
    async apply(image: VadImage): Promise<ForegroundMask> {
      const { data, width, height } = await image.pixels();
      if (!state || state.width !== width || state.height !== height) {
        const pixels = width * height;
        state = { width, height, weight: new Float32Array(K * pixels), variance: new Float32Array(K * pixels), mean: new Float32Array(K * pixels * 3) };
        frames = 0;
      }
      frames++;
      const rate = 1 / Math.min(2 * frames, history > 0 ? history : 500);
      const alpha = Math.fround(rate);
      const prune = Math.fround(-rate * mog2Constants.complexityReduction);
      const scalar = (value: number) => ({ data: new Float32Array([value]), dims: [] });
      const outputs = await (await mog2Session()).run({
        frame: { data, dims: [height, width, 3] },
        weight: { data: state.weight, dims: [K, height, width] },
        variance: { data: state.variance, dims: [K, height, width] },
        mean: { data: state.mean, dims: [K, height, width, 3] },
        alpha: scalar(alpha),
        alpha1: scalar(Math.fround(1 - alpha)),
        prune: scalar(prune),
        minus_prune: scalar(-prune),
        tb: scalar(Math.fround(varThreshold > 0 ? varThreshold : 16)),
      });
      state.weight = outputs.weight_out!.data as Float32Array;
      state.variance = outputs.variance_out!.data as Float32Array;
      state.mean = outputs.mean_out!.data as Float32Array;
      return { data: outputs.mask!.data as Uint8Array, width, height };
    },
  };
}

export type BackgroundModel = ReturnType<typeof createBackgroundModel>;
