// OpenCV's fixed kernels for an odd size up to 7 when sigma is 0 (getGaussianKernel's table).
const smallKernels: Record<number, readonly number[]> = {
  1: [1],
  3: [0.25, 0.5, 0.25],
  5: [0.0625, 0.25, 0.375, 0.25, 0.0625],
  7: [0.03125, 0.109375, 0.21875, 0.28125, 0.21875, 0.109375, 0.03125],
};

/** OpenCV's sigma for a kernel size when none is given: 0.3 ((size − 1) / 2 − 1) + 0.8. */
export const sigmaForSize = (size: number) => 0.3 * ((size - 1) * 0.5 - 1) + 0.8;

/** OpenCV's 1-D Gaussian kernel of an odd `size` for sigma 0 (sum 1). */
export function gaussianKernel(size: number): number[] {
  const table = smallKernels[size];
  if (table) return [...table];
  const sigma = sigmaForSize(size);
  const half = (size - 1) / 2;
  const raw = Array.from({ length: size }, (_, i) => Math.exp(-((i - half) ** 2) / (2 * sigma * sigma)));
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((v) => v / sum);
}

/**
 * The kernel in the 8-bit fixed point that OpenCV's bit-exact GaussianBlur of 8-bit images uses:
 * weights in 1/256, quantized from the outside in with the rounding error carried to the next
 * weight, and the centre taking what makes the sum exactly 256. Its 2-D result is then
 * round(Σ q_i q_j v / 65536), which libvips' convolution reproduces exactly.
 */
export function fixedPointGaussianKernel(size: number): number[] {
  const kernel = gaussianKernel(size);
  const result = new Array<number>(size).fill(0);
  const half = (size - 1) / 2;
  let error = 0;
  let sum = 0;
  for (let i = 0; i < half; i++) {
    const adjusted = kernel[i]! * 256 + error;
    const value = Math.round(adjusted);
    error = adjusted - value;
    result[i] = value;
    result[size - 1 - i] = value;
    sum += 2 * value;
  }
  result[half] = 256 - sum;
  return result;
}
