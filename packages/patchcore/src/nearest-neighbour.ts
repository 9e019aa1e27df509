import { buildModel, createSessionFromBytes, type ModelSession, type SessionOptions } from '@vad/models';

/**
 * Nearest-neighbour distances from query rows to a fixed bank, as one small ONNX graph in MatMul
 * form: ‖a − b‖² = ‖a‖² − 2a·b + ‖b‖². The bank is an initializer (−2·bankᵀ and its squared norms),
 * so ONNX Runtime packs it once; `ReduceMin` and `ArgMin` run over the bank axis.
 */
export interface NearestNeighbourSearch {
  readonly bankSize: number;
  readonly dimensions: number;
  /**
   * For `count` rows of `dimensions` values: the Euclidean distance to the nearest bank row, and its
   * index. `excludedRows` `[start, end)` leaves those bank rows out (a search built `excludable`).
   */
  search(queries: Float32Array, count: number, excludedRows?: readonly [number, number]): Promise<{ distances: Float32Array; indices: Int32Array; neighbourDistances?: Float32Array }>;
  dispose(): Promise<void>;
}

export interface NearestNeighbourOptions extends SessionOptions {
  /** Also return the distances to the `neighbours` nearest bank rows (default 1: only the nearest). */
  neighbours?: number;
  /** Rows per ONNX Runtime call (bounds the batch × bank distance matrix; default keeps it near 64 MB). */
  batchRows?: number;
  /**
   * Let each call leave a range of bank rows out (a `bank_penalty` input, +∞ on those rows): one
   * session serves a leave-one-out over every image instead of one session per image.
   */
  excludable?: boolean;
}

/**
 * `neighbours` > 1 adds a `neighbour_distances` output `[rows, neighbours]` (TopK, nearest first),
 * used where a point's own copy is in the bank and the second-nearest is what counts. `excludable`
 * adds a `bank_penalty` input `[bankSize]` added to every row's distances before the minimum.
 */
export function buildNearestNeighbourModel(bank: Float32Array, bankSize: number, dimensions: number, neighbours = 1, excludable = false): Uint8Array {
  const scaledTranspose = new Float32Array(dimensions * bankSize);
  const bankNorms = new Float32Array(bankSize);
  for (let row = 0; row < bankSize; row++) {
    let norm = 0;
    const offset = row * dimensions;
    for (let column = 0; column < dimensions; column++) {
      const value = bank[offset + column]!;
      norm += value * value;
      scaledTranspose[column * bankSize + row] = -2 * value;
    }
    bankNorms[row] = norm;
  }
  return buildModel({
    name: 'nearest_neighbour',
    inputs: [
      { name: 'queries', type: 'float32', shape: ['rows', dimensions] },
      ...(excludable ? [{ name: 'bank_penalty', type: 'float32' as const, shape: [bankSize] }] : []),
    ],
    outputs: [
      { name: 'distances', type: 'float32', shape: ['rows'] },
      { name: 'indices', type: 'int64', shape: ['rows'] },
      ...(neighbours > 1 ? [{ name: 'neighbour_distances', type: 'float32' as const, shape: ['rows', neighbours] }] : []),
    ],
    nodes: [
      { op: 'MatMul', inputs: ['queries', 'bank_scaled_transpose'], outputs: ['cross'] },
      ...(excludable
        ? [
            { op: 'Add', inputs: ['cross', 'bank_norms'], outputs: ['unpenalised'] },
            { op: 'Add', inputs: ['unpenalised', 'bank_penalty'], outputs: ['partial'] },
          ]
        : [{ op: 'Add', inputs: ['cross', 'bank_norms'], outputs: ['partial'] }]),
      { op: 'ReduceMin', inputs: ['partial'], outputs: ['partial_min'], attributes: { axes: [1], keepdims: 0 } },
      { op: 'ArgMin', inputs: ['partial'], outputs: ['indices'], attributes: { axis: 1, keepdims: 0 } },
      { op: 'ReduceSumSquare', inputs: ['queries'], outputs: ['query_norms'], attributes: { axes: [1], keepdims: 0 } },
      { op: 'Add', inputs: ['partial_min', 'query_norms'], outputs: ['squared'] },
      { op: 'Relu', inputs: ['squared'], outputs: ['squared_clamped'] },
      { op: 'Sqrt', inputs: ['squared_clamped'], outputs: ['distances'] },
      ...(neighbours > 1
        ? [
            { op: 'TopK', inputs: ['partial', 'k'], outputs: ['partial_top', 'top_indices'], attributes: { axis: 1, largest: 0, sorted: 1 } },
            { op: 'Unsqueeze', inputs: ['query_norms', 'axis_one'], outputs: ['query_norms_column'] },
            { op: 'Add', inputs: ['partial_top', 'query_norms_column'], outputs: ['top_squared'] },
            { op: 'Relu', inputs: ['top_squared'], outputs: ['top_clamped'] },
            { op: 'Sqrt', inputs: ['top_clamped'], outputs: ['neighbour_distances'] },
          ]
        : []),
    ],
    initializers: [
      { name: 'bank_scaled_transpose', dims: [dimensions, bankSize], data: scaledTranspose },
      { name: 'bank_norms', dims: [bankSize], data: bankNorms },
      ...(neighbours > 1
        ? [
            { name: 'k', dims: [1], data: BigInt64Array.from([BigInt(Math.min(neighbours, bankSize))]) },
            { name: 'axis_one', dims: [1], data: BigInt64Array.from([1n]) },
          ]
        : []),
    ],
    opset: 17,
  });
}

