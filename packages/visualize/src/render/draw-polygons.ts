import type { Rgb } from '../colors.js';
import type { RgbCanvas } from './canvas.js';
import { rasterizeRecipes, type MaskRecipe } from './coverage-masks.js';

export interface PolygonPoint {
  readonly x: number;
  readonly y: number;
}

/** A polygon or polyline to draw, its points in canvas pixels (a point names a pixel's centre, as OpenCV's). */
export interface PolygonShape {
  readonly points: readonly PolygonPoint[];
  readonly color: Rgb;
  /** `fill`: the area inside the outline and the outline's pixels; else a stroke this many pixels wide. */
  readonly paint: 'fill' | { readonly thickness: number; readonly closed: boolean };
  /** Opacity of the color (1: opaque). */
  readonly opacity?: number;
}

/**
 * The shape's coverage, rasterized by librsvg over only the part of the canvas it covers. A fill
 * also strokes its outline one pixel wide, so the border pixels the outline runs through are
 * covered whole, as in the binary mask the outline was traced from.
 */
function recipeOf(shape: PolygonShape, canvas: RgbCanvas): MaskRecipe | undefined {
  const reach = shape.paint === 'fill' ? 1 : shape.paint.thickness / 2 + 1;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const { x, y } of shape.points) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  const left = Math.max(0, Math.floor(minX - reach));
  const top = Math.max(0, Math.floor(minY - reach));
  const right = Math.min(canvas.width, Math.ceil(maxX + reach) + 1);
  const bottom = Math.min(canvas.height, Math.ceil(maxY + reach) + 1);
  if (right <= left || bottom <= top) return undefined;
  const path = shape.points.map(({ x, y }, i) => `${i === 0 ? 'M' : 'L'}${(x - left + 0.5).toFixed(2)} ${(y - top + 0.5).toFixed(2)}`).join('');
  const svg =
    shape.paint === 'fill'
      ? `<path d="${path}Z" fill="#fff" stroke="#fff" stroke-width="1" stroke-linejoin="round"/>`
      : `<path d="${path}${shape.paint.closed ? 'Z' : ''}" fill="none" stroke="#fff" stroke-width="${shape.paint.thickness}" stroke-linejoin="round" stroke-linecap="round"/>`;
  return { left, top, width: right - left, height: bottom - top, svg };
}

/** Draws polygons and polylines in order, each rasterized once (all in one librsvg call) and blended in its color. */
export async function drawPolygons(canvas: RgbCanvas, shapes: readonly PolygonShape[]): Promise<void> {
  const drawn = shapes.filter((shape) => shape.points.length >= (shape.paint === 'fill' ? 3 : 2));
  const recipes = drawn.map((shape) => recipeOf(shape, canvas));
  const placed = drawn.map((shape, i) => ({ shape, recipe: recipes[i] })).filter((entry): entry is { shape: PolygonShape; recipe: MaskRecipe } => entry.recipe !== undefined);
  const masks = await rasterizeRecipes(placed.map(({ recipe }) => recipe));
  placed.forEach(({ shape }, i) => {
    const mask = masks[i]!;
    canvas.blendMask(mask.alpha, mask.width, mask.height, mask.left, mask.top, shape.color, shape.opacity ?? 1);
  });
}
