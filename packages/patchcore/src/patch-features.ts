import { buildModel, createSessionFromBytes, type ModelSession, type SessionOptions } from '@vad/models';

/** Shape of one backbone feature map (one tap), without the batch dimension. */
export interface TapShape {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
}

export interface PatchFeatureOptions {
  /** Side of the local neighbourhood averaged into each patch feature (PatchCore's "locally aware" pooling; default 3). */
  poolSize?: number;
}

/**
 * The graph that turns backbone feature maps into PatchCore patch features: each map is averaged
 * over a `poolSize × poolSize` neighbourhood (stride 1, borders averaged over the pixels that exist),
 * every map is resized bilinearly to the grid of the first (shallowest) one, the maps are
 * concatenated along channels and laid out as one row per grid position:
 * `[batch, channels…, H, W]` × taps → `[batch, H·W, ΣC]`.
 */
export function buildPatchFeatureModel(taps: readonly TapShape[], options: PatchFeatureOptions = {}): Uint8Array {
  const poolSize = options.poolSize ?? 3;
  const grid = taps[0]!;
  const pad = Math.floor(poolSize / 2);
  const nodes: Parameters<typeof buildModel>[0]['nodes'][number][] = [];
  const pooled: string[] = [];
  taps.forEach((tap, index) => {
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
    if (tap.height !== grid.height || tap.width !== grid.width) {
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
    pooled.push(current);
  });
  const channels = taps.reduce((sum, tap) => sum + tap.channels, 0);
  nodes.push({ op: 'Concat', inputs: pooled, outputs: ['stacked'], attributes: { axis: 1 } });
  nodes.push({ op: 'Reshape', inputs: ['stacked', 'flat_shape'], outputs: ['flat'] });
  nodes.push({ op: 'Transpose', inputs: ['flat'], outputs: ['patches'], attributes: { perm: [0, 2, 1] } });
  return buildModel({
    name: 'patch_features',
    inputs: taps.map((tap, index) => ({ name: `tap${index}`, type: 'float32', shape: ['batch', tap.channels, tap.height, tap.width] })),
    outputs: [{ name: 'patches', type: 'float32', shape: ['batch', grid.height * grid.width, channels] }],
    nodes,
    initializers: [
      { name: 'grid_size', dims: [2], data: BigInt64Array.from([BigInt(grid.height), BigInt(grid.width)]) },
      { name: 'flat_shape', dims: [3], data: BigInt64Array.from([0n, BigInt(channels), BigInt(grid.height * grid.width)]) },
    ],
    opset: 17,
  });
}

export interface PatchFeatureExtractor {
  readonly grid: { height: number; width: number };
  readonly dimensions: number;
  /** Tap maps (batch-major, NCHW, in tap order) → `[batch, H·W, dimensions]` rows. */
  run(maps: readonly Float32Array[], batch: number): Promise<Float32Array>;
  dispose(): Promise<void>;
}

export async function createPatchFeatureExtractor(taps: readonly TapShape[], options: PatchFeatureOptions & SessionOptions = {}): Promise<PatchFeatureExtractor> {
  const { poolSize, ...sessionOptions } = options;
  const session: ModelSession = await createSessionFromBytes(buildPatchFeatureModel(taps, { poolSize }), { name: 'patch feature graph', ...sessionOptions });
  const grid = { height: taps[0]!.height, width: taps[0]!.width };
  return {
    grid,
    dimensions: taps.reduce((sum, tap) => sum + tap.channels, 0),
    async run(maps, batch) {
      const feeds = Object.fromEntries(maps.map((data, index) => [`tap${index}`, { data, dims: [batch, taps[index]!.channels, taps[index]!.height, taps[index]!.width] }]));
      const { patches } = await session.run(feeds);
      return patches!.data as Float32Array;
    },
    dispose: () => session.dispose(),
  };
}
