import { scoreRows } from './embedding-vector.js';
import { scoreRowsWasmBase64 } from './score-rows-wasm.js';

/**
 * The one heavy step of Identify Outliers: the dot products of every window row with the mean
 * direction (32 × 2048 multiply-adds per frame by default). It runs in a 315-byte WebAssembly
 * kernel with f64x2 SIMD (wasm/score-rows.wat), about 2.3× faster than the best plain JavaScript
 * loop here; where WebAssembly SIMD is unavailable the JavaScript loop runs instead. ONNX Runtime
 * is not used for this: a session call costs more than the whole product at this size.
 *
 * The window rows, the running sum and the scores live in the kernel's memory, as Float64Array
 * views that the detector reads and writes directly (no copies per frame).
 */
export interface RowScorer {
  readonly engine: 'wasm' | 'javascript';
  readonly capacity: number;
  readonly dimension: number;
  /** `capacity` rows of `dimension` values. */
  readonly rows: Float64Array;
  /** The direction rows are scored against (the detector keeps its running sum here). */
  readonly direction: Float64Array;
  /** A second vector to score against when the direction is degenerate. */
  readonly other: Float64Array;
  /** One score per row, filled by `score`. */
  readonly scores: Float64Array;
  /** `scores[k] = rows[k] · (direction or other)` for k < count. */
  score(count: number, against: 'direction' | 'other'): void;
}

/** The part of the WebAssembly JavaScript API used here (the project's lib settings do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
}
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

let compiled: object | null | undefined;
function scoringModule(): object | null {
  if (compiled === undefined) {
    try {
      compiled = wasm ? new wasm.Module(Buffer.from(scoreRowsWasmBase64, 'base64')) : null;
    } catch {
      compiled = null; // no SIMD support: the JavaScript loop is used
    }
  }
  return compiled;
}

export function createRowScorer(capacity: number, dimension: number, options: { engine?: 'wasm' | 'javascript' } = {}): RowScorer {
  const module = options.engine === 'javascript' ? null : scoringModule();
  const rowsLength = capacity * dimension;
  if (!module || !wasm) {
    const rows = new Float64Array(rowsLength);
    const direction = new Float64Array(dimension);
    const other = new Float64Array(dimension);
    const scores = new Float64Array(capacity);
    return {
      engine: 'javascript',
      capacity,
      dimension,
      rows,
      direction,
      other,
      scores,
      score: (count, against) => scoreRows(rows, count, dimension, against === 'direction' ? direction : other, scores),
    };
  }
  const bytes = (rowsLength + 2 * dimension + capacity) * 8;
  const memory = new wasm.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
  const instance = new wasm.Instance(module, { env: { memory } });
  const kernel = instance.exports.scoreRows as (rows: number, count: number, d: number, vector: number, out: number) => void;
  const directionOffset = rowsLength * 8;
  const otherOffset = directionOffset + dimension * 8;
  const scoresOffset = otherOffset + dimension * 8;
  return {
    engine: 'wasm',
    capacity,
    dimension,
    rows: new Float64Array(memory.buffer, 0, rowsLength),
    direction: new Float64Array(memory.buffer, directionOffset, dimension),
    other: new Float64Array(memory.buffer, otherOffset, dimension),
    scores: new Float64Array(memory.buffer, scoresOffset, capacity),
    score: (count, against) => kernel(0, count, dimension, against === 'direction' ? directionOffset : otherOffset, scoresOffset),
  };
}