export async function createNearestNeighbourSearch(
  bank: Float32Array,
  bankSize: number,
  dimensions: number,
  options: NearestNeighbourOptions = {},
): Promise<NearestNeighbourSearch> {
  const { batchRows, neighbours = 1, excludable = false, ...sessionOptions } = options;
  const session: ModelSession = await createSessionFromBytes(buildNearestNeighbourModel(bank, bankSize, dimensions, neighbours, excludable), {
    cache: false,
    name: `nearest-neighbour graph (${bankSize}×${dimensions} bank)`,
    ...sessionOptions,
  });
  const rowsPerCall = batchRows ?? Math.max(64, Math.floor((64 * 1024 * 1024) / 4 / bankSize));
  const noPenalty = new Float32Array(excludable ? bankSize : 0);
  return {
    bankSize,
    dimensions,
    async search(queries, count, excludedRows) {
      if (excludedRows && !excludable) throw new Error('this nearest-neighbour search was not built excludable');
      let penalty = noPenalty;
      if (excludedRows) {
        penalty = new Float32Array(bankSize);
        penalty.fill(Number.POSITIVE_INFINITY, excludedRows[0], excludedRows[1]);
      }
      const distances = new Float32Array(count);
      const indices = new Int32Array(count);
      const topCount = Math.min(neighbours, bankSize);
      const neighbourDistances = neighbours > 1 ? new Float32Array(count * topCount) : undefined;
      for (let start = 0; start < count; start += rowsPerCall) {
        const rows = Math.min(rowsPerCall, count - start);
        const outputs = await session.run({
          queries: { data: queries.subarray(start * dimensions, (start + rows) * dimensions), dims: [rows, dimensions] },
          ...(excludable && { bank_penalty: { data: penalty, dims: [bankSize] } }),
        });
        distances.set(outputs.distances!.data as Float32Array, start);
        const found = outputs.indices!.data as BigInt64Array;
        for (let row = 0; row < rows; row++) indices[start + row] = Number(found[row]);
        neighbourDistances?.set(outputs.neighbour_distances!.data as Float32Array, start * topCount);
      }
      return { distances, indices, ...(neighbourDistances && { neighbourDistances }) };
    },
    dispose: () => session.dispose(),
  };
}
