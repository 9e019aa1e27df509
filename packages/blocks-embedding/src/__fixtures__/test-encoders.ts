import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildModel } from '@vad/models';

/**
 * Small image encoders built in code with the same signature as a CLIP vision export
 * (`pixel_values` float32 [N, 3, S, S] → `image_embeds` [N, D]), since no CLIP weights can be
 * fetched here. Written to a temporary folder so they load through a real model source (a path).
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
}

const folder = mkdtempSync(path.join(tmpdir(), 'vad-embedding-encoders-'));

/** image_embeds = the mean of each normalised channel: [N, 3]. Easy to compute by hand for a solid colour. */
export function writeChannelMeanEncoder(size = 224): string {
  const file = path.join(folder, `channel-mean-${size}.onnx`);
  writeFileSync(
    file,
    buildModel({
      inputs: [{ name: 'pixel_values', type: 'float32', shape: ['batch', 3, size, size] }],
      outputs: [{ name: 'image_embeds', type: 'float32', shape: ['batch', 3] }],
      nodes: [{ op: 'ReduceMean', inputs: ['pixel_values'], outputs: ['image_embeds'], attributes: { axes: [2, 3], keepdims: 0 } }],
      opset: 17,
    }),
  );
  return file;
}

export interface PatchEncoderWeights {
  readonly patch: number;
  readonly width: number;
  readonly embedding: number;
  readonly patchWeights: Float32Array; // [width, 3, patch, patch]
  readonly projection: Float32Array; // [width, embedding]
}

/**
 * A ViT-like stem: 16×16 patch embedding (Conv, stride 16) → GELU-free ReLU → mean over patches →
 * linear projection → image_embeds [N, 32]; plus `last_hidden_state` [N, width, 14, 14] as a second output.
 */
export function writePatchEncoder(seed = 11, size = 224): { file: string; weights: PatchEncoderWeights } {
  const random = seededRandom(seed);
  const patch = 16;
  const width = 24;
  const embedding = 32;
  const patchWeights = Float32Array.from({ length: width * 3 * patch * patch }, () => random() * 0.2);
  const projection = Float32Array.from({ length: width * embedding }, random);
  const file = path.join(folder, `patch-encoder-${seed}-${size}.onnx`);
  writeFileSync(
    file,
    buildModel({
      inputs: [{ name: 'pixel_values', type: 'float32', shape: ['batch', 3, size, size] }],
      outputs: [
        { name: 'last_hidden_state', type: 'float32' },
        { name: 'image_embeds', type: 'float32', shape: ['batch', embedding] },
      ],
      nodes: [
        { op: 'Conv', inputs: ['pixel_values', 'patch_weights'], outputs: ['patches'], attributes: { kernel_shape: [patch, patch], strides: [patch, patch] } },
        { op: 'Relu', inputs: ['patches'], outputs: ['last_hidden_state'] },
        { op: 'ReduceMean', inputs: ['last_hidden_state'], outputs: ['pooled'], attributes: { axes: [2, 3], keepdims: 0 } },
        { op: 'MatMul', inputs: ['pooled', 'projection'], outputs: ['image_embeds'] },
      ],
      initializers: [
        { name: 'patch_weights', dims: [width, 3, patch, patch], data: patchWeights },
        { name: 'projection', dims: [width, embedding], data: projection },
      ],
      opset: 17,
    }),
  );
  return { file, weights: { patch, width, embedding, patchWeights, projection } };
}

/** The patch encoder computed directly in JavaScript on an NCHW tensor of one image (the test's reference). */
export function patchEncoderReference(pixels: Float32Array, size: number, weights: PatchEncoderWeights): Float32Array {
  const { patch, width, embedding, patchWeights, projection } = weights;
  const grid = size / patch;
  const pooled = new Float64Array(width);
  for (let channelOut = 0; channelOut < width; channelOut++) {
    let total = 0;
    for (let gy = 0; gy < grid; gy++) {
      for (let gx = 0; gx < grid; gx++) {
        let value = 0;
        for (let c = 0; c < 3; c++) {
          for (let y = 0; y < patch; y++) {
            for (let x = 0; x < patch; x++) {
              value += pixels[(c * size + gy * patch + y) * size + gx * patch + x]! * patchWeights[((channelOut * 3 + c) * patch + y) * patch + x]!;
            }
          }
        }
        total += Math.max(0, value);
      }
    }
    pooled[channelOut] = total / (grid * grid);
  }
  const out = new Float32Array(embedding);
  for (let j = 0; j < embedding; j++) {
    let value = 0;
    for (let k = 0; k < width; k++) value += pooled[k]! * projection[k * embedding + j]!;
    out[j] = value;
  }
  return out;
}
