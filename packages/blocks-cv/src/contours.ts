import { externalContours, type OutlinePoint, type VadImage } from '@vad/core';
import { grayBytes } from './grayscale.js';
import { bandOf, bytesOf, imageLike, pipelineOf } from './pixels.js';

/** A contour as OpenCV returns it: an array of points, each `[[x, y]]` (numpy shape N × 1 × 2). */
export type Contour = [[number, number]][];

export interface ContoursResult {
  image: VadImage;
  contours: Contour[];
  /** OpenCV's hierarchy `[[next, previous, first child, parent], …]` inside one more array; null when none. */
  hierarchy: [number, number, number, number][][] | null;
  number_contours: number;
}

/**
 * Roboflow's `contours_detection@v1`: the outer contours (OpenCV's RETR_EXTERNAL,
 * CHAIN_APPROX_SIMPLE) of the image's non-zero grey pixels, drawn in magenta on the grey image.
 */
export async function detectContours(image: VadImage, lineThickness: number): Promise<ContoursResult> {
  const { data, width, height } = await image.pixels();
  const gray = await grayBytes(data, width, height);
  const mask = await bandOf(await pipelineOf(gray, width, height));
  const outlines = externalContours(mask, width, height);
  const contours = outlines.map((outline) => outline.map(({ x, y }): [[number, number]] => [[x, y]]));
  const hierarchy = outlines.length === 0 ? null : [outlines.map((_, i): [number, number, number, number] => [i + 1 < outlines.length ? i + 1 : -1, i - 1, -1, -1])];
  const drawn = outlines.length === 0 ? gray : await drawOutlines(gray, width, height, outlines, lineThickness);
  return { image: imageLike(image, drawn), contours, hierarchy, number_contours: contours.length };
}

/**
 * The outlines drawn in magenta. One pixel wide, as OpenCV's default 8-connected lines: each
 * segment between kept points is a straight run in one of 8 directions, so stepping along it paints
 * exactly the border pixels that were traced. Thicker (or filled, for a negative thickness, as
 * OpenCV's drawContours does) by librsvg without antialiasing; round joins and caps stand in for
 * OpenCV's round thick-line ends, so the outer pixels of a thick line may differ from OpenCV's.
 */
async function drawOutlines(gray: Uint8Array, width: number, height: number, outlines: OutlinePoint[][], thickness: number): Promise<Uint8Array> {
  if (thickness === 0 || thickness === 1) {
    const out = gray.slice();
    const paint = (x: number, y: number) => out.set([255, 0, 255], (y * width + x) * 3);
    for (const outline of outlines) {
      outline.forEach((from, i) => {
        const to = outline[(i + 1) % outline.length]!;
        const steps = Math.max(Math.abs(to.x - from.x), Math.abs(to.y - from.y));
        const dx = Math.sign(to.x - from.x), dy = Math.sign(to.y - from.y);
        for (let k = 0; k <= steps; k++) paint(from.x + k * dx, from.y + k * dy);
      });
    }
    return out;
  }
  const path = outlines.map((outline) => `M${outline.map(({ x, y }) => `${x + 0.5} ${y + 0.5}`).join('L')}Z`).join('');
  const paint = thickness < 0 ? 'fill="#ff00ff" stroke="#ff00ff" stroke-width="1"' : `fill="none" stroke="#ff00ff" stroke-width="${thickness}"`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" shape-rendering="crispEdges"><path d="${path}" ${paint} stroke-linejoin="round" stroke-linecap="round"/></svg>`;
  return bytesOf((await pipelineOf(gray, width, height)).composite([{ input: Buffer.from(svg), top: 0, left: 0 }]));
}
