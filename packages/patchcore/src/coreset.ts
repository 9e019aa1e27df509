import { buildModel, createSessionFromBytes, type SessionOptions } from '@vad/models';
import { createRandom, gaussianMatrix } from './random.js';

export interface CoresetOptions extends SessionOptions {
  /** How many rows to select. */
  size: number;
  /** Dimensions of the random projection the distances are measured in (default 128, as in PatchCore). */
  projectionDimensions?: number;
  /** Seed for the projection and the first point. */
  seed?: number;
  /** Called every few hundred selections with (selected, size). */
  onProgress?: (selected: number, size: number) => void;
}

/**
 * Greedy k-center coreset (PatchCore's memory-bank subsampling) of `count` rows of `dimensions`
 * features. Rows are first projected to a few dimensions by a Gaussian random matrix (one MatMul
 * in ONNX Runtime). Each greedy step is then one matrix–vector product: the distance of every row
 * to the point just selected, folded into a running min-distance array, and the arg-max of that
 * array is the next point. That step runs as an ONNX graph whose projected rows and their norms
 * are initializers, so one call per selected point moves only the min-distance array.
 * Returns the selected row indices in selection order.
 */
export async function selectCoreset(features: Float32Array, count: number, dimensions: number, options: CoresetOptions): Promise<Int32Array> {
  const projectionDimensions = Math.min(options.projectionDimensions ?? 128, dimensions);
  const { size: _size, projectionDimensions: _projection, onProgress: _progress, ...rest } = options;
  const projector = await createRandomProjector(dimensions, projectionDimensions, createRandom(options.seed ?? 0), rest);
  try {
    const projected = await projector.project(features, count);
    return await selectCoresetProjected(projected, count, projectionDimensions, options);
  } finally {
    await projector.dispose();
  }
}

/** The greedy selection on rows already projected (`count × projectionDimensions`). */
export async function selectCoresetProjected(projected: Float32Array, count: number, projectionDimensions: number, options: CoresetOptions): Promise<Int32Array> {
  return (await greedyCoreset(projected, count, projectionDimensions, options)).selected;
}

/** Where a greedy selection stands: the rows selected, and each row's squared distance to the nearest of them. */
export interface CoresetState {
  readonly selected: Int32Array;
  readonly minDistances: Float32Array;
}

/**
 * Greedy k-center selection of `options.size` rows. With `start`, the selection continues from an
 * earlier one on the same rows (its `selected` come first; its `minDistances` cover all `count`
 * rows), so a bank grown by a few images costs only the new selections.
 */
