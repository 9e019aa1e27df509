import { labelComponents } from '@vad/core';

/** One 8-connected region of a mask. */
export interface Component {
  /** Inclusive pixel bounds. */
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** Pixels in the region. */
  area: number;
}

/**
 * 8-connected components of the non-zero pixels (@vad/core's `labelComponents`), in raster order
 * of each one's first pixel. Returns the components and a label per pixel: the component's index,
 * -1 for background.
 */
export function connectedComponents(mask: Uint8Array, width: number, height: number): { components: Component[]; labels: Int32Array } {
  const { labels, components } = labelComponents(mask, width, height);
  // core labels from 1 with 0 for background; here labels index `components`.
  for (let i = 0; i < labels.length; i++) labels[i]!--;
  return { components: components.map(({ minX, minY, maxX, maxY, area }) => ({ x1: minX, y1: minY, x2: maxX, y2: maxY, area })), labels };
}
