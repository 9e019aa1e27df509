/**
 * The error function, to double precision where it matters here (|error| < 1e-14 in tests
 * against reference values). JavaScript has no Math.erf; Roboflow's Identify Changes uses
 * Python's math.erf for its percentile, so ours must agree closely.
 *
 * - |x| < 2.5: the Maclaurin series erf(x) = 2/√π Σ (−1)ⁿ x²ⁿ⁺¹ / (n! (2n+1)).
 * - |x| ≥ 2.5: erfc(x) = e^(−x²)/√π · 1/(x + ½/(x + 1/(x + 3/2/(x + …)))) (Laplace's continued
 *   fraction), evaluated from the tail; it converges fast this far out.
 */
const twoOverRootPi = 2 / Math.sqrt(Math.PI);
const oneOverRootPi = 1 / Math.sqrt(Math.PI);

function complementTail(x: number): number {
  let fraction = x;
  for (let k = 120; k >= 1; k--) fraction = x + k / 2 / fraction;
  return (Math.exp(-x * x) * oneOverRootPi) / fraction;
}

export function erf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const magnitude = Math.abs(x);
  if (magnitude >= 2.5) {
    const value = 1 - complementTail(magnitude);
    return x < 0 ? -value : value;
  }
  const square = x * x;
  let term = x;
  let total = x;
  for (let n = 1; n < 200; n++) {
    term *= -square / n;
    const contribution = term / (2 * n + 1);
    total += contribution;
    if (Math.abs(contribution) < 1e-17 * Math.abs(total)) break;
  }
  return twoOverRootPi * total;
}
