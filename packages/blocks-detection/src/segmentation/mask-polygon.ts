import { simplifyOutline, traceOuterBorder } from '@vad/core';
import { connectedComponents } from '../reference-comparison/connected-components.js';

export interface PolygonPoint {
  x: number;
  y: number;
}

/**
 * The outer contour of the largest 8-connected component of a binary mask (non-zero = inside), as
 * the centres of its border pixels, clockwise, with the points inside straight runs left out (as
 * OpenCV's CHAIN_APPROX_SIMPLE does). Empty for an empty mask.
 */
export function largestComponentOutline(mask: Uint8Array, width: number, height: number): PolygonPoint[] {
  const { components, labels } = connectedComponents(mask, width, height);
  if (components.length === 0) return [];
  let largest = 0;
  components.forEach((component, index) => {
    if (component.area > components[largest]!.area) largest = index;
  });
  // The component's first pixel in raster order: nothing of it lies west of or above it.
  const { x1, y1 } = components[largest]!;
  let startX = x1;
  while (labels[y1 * width + startX] !== largest) startX++;
  const inside = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height && labels[y * width + x] === largest;
  return simplifyOutline(traceOuterBorder(inside, startX, y1));
}
