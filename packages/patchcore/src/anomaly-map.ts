import { buildModel, createSessionFromBytes, type ModelSession, type SessionOptions } from '@vad/models';

/** Gaussian σ of the anomaly-map blur: 4 px at 256 px, scaled with the map's size (geometric mean of its sides). */
export function blurSigmaFor(width: number, height: number): number {
  return (4 * Math.sqrt(width * height)) / 256;
}

/** Normalised 1-D Gaussian taps over ±⌈3σ⌉ (odd length). */
export function gaussianKernel(sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let offset = -radius; offset <= radius; offset++) {
    const value = Math.exp(-(offset * offset) / (2 * sigma * sigma));
    kernel[offset + radius] = value;
    sum += value;
  }
  for (let index = 0; index < kernel.length; index++) kernel[index]! /= sum;
  return kernel;
}

/**
 * One graph for any map size: a patch-grid score map is resized bilinearly to `sizes` and blurred
 * by a separable Gaussian (kernels and reflect padding are inputs, so the σ can follow the size).
 */
export function buildAnomalyMapModel(): Uint8Array {
  return buildModel({
    name: 'anomaly_map',
    inputs: [
      { name: 'grid', type: 'float32', shape: [1, 1, 'grid_height', 'grid_width'] },
      { name: 'sizes', type: 'int64', shape: [4] },
      { name: 'kernel_x', type: 'float32', shape: [1, 1, 1, 'taps'] },
      { name: 'kernel_y', type: 'float32', shape: [1, 1, 'taps', 1] },
      { name: 'pads', type: 'int64', shape: [8] },
    ],
    outputs: [{ name: 'map', type: 'float32', shape: [1, 1, 'height', 'width'] }],
    nodes: [
      { op: 'Resize', inputs: ['grid', '', '', 'sizes'], outputs: ['resized'], attributes: { mode: 'linear', coordinate_transformation_mode: 'half_pixel' } },
      { op: 'Pad', inputs: ['resized', 'pads'], outputs: ['padded'], attributes: { mode: 'reflect' } },
      { op: 'Conv', inputs: ['padded', 'kernel_x'], outputs: ['blurred_x'] },
      { op: 'Conv', inputs: ['blurred_x', 'kernel_y'], outputs: ['map'] },
    ],
    opset: 17,
  });
}

export interface AnomalyMapRenderer {
  /** Grid scores (`gridWidth × gridHeight`, row-major) → blurred map at `width × height`. */
  render(grid: Float32Array, gridWidth: number, gridHeight: number, width: number, height: number, sigma?: number): Promise<Float32Array>;
  dispose(): Promise<void>;
}

export async function createAnomalyMapRenderer(options: SessionOptions = {}): Promise<AnomalyMapRenderer> {
  const session: ModelSession = await createSessionFromBytes(buildAnomalyMapModel(), { name: 'anomaly map graph', ...options });
  return {
    async render(grid, gridWidth, gridHeight, width, height, sigma = blurSigmaFor(width, height)) {
      const kernel = gaussianKernel(sigma);
      // Reflect padding needs the pad to be smaller than the side.
      const radius = Math.min((kernel.length - 1) / 2, width - 1, height - 1);
      const taps = Float32Array.from(kernel.subarray((kernel.length - 1) / 2 - radius, (kernel.length - 1) / 2 + radius + 1));
      const total = taps.reduce((sum, value) => sum + value, 0);
      for (let index = 0; index < taps.length; index++) taps[index]! /= total;
      const { map } = await session.run({
        grid: { data: grid, dims: [1, 1, gridHeight, gridWidth] },
        sizes: { data: BigInt64Array.from([1n, 1n, BigInt(height), BigInt(width)]), dims: [4] },
        kernel_x: { data: taps, dims: [1, 1, 1, taps.length] },
        kernel_y: { data: taps, dims: [1, 1, taps.length, 1] },
        pads: { data: BigInt64Array.from([0n, 0n, BigInt(radius), BigInt(radius), 0n, 0n, BigInt(radius), BigInt(radius)]), dims: [8] },
      });
      return map!.data as Float32Array;
    },
    dispose: () => session.dispose(),
  };
}
