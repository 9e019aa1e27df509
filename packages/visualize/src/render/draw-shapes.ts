import type { Rgb } from '../colors.js';
import type { RgbCanvas } from './canvas.js';
import { ensureMasks, type MaskRequest } from './coverage-masks.js';

/** A shape to blend once its coverage mask is ready; (x, y) is the point the mask is centred on. */
export interface PlacedShape {
  readonly request: MaskRequest;
  readonly x: number;
  readonly y: number;
  readonly color: Rgb;
}

/**
 * An antialiased disc of radius `radius` (filled) or a ring of stroke width `thickness` centred on
 * that radius, as OpenCV's `cv2.circle` draws them. Keyed by size only, so dots and circles of the
 * same size reuse one mask across boxes and frames.
 */
export function circleRequest(radius: number, thickness: number | 'filled'): MaskRequest {
  return {
    key: `circle:${radius}:${thickness}`,
    recipe: () => {
      const extent = Math.ceil(radius + (thickness === 'filled' ? 0 : thickness / 2)) + 1;
      const size = extent * 2 + 1;
      const centre = extent + 0.5;
      const paint = thickness === 'filled' ? 'fill="#fff"' : `fill="none" stroke="#fff" stroke-width="${thickness}"`;
      return { left: -extent, top: -extent, width: size, height: size, svg: `<circle cx="${centre}" cy="${centre}" r="${radius}" ${paint}/>` };
    },
  };
}

/** Blends shapes from cached masks (rasterizing the new ones in one librsvg call), in order. */
export async function drawShapes(canvas: RgbCanvas, shapes: readonly PlacedShape[]): Promise<void> {
  if (shapes.length === 0) return;
  const masks = await ensureMasks(shapes.map((shape) => shape.request));
  for (const shape of shapes) {
    const mask = masks.get(shape.request.key);
    if (mask) canvas.blendMask(mask.alpha, mask.width, mask.height, Math.round(shape.x) + mask.left, Math.round(shape.y) + mask.top, shape.color);
  }
}
