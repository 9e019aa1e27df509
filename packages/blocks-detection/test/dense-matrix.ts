/** Dense matrix arithmetic for the Kalman filter tests' textbook references (small matrices, clarity over speed). */
export function multiply(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((sum, value, k) => sum + value * b[k]![j]!, 0)));
}
export const transpose = (a: number[][]) => a[0]!.map((_, j) => a.map((row) => row[j]!));
export const add = (a: number[][], b: number[][], sign = 1) => a.map((row, i) => row.map((value, j) => value + sign * b[i]![j]!));
export const diagonal = (values: number[]) => values.map((v, i) => values.map((_, j) => (i === j ? v : 0)));
export const identity = (n: number) => diagonal(Array.from({ length: n }, () => 1));

/** Gauss-Jordan with partial pivoting. */
export function inverse(a: number[][]): number[][] {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    const p = m[c]![c]!;
    m[c] = m[c]!.map((v) => v / p);
    for (let r = 0; r < n; r++) if (r !== c) m[r] = m[r]!.map((v, j) => v - m[r]![c]! * m[c]![j]!);
  }
  return m.map((row) => row.slice(n));
}

/** A row-major n × n Float64Array as rows. */
export const toRows = (flat: Float64Array, n: number) => Array.from({ length: n }, (_, i) => [...flat.slice(i * n, i * n + n)]);
