import { loadSharp } from '@vad/core';

/**
 * Coverage masks (0–255) of shapes that librsvg rasterizes from SVG — glyphs, rounded box corners,
 * rounded or translucent label backgrounds — kept across frames.
 *
 * Why not one SVG over the frame: compositing any SVG over a 1280×720 frame with sharp costs 20–30
 * ms on this project's 2-core machines before anything is drawn (libvips blends every pixel of the
 * frame in float, and librsvg clears and converts a full-frame surface), more than the 15 ms
 * budget for a frame of boxes and labels. Measured here: librsvg needs 40–100 ms to fill the ~500 glyph paths of 50
 * labels (it gives each path element a layer of its own), while the labels and boxes of a video
 * frame reuse a few dozen distinct shapes. So each distinct shape is rasterized once, all new
 * shapes of a frame in one sheet and one librsvg call, and drawing blends the cached coverage
 * with the shape's color: after the first frames nothing is rasterized at all.
 */

export interface CoverageMask {
  /** Where the mask's top-left lies relative to the point the shape is placed at, in pixels. */
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  readonly alpha: Uint8Array;
}

/** How to rasterize a shape: `svg` is drawn in white with (0, 0) at the mask's top-left. */
export interface MaskRecipe {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  readonly svg: string;
}

export interface MaskRequest {
  readonly key: string;
  readonly recipe: () => MaskRecipe;
}

const maximumMasks = 8192;
const masks = new Map<string, CoverageMask>();

/**
 * The masks of the requests, from the cache or rasterized (all missing ones in one librsvg call).
 * The returned map holds every requested mask even if another run clears the cache meanwhile.
 */
export async function ensureMasks(requests: readonly MaskRequest[]): Promise<Map<string, CoverageMask>> {
  const collectMissing = () => {
    const missing = new Map<string, MaskRequest>();
    for (const request of requests) if (!masks.has(request.key) && !missing.has(request.key)) missing.set(request.key, request);
    return missing;
  };
  let missing = collectMissing();
  if (masks.size + missing.size > maximumMasks) {
    // Full: start again, keeping room for everything this batch needs.
    masks.clear();
    missing = collectMissing();
  }
  // Taken before awaiting, so a concurrent run that clears the cache cannot take them away.
  const found = new Map<string, CoverageMask>();
  for (const request of requests) {
    const mask = masks.get(request.key);
    if (mask) found.set(request.key, mask);
  }
  if (missing.size === 0) return found;
  const entries = [...missing];
  const rasterized = await rasterizeRecipes(entries.map(([, request]) => request.recipe()));
  entries.forEach(([key], i) => {
    masks.set(key, rasterized[i]!);
    found.set(key, rasterized[i]!);
  });
  return found;
}

/**
 * Rasterizes shapes that are not worth caching (a polygon of one frame's mask) the same way: all
 * of them stacked in one sheet, one librsvg call. Returns one mask per recipe, in order.
 */
export async function rasterizeRecipes(recipes: readonly MaskRecipe[]): Promise<CoverageMask[]> {
  if (recipes.length === 0) return [];
  const cells: { recipe: MaskRecipe; y: number }[] = [];
  let body = '';
  let sheetWidth = 1;
  let sheetHeight = 0;
  for (const recipe of recipes) {
    body += `<g transform="translate(0 ${sheetHeight})">${recipe.svg}</g>`;
    cells.push({ recipe, y: sheetHeight });
    // A gap keeps antialiasing from bleeding between cells.
    sheetHeight += recipe.height + 2;
    sheetWidth = Math.max(sheetWidth, recipe.width);
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${sheetWidth}" height="${sheetHeight}">${body}</svg>`;
  const sharp = await loadSharp();
  const alpha = await sharp(Buffer.from(svg), { density: 72 }).ensureAlpha().extractChannel(3).raw().toBuffer();
  return cells.map(({ recipe, y }) => {
    const mask = new Uint8Array(recipe.width * recipe.height);
    for (let row = 0; row < recipe.height; row++) {
      const start = (y + row) * sheetWidth;
      mask.set(alpha.subarray(start, start + recipe.width), row * recipe.width);
    }
    return { left: recipe.left, top: recipe.top, width: recipe.width, height: recipe.height, alpha: mask };
  });
}
