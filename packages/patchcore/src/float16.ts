/**
 * IEEE 754 half-precision conversion for the optional float16 memory bank (Node 20 has no
 * Float16Array). Round to nearest even; overflow becomes ±Infinity.
 */
const floatView = new Float32Array(1);
const intView = new Uint32Array(floatView.buffer);

export function float32ToFloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let index = 0; index < values.length; index++) {
    floatView[0] = values[index]!;
    const bits = intView[0]!;
    const sign = (bits >>> 16) & 0x8000;
    const exponent = (bits >>> 23) & 0xff;
    let mantissa = bits & 0x7fffff;
    if (exponent === 0xff) {
      out[index] = sign | 0x7c00 | (mantissa ? 0x200 : 0);
      continue;
    }
    const halfExponent = exponent - 127 + 15;
    if (halfExponent >= 0x1f) {
      out[index] = sign | 0x7c00;
    } else if (halfExponent <= 0) {
      if (halfExponent < -10) {
        out[index] = sign;
        continue;
      }
      mantissa |= 0x800000;
      const shift = 14 - halfExponent;
      let half = mantissa >>> shift;
      const remainder = mantissa & ((1 << shift) - 1);
      const halfway = 1 << (shift - 1);
      if (remainder > halfway || (remainder === halfway && half & 1)) half++;
      out[index] = sign | half;
    } else {
      let half = (halfExponent << 10) | (mantissa >>> 13);
      const remainder = mantissa & 0x1fff;
      if (remainder > 0x1000 || (remainder === 0x1000 && half & 1)) half++;
      out[index] = sign | half;
    }
  }
  return out;
}

export function float16ToFloat32(values: Uint16Array): Float32Array {
  const out = new Float32Array(values.length);
  for (let index = 0; index < values.length; index++) {
    const half = values[index]!;
    const sign = half & 0x8000 ? -1 : 1;
    const exponent = (half >>> 10) & 0x1f;
    const mantissa = half & 0x3ff;
    if (exponent === 0) out[index] = sign * mantissa * 2 ** -24;
    else if (exponent === 0x1f) out[index] = mantissa ? Number.NaN : sign * Infinity;
    else out[index] = sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  return out;
}
