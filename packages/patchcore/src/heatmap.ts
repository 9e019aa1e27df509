import { colormapLookupTable, loadSharp } from '@vad/core';

/**
 * A PNG of the image beside the image with its anomaly map blended over it in the
 * turbo colormap (the one @vad/visualize draws with) (normalised scores: 0 → faint dark blue, 1 → dark red; the 0.5 threshold sits at
 * the green–yellow turn), the ground-truth outline in white when a mask is given.
 */
export async function renderOverlay(
  rgb: { data: Uint8Array; width: number; height: number },
  map: Float32Array,
  mask: Uint8Array | undefined,
): Promise<Buffer> {
  const { width, height } = rgb;
  const ramp = colormapLookupTable('turbo');
  const overlay = new Uint8Array(width * height * 3);
  for (let index = 0; index < width * height; index++) {
    const value = Math.min(1, Math.max(0, map[index]!));
    const level = Math.round(value * 255);
    const alpha = 0.25 + 0.5 * value;
    for (let channel = 0; channel < 3; channel++) {
      overlay[index * 3 + channel] = Math.round(rgb.data[index * 3 + channel]! * (1 - alpha) + ramp[level * 3 + channel]! * alpha);
    }
    if (mask && mask[index]) {
      const x = index % width;
      const edge = (x > 0 && !mask[index - 1]) || (x + 1 < width && !mask[index + 1]) || (index >= width && !mask[index - width]) || (index + width < mask.length && !mask[index + width]);
      if (edge) overlay.fill(255, index * 3, index * 3 + 3);
    }
  }
  const sharp = await loadSharp();
  const left = await sharp(rgb.data, { raw: { width, height, channels: 3 } }).png().toBuffer();
  const right = await sharp(overlay, { raw: { width, height, channels: 3 } }).png().toBuffer();
  return sharp({ create: { width: width * 2 + 4, height, channels: 3, background: { r: 255, g: 255, b: 255 } } })
    .composite([
      { input: left, left: 0, top: 0 },
      { input: right, left: width + 4, top: 0 },
    ])
    .png()
    .toBuffer();
}
