import { InvalidInputError, isAnomalyMap, loadSharp, type AnomalyMap } from '@vad/core';

/** How far the map's aspect ratio may differ from the image's (relative) and still be resized onto it. */
export const aspectTolerance = 0.02;

export interface ScoreRange {
  readonly low: number;
  readonly high: number;
}

/** Checks that a value is an anomaly map whose data has width × height scores. */
export function requireAnomalyMap(value: unknown, where: { stepName: string; property: string }): AnomalyMap {
  if (!isAnomalyMap(value)) throw new InvalidInputError({ message: 'expected an anomaly map ({kind: "anomaly_map", width, height, data: Float32Array})', ...where });
  if (!(value.width > 0 && value.height > 0) || value.data.length !== value.width * value.height) {
    throw new InvalidInputError({ message: `anomaly map data has ${value.data.length} scores, expected ${value.width}×${value.height}`, ...where });
  }
  return value;
}

/** The smallest and largest finite score (0 and 0 when there is none); NaN and ±Infinity are ignored. */
export function scoreExtent(data: Float32Array): ScoreRange {
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const value = data[i]!;
    if (value - value !== 0) continue; // NaN or ±Infinity
    if (value < low) low = value;
    if (value > high) high = value;
  }
  return Number.isFinite(low) && Number.isFinite(high) ? { low, high } : { low: 0, high: 0 };
}

/** The 0–255 level of a score in a range (clamped; NaN is level 0). */
export function scoreToLevel(score: number, range: ScoreRange): number {
  const span = range.high - range.low;
  if (!(span > 0)) return score > range.low ? 255 : 0;
  const level = ((score - range.low) / span) * 255;
  return level >= 255 ? 255 : level > 0 ? Math.round(level) : 0;
}

/** Quantizes scores to 0–255 levels in one pass over the map. */
export function quantizeScores(data: Float32Array, range: ScoreRange): Uint8Array {
  const levels = new Uint8Array(data.length);
  const span = range.high - range.low;
  if (!(span > 0)) {
    for (let i = 0; i < data.length; i++) levels[i] = data[i]! > range.low ? 255 : 0;
    return levels;
  }
  const factor = 255 / span;
  const low = range.low;
  // A Uint8ClampedArray view clamps and rounds on write, so the loop has no branches.
  const clamped = new Uint8ClampedArray(levels.buffer);
  for (let i = 0; i < data.length; i++) clamped[i] = (data[i]! - low) * factor;
  return levels;
}

/**
 * Levels at the image's size. A map of another size is resized by libvips (bilinear) when its
 * aspect ratio matches the image's within `aspectTolerance`; otherwise it cannot be placed and
 * the error says so, with both sizes.
 */
export async function levelsAtImageSize(
  levels: Uint8Array,
  map: { width: number; height: number },
  image: { width: number; height: number },
  where: { stepName: string; property: string },
): Promise<Uint8Array> {
  if (map.width === image.width && map.height === image.height) return levels;
  const mapAspect = map.width / map.height;
  const imageAspect = image.width / image.height;
  if (Math.abs(mapAspect - imageAspect) / imageAspect > aspectTolerance) {
    throw new InvalidInputError({
      message:
        `the anomaly map is ${map.width}×${map.height} (aspect ${mapAspect.toFixed(3)}) but the image is ${image.width}×${image.height} ` +
        `(aspect ${imageAspect.toFixed(3)}); a map is resized onto its image only when the aspect ratios agree within ${aspectTolerance * 100}%`,
      ...where,
    });
  }
  const sharp = await loadSharp();
  const resized = await sharp(levels, { raw: { width: map.width, height: map.height, channels: 1 } })
    .resize(image.width, image.height, { fit: 'fill', kernel: 'linear' })
    .extractChannel(0)
    .raw()
    .toBuffer();
  return new Uint8Array(resized.buffer, resized.byteOffset, resized.byteLength);
}

/**
 * The inner border (`thickness` pixels wide) of the regions whose value (a level or a score) is at
 * least `threshold`:
 * 1 on the border, 0 elsewhere. The erosion runs in libvips.
 */
export async function regionBorders(
  values: Uint8Array | Float32Array,
  width: number,
  height: number,
  threshold: number,
  thickness: number,
): Promise<Uint8Array | undefined> {
  const mask = new Uint8Array(values.length);
  let any = false;
  for (let i = 0; i < values.length; i++) {
    if (values[i]! >= threshold) {
      mask[i] = 255;
      any = true;
    }
  }
  if (!any) return undefined;
  const sharp = await loadSharp();
  const structuringWidth = Math.max(1, Math.round(thickness));
  // sharp's morphology takes black as the foreground: its `dilate` shrinks white regions (checked
  // by a test, which fails if a sharp release swaps them).
  const eroded = await sharp(mask, { raw: { width, height, channels: 1 } }).dilate(structuringWidth).extractChannel(0).raw().toBuffer();
  // Regions that touch the image's edge are closed along it: the strips of width `thickness` there
  // count as eroded away.
  const strip = Math.min(structuringWidth, width, height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    if (y < strip || y >= height - strip) {
      eroded.fill(0, row, row + width);
    } else {
      eroded.fill(0, row, row + strip);
      eroded.fill(0, row + width - strip, row + width);
    }
  }
  // The mask's buffer becomes the borders: 1 where the region was eroded away.
  const borders = mask;
  for (let i = 0; i < borders.length; i++) borders[i] = borders[i]! > eroded[i]! ? 1 : 0;
  return borders;
}
