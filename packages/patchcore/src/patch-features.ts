import { buildModel, createSessionFromBytes, type ModelSession, type SessionOptions } from '@vad/models';
import type { FeatureMap } from './backbone.js';

/** Shape of one backbone feature map (one tap), without the batch dimension. */
export interface TapShape {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
}

export interface PatchFeatureOptions {
  /** Side of the local neighbourhood averaged into each patch feature (PatchCore's "locally aware" pooling; default 3). */
  poolSize?: number;
  /** Per-tap factors applied to the features (default 1 each): balances how much each tap weighs in distances. */
  tapWeights?: readonly number[];
}

/**
 * The graph that turns backbone feature maps into PatchCore patch features: each map is averaged
 * over a `poolSize × poolSize` neighbourhood (stride 1, borders averaged over the pixels that exist),
 * every deeper map is resized bilinearly to the grid of the first (shallowest) one, the maps are
 * concatenated along channels and laid out as one row per grid position:
 * `[batch, C_i, H_i, W_i]` per tap → `[batch, H·W, ΣC]`. Spatial sizes are free: one graph serves
 * every input size.
 */
export function buildPatchFeatureModel(channels: readonly number[], options: PatchFeatureOptions = {}): Uint8Array {
  const poolSize = options.poolSize ?? 3;
  const pad = Math.floor(poolSize / 2);
  const nodes: Parameters<typeof buildModel>[0]['nodes'][number][] = [
    { op: 'Shape', inputs: ['tap0'], outputs: ['grid_size'], attributes: { start: 2, end: 4 } },
  ];
  const pooled: string[] = [];
  channels.forEach((_, index) => {
    let current = `tap${index}`;
    if (poolSize > 1) {
      nodes.push({
        op: 'AveragePool',
        inputs: [current],
        outputs: [`pooled${index}`],
        attributes: { kernel_shape: [poolSize, poolSize], strides: [1, 1], pads: [pad, pad, pad, pad], count_include_pad: 0 },
      });
      current = `pooled${index}`;
    }
    if (index > 0) {
      nodes.push({ op: 'Shape', inputs: [current], outputs: [`shape${index}`], attributes: { start: 0, end: 2 } });
      nodes.push({ op: 'Concat', inputs: [`shape${index}`, 'grid_size'], outputs: [`sizes${index}`], attributes: { axis: 0 } });
      nodes.push({
        op: 'Resize',
        inputs: [current, '', '', `sizes${index}`],
        outputs: [`resized${index}`],
        attributes: { mode: 'linear', coordinate_transformation_mode: 'half_pixel' },
      });
      current = `resized${index}`;
    }
    const weight = options.tapWeights?.[index] ?? 1;
    if (weight !== 1) {
      nodes.push({ op: 'Mul', inputs: [current, `weight${index}`], outputs: [`weighted${index}`] });
      current = `weighted${index}`;
    }
    pooled.push(current);
  });
  const total = channels.reduce((sum, count) => sum + count, 0);
  nodes.push({ op: 'Concat', inputs: pooled, outputs: ['stacked'], attributes: { axis: 1 } });
  nodes.push({ op: 'Reshape', inputs: ['stacked', 'flat_shape'], outputs: ['flat'] });
  nodes.push({ op: 'Transpose', inputs: ['flat'], outputs: ['patches'], attributes: { perm: [0, 2, 1] } });
  return buildModel({
    name: 'patch_features',
    inputs: channels.map((count, index) => ({ name: `tap${index}`, type: 'float32' as const, shape: ['batch', count, `height${index}`, `width${index}`] })),
    outputs: [{ name: 'patches', type: 'float32', shape: ['batch', 'positions', total] }],
    nodes,
    initializers: [
      { name: 'flat_shape', dims: [3], data: BigInt64Array.from([0n, BigInt(total), -1n]) },
      ...channels.map((_, index) => ({ name: `weight${index}`, dims: [1], data: Float32Array.from([options.tapWeights?.[index] ?? 1]) })).filter((_, index) => (options.tapWeights?.[index] ?? 1) !== 1),
    ],
    opset: 17,
  });
}

export interface PatchFeatureExtractor {
  readonly dimensions: number;
  /** Tap maps of one batch → `[batch · H·W, dimensions]` rows and the grid (the first tap's size). */
  run(maps: readonly FeatureMap[]): Promise<{ rows: Float32Array; gridHeight: number; gridWidth: number }>;
  dispose(): Promise<void>;
}

export async function createPatchFeatureExtractor(channels: readonly number[], options: PatchFeatureOptions & SessionOptions = {}): Promise<PatchFeatureExtractor> {
  const { poolSize, tapWeights, ...sessionOptions } = options;
  const session: ModelSession = await createSessionFromBytes(buildPatchFeatureModel(channels, { poolSize, ...(tapWeights && { tapWeights }) }), { name: 'patch feature graph', ...sessionOptions });
  return {
    dimensions: channels.reduce((sum, count) => sum + count, 0),
    async run(maps) {
      const feeds = Object.fromEntries(maps.map((map, index) => [`tap${index}`, { data: map.data, dims: map.dims }]));
      const { patches } = await session.run(feeds);
      return { rows: patches!.data as Float32Array, gridHeight: maps[0]!.dims[2]!, gridWidth: maps[0]!.dims[3]! };
    },
    dispose: () => session.dispose(),
  };
}
