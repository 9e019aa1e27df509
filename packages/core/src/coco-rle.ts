/** A COCO run-length mask as pycocotools writes it: `size` [height, width], `counts` its compressed string. */
export interface CocoRle {
  size: [number, number];
  counts: string;
}

/**
 * Run lengths of a binary mask in column-major order, starting with a run of zeros (COCO's
 * convention), from a label map: one pass over the pixels gives the runs of every label at once.
 * Also gives each label's pixel count, inclusive bounding box and summed `weights` (a confidence map).
 */
export function labelRuns(labels: Uint8Array, width: number, height: number, weights?: Uint8Array) {
  const runs = new Map<number, { counts: number[]; inside: boolean; lastChange: number; pixels: number; weightSum: number; x1: number; y1: number; x2: number; y2: number }>();
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      const offset = y * width + x;
      const label = labels[offset]!;
      let entry = runs.get(label);
      const position = x * height + y;
      if (!entry) {
        entry = { counts: [], inside: false, lastChange: 0, pixels: 0, weightSum: 0, x1: x, y1: y, x2: x, y2: y };
        runs.set(label, entry);
      }
      if (!entry.inside) {
        entry.counts.push(position - entry.lastChange);
        entry.lastChange = position;
        entry.inside = true;
      }
      entry.pixels++;
      if (weights) entry.weightSum += weights[offset]!;
      if (x < entry.x1) entry.x1 = x;
      if (x > entry.x2) entry.x2 = x;
      if (y < entry.y1) entry.y1 = y;
      if (y > entry.y2) entry.y2 = y;
      // The run ends where the next pixel in column-major order has another label.
      const next = y + 1 < height ? labels[offset + width] : x + 1 < width ? labels[x + 1] : undefined;
      if (next !== label) {
        entry.counts.push(position + 1 - entry.lastChange);
        entry.lastChange = position + 1;
        entry.inside = false;
      }
    }
  }
  const total = width * height;
  for (const entry of runs.values()) if (entry.lastChange < total) entry.counts.push(total - entry.lastChange);
  return runs;
}

/** pycocotools' compressed `counts`: each run (minus the run two before, from the fourth on) as 5-bit groups, 48 added. */
export function compressCounts(counts: readonly number[]): string {
  let text = '';
  counts.forEach((count, index) => {
    let value = index > 2 ? count - counts[index - 2]! : count;
    let more = true;
    while (more) {
      let group = value & 0x1f;
      value >>= 5;
      more = group & 0x10 ? value !== -1 : value !== 0;
      if (more) group |= 0x20;
      text += String.fromCharCode(group + 48);
    }
  });
  return text;
}

/** The run lengths in a compressed `counts` string (the inverse of compressCounts). */
export function decompressCounts(text: string): number[] {
  const counts: number[] = [];
  let position = 0;
  while (position < text.length) {
    let value = 0;
    let shift = 0;
    let group: number;
    do {
      group = text.charCodeAt(position++) - 48;
      value |= (group & 0x1f) << shift;
      shift += 5;
    } while (group & 0x20);
    if (group & 0x10) value |= -1 << shift;
    if (counts.length > 2) value += counts[counts.length - 2]!;
    counts.push(value);
  }
  return counts;
}

/** A COCO RLE back to a row-major 0/1 mask. */
export function decodeRle(rle: CocoRle): Uint8Array {
  const [height, width] = rle.size;
  const mask = new Uint8Array(width * height);
  let position = 0;
  decompressCounts(rle.counts).forEach((count, index) => {
    if (index % 2 === 1) for (let i = position; i < position + count; i++) mask[(i % height) * width + Math.floor(i / height)] = 1;
    position += count;
  });
  return mask;
}

/**
 * The COCO RLE (`size` [height, width]) of a binary mask (non-zero = inside) that covers
 * `mask.width × mask.height` pixels at (`left`, `top`) of an image `imageWidth × imageHeight`;
 * everything outside it is background. Runs are counted in column-major order, as pycocotools does.
 */
export function encodeMask(
  mask: { data: Uint8Array; width: number; height: number; left?: number; top?: number },
  imageWidth: number,
  imageHeight: number,
): CocoRle {
  const left = mask.left ?? 0, top = mask.top ?? 0;
  const counts: number[] = [];
  let inside = false;
  let run = 0;
  const close = () => {
    counts.push(run);
    run = 0;
    inside = !inside;
  };
  // Columns before and after the mask, and rows above and below it in each column, are zeros.
  for (let x = 0; x < imageWidth; x++) {
    const mx = x - left;
    if (mx < 0 || mx >= mask.width) {
      if (inside) close();
      run += imageHeight;
      continue;
    }
    for (let y = 0; y < imageHeight; y++) {
      const my = y - top;
      const value = my >= 0 && my < mask.height && mask.data[my * mask.width + mx] !== 0;
      if (value !== inside) close();
      run++;
    }
  }
  counts.push(run);
  return { size: [imageHeight, imageWidth], counts: compressCounts(counts) };
}

/** The number of mask pixels of a COCO RLE (the sum of its odd runs), without decoding it. */
export function rleArea(rle: CocoRle): number {
  let area = 0;
  decompressCounts(rle.counts).forEach((count, index) => {
    if (index % 2 === 1) area += count;
  });
  return area;
}

/** True for a `{size: [height, width], counts: string}` object. */
export function isCocoRle(value: unknown): value is CocoRle {
  const rle = value as CocoRle | null;
  return (
    typeof rle === 'object' && rle !== null && typeof rle.counts === 'string' && Array.isArray(rle.size) && rle.size.length === 2 && rle.size.every((n) => Number.isInteger(n) && n >= 0)
  );
}
