/**
 * Python's `round(value, digits)`: a value exactly halfway goes to the even neighbour, so crops and
 * rounded numbers land where Roboflow's do. (With digits, the scaled value is a float product, so a
 * few decimals Python holds just below a half, such as 2.675, round up here.)
 */
export function roundHalfEven(value: number, digits = 0): number {
  const scale = 10 ** digits;
  const scaled = value * scale;
  const floor = Math.floor(scaled);
  const rounded = scaled - floor === 0.5 ? (floor % 2 === 0 ? floor : floor + 1) : Math.round(scaled);
  return rounded / scale;
}