export async function greedyCoreset(
  projected: Float32Array,
  count: number,
  projectionDimensions: number,
  options: CoresetOptions & { start?: CoresetState },
): Promise<CoresetState> {
  const size = Math.min(options.size, count);
  const random = createRandom((options.seed ?? 0) + 1);
  const { size: _size, projectionDimensions: _projection, seed: _seed, onProgress, start, ...sessionOptions } = options;
  const norms = new Float32Array(count);
  for (let row = 0; row < count; row++) {
    let norm = 0;
    for (let column = 0, offset = row * projectionDimensions; column < projectionDimensions; column++) norm += projected[offset + column]! ** 2;
    norms[row] = norm;
  }
  const step = await createSessionFromBytes(
    buildModel({
      name: 'coreset_step',
      inputs: [
        { name: 'min_distances', type: 'float32', shape: [count] },
        { name: 'selected', type: 'int64', shape: [1] },
      ],
      outputs: [
        { name: 'updated', type: 'float32', shape: [count] },
        { name: 'next', type: 'int64', shape: [] },
      ],
      nodes: [
        { op: 'Gather', inputs: ['rows', 'selected'], outputs: ['point'], attributes: { axis: 0 } },
        { op: 'Gemm', inputs: ['rows', 'point'], outputs: ['dot_column'], attributes: { transB: 1, alpha: { float: -2 } } },
        { op: 'Reshape', inputs: ['dot_column', 'flat_shape'], outputs: ['dot'] },
        { op: 'Gather', inputs: ['norms', 'selected'], outputs: ['point_norm'], attributes: { axis: 0 } },
        { op: 'Add', inputs: ['dot', 'norms'], outputs: ['partial'] },
        { op: 'Add', inputs: ['partial', 'point_norm'], outputs: ['distances'] },
        { op: 'Min', inputs: ['min_distances', 'distances'], outputs: ['updated'] },
        { op: 'ArgMax', inputs: ['updated'], outputs: ['next_vector'], attributes: { axis: 0, keepdims: 1 } },
        { op: 'Squeeze', inputs: ['next_vector'], outputs: ['next'] },
      ],
      initializers: [
        { name: 'rows', dims: [count, projectionDimensions], data: projected },
        { name: 'norms', dims: [count], data: norms },
        { name: 'flat_shape', dims: [1], data: BigInt64Array.from([BigInt(count)]) },
      ],
      opset: 17,
    }),
    { cache: false, name: 'coreset step graph', ...sessionOptions },
  );
  try {
    const selected = new Int32Array(Math.max(size, start?.selected.length ?? 0));
    let minDistances: Float32Array = start ? start.minDistances.slice() : new Float32Array(count).fill(Infinity);
    let first = 0;
    let next = Math.floor(random() * count);
    if (start) {
      selected.set(start.selected);
      first = start.selected.length;
      next = argMax(minDistances);
    }
    for (let index = first; index < size; index++) {
      selected[index] = next;
      const outputs = await step.run({ min_distances: { data: minDistances, dims: [count] }, selected: { data: BigInt64Array.from([BigInt(next)]), dims: [1] } });
      minDistances = outputs.updated!.data as Float32Array;
      next = Number((outputs.next!.data as BigInt64Array)[0]);
      if (onProgress && (index % 256 === 255 || index === size - 1)) onProgress(index + 1, size);
    }
    return { selected, minDistances };
  } finally {
    await step.dispose();
  }
}

function argMax(values: Float32Array): number {
  let best = 0;
  for (let index = 1; index < values.length; index++) if (values[index]! > values[best]!) best = index;
  return best;
}

export interface RandomProjector {
  readonly target: number;
  /** `count × dimensions` rows → `count × target` (the rows themselves when target ≥ dimensions). */
  project(rows: Float32Array, count: number): Promise<Float32Array>;
  dispose(): Promise<void>;
}

/** `rows × dimensions` → `rows × target` through one Gaussian random matrix (Johnson–Lindenstrauss), in ONNX Runtime. */
export async function createRandomProjector(dimensions: number, target: number, random: () => number, sessionOptions: SessionOptions = {}): Promise<RandomProjector> {
  if (target >= dimensions) {
    return { target: dimensions, project: async (rows, count) => rows.slice(0, count * dimensions), dispose: async () => {} };
  }
  const matrix = gaussianMatrix(dimensions * target, random, 1 / Math.sqrt(target));
  const session = await createSessionFromBytes(
    buildModel({
      name: 'random_projection',
      inputs: [{ name: 'rows', type: 'float32', shape: ['count', dimensions] }],
      outputs: [{ name: 'projected', type: 'float32', shape: ['count', target] }],
      nodes: [{ op: 'MatMul', inputs: ['rows', 'matrix'], outputs: ['projected'] }],
      initializers: [{ name: 'matrix', dims: [dimensions, target], data: matrix }],
      opset: 17,
    }),
    { cache: false, name: 'random projection graph', ...sessionOptions },
  );
  return {
    target,
    async project(rows, count) {
      const out = new Float32Array(count * target);
      const chunk = 16384;
      for (let start = 0; start < count; start += chunk) {
        const part = Math.min(chunk, count - start);
        const result = await session.run({ rows: { data: rows.subarray(start * dimensions, (start + part) * dimensions), dims: [part, dimensions] } });
        out.set(result.projected!.data as Float32Array, start * target);
      }
      return out;
    },
    dispose: () => session.dispose(),
  };
}
