/**
 * The rectangular linear assignment problem (what scipy's `linear_sum_assignment` solves): pick
 * min(rows, columns) cells, at most one per row and per column, with the least total cost. This is
 * the shortest-augmenting-path form of the Hungarian method with row and column potentials,
 * O(n²·m) for n ≤ m; the matrices of a tracker's frame are tens of tracks by tens of detections.
 */

/** A cost matrix in row-major order. Costs must be finite. */
export interface CostMatrix {
  readonly rows: number;
  readonly columns: number;
  readonly costs: Float64Array;
}

/** For each row the column it is assigned to, or -1 (only when there are more rows than columns). */
export function solveAssignment(matrix: CostMatrix): Int32Array {
  const { rows, columns, costs } = matrix;
  if (costs.length !== rows * columns) throw new RangeError(`a ${rows}×${columns} cost matrix needs ${rows * columns} costs, not ${costs.length}`);
  const rowToColumn = new Int32Array(rows).fill(-1);
  if (rows === 0 || columns === 0) return rowToColumn;
  for (const cost of costs) if (!Number.isFinite(cost)) throw new RangeError('assignment costs must be finite');
  if (rows <= columns) {
    const assigned = assignRowsToColumns(rows, columns, (r, c) => costs[r * columns + c]!);
    for (let c = 0; c < columns; c++) if (assigned[c]! >= 0) rowToColumn[assigned[c]!] = c;
  } else {
    // More rows than columns: solve the transpose, whose rows are this matrix's columns.
    const assigned = assignRowsToColumns(columns, rows, (r, c) => costs[c * columns + r]!);
    for (let r = 0; r < rows; r++) if (assigned[r]! >= 0) rowToColumn[r] = assigned[r]!;
  }
  return rowToColumn;
}

/**
 * n ≤ m. Returns, for each column, the row assigned to it or -1. Rows are added one at a time; each
 * addition finds the shortest augmenting path by reduced costs (Dijkstra over columns) and shifts
 * the potentials so that reduced costs stay non-negative and are zero along assigned cells.
 */
function assignRowsToColumns(n: number, m: number, cost: (row: number, column: number) => number): Int32Array {
  // 1-based with column 0 as the virtual start, as in the textbook formulation.
  const rowPotential = new Float64Array(n + 1);
  const columnPotential = new Float64Array(m + 1);
  const rowOfColumn = new Int32Array(m + 1);
  const previousColumn = new Int32Array(m + 1);
  const slack = new Float64Array(m + 1);
  const visited = new Uint8Array(m + 1);
  for (let row = 1; row <= n; row++) {
    rowOfColumn[0] = row;
    let column = 0;
    slack.fill(Infinity);
    visited.fill(0);
    do {
      visited[column] = 1;
      const current = rowOfColumn[column]!;
      let delta = Infinity;
      let next = 0;
      for (let j = 1; j <= m; j++) {
        if (visited[j]) continue;
        const reduced = cost(current - 1, j - 1) - rowPotential[current]! - columnPotential[j]!;
        if (reduced < slack[j]!) {
          slack[j] = reduced;
          previousColumn[j] = column;
        }
        if (slack[j]! < delta) {
          delta = slack[j]!;
          next = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (visited[j]) {
          rowPotential[rowOfColumn[j]!]! += delta;
          columnPotential[j]! -= delta;
        } else {
          slack[j]! -= delta;
        }
      }
      column = next;
    } while (rowOfColumn[column] !== 0);
    // Flip the assignments along the augmenting path.
    do {
      const previous = previousColumn[column]!;
      rowOfColumn[column] = rowOfColumn[previous]!;
      column = previous;
    } while (column !== 0);
  }
  const assigned = new Int32Array(m).fill(-1);
  for (let j = 1; j <= m; j++) if (rowOfColumn[j]! > 0) assigned[j - 1] = rowOfColumn[j]! - 1;
  return assigned;
}

export interface Matching {
  /** Pairs of (row, column). */
  readonly matches: readonly (readonly [number, number])[];
  readonly unmatchedRows: readonly number[];
  readonly unmatchedColumns: readonly number[];
}

/**
 * supervision's `matching.linear_assignment`: costs above `threshold` are clipped to just above it
 * (so they cannot pull the optimum around), the assignment is solved, and only pairs whose cost is
 * at most `threshold` are kept.
 */
export function matchBelowThreshold(matrix: CostMatrix, threshold: number): Matching {
  const clipped = Float64Array.from(matrix.costs, (cost) => (cost > threshold ? threshold + 1e-4 : cost));
  const rowToColumn = solveAssignment({ rows: matrix.rows, columns: matrix.columns, costs: clipped });
  return collect(matrix, rowToColumn, (row, column) => clipped[row * matrix.columns + column]! <= threshold);
}

/**
 * The trackers package's association: the assignment that maximises total similarity, keeping
 * pairs whose similarity is at least `minimum`.
 */
export function matchAboveThreshold(similarity: CostMatrix, minimum: number): Matching {
  const negated = Float64Array.from(similarity.costs, (value) => -value);
  const rowToColumn = solveAssignment({ rows: similarity.rows, columns: similarity.columns, costs: negated });
  return collect(similarity, rowToColumn, (row, column) => similarity.costs[row * similarity.columns + column]! >= minimum);
}

function collect(matrix: CostMatrix, rowToColumn: Int32Array, keep: (row: number, column: number) => boolean): Matching {
  const matches: [number, number][] = [];
  const columnUsed = new Uint8Array(matrix.columns);
  const unmatchedRows: number[] = [];
  for (let row = 0; row < matrix.rows; row++) {
    const column = rowToColumn[row]!;
    if (column >= 0 && keep(row, column)) {
      matches.push([row, column]);
      columnUsed[column] = 1;
    } else {
      unmatchedRows.push(row);
    }
  }
  const unmatchedColumns: number[] = [];
  for (let column = 0; column < matrix.columns; column++) if (!columnUsed[column]) unmatchedColumns.push(column);
  return { matches, unmatchedRows, unmatchedColumns };
}
