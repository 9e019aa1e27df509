import { approximatePolygon, externalContours, newDetectionId, perimeter, polygonArea, type Detections, type PolygonPoint } from '@vad/core';
import type { ForegroundMask } from './background-model.js';
import { openMask } from './morphology.js';
import { bandOf, pipelineOf } from './pixels.js';

export interface MotionOptions {
  minimumContourArea: number;
  morphologicalKernelSize: number;
  /** Polygon [[x, y], …] that motion is clipped to; undefined or empty: the whole frame. */
  detectionZone?: readonly PolygonPoint[] | undefined;
}

export interface MotionRegions {
  /** Any moving region left after the area filter and the zone. */
  motion: boolean;
  detections: Detections;
  /** Each region's simplified outline, [[x, y], …]. */
  motion_zones: [number, number][][];
}


/**
 * `subject` clipped to the convex polygon `clip` (Sutherland–Hodgman), vertices truncated to
 * integers as Roboflow truncates shapely's intersection. Empty when they do not overlap.
 */
export function clipToZone(subject: readonly PolygonPoint[], clip: readonly PolygonPoint[]): PolygonPoint[] {
  const orientation = Math.sign(clip.reduce((sum, [x, y], i) => sum + x * clip[(i + 1) % clip.length]![1] - clip[(i + 1) % clip.length]![0] * y, 0)) || 1;
  let output: PolygonPoint[] = [...subject];
  clip.forEach((a, i) => {
    const b = clip[(i + 1) % clip.length]!;
    const side = ([x, y]: PolygonPoint) => orientation * ((b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]));
    const input = output;
    output = [];
    input.forEach((current, j) => {
      const previous = input[(j + input.length - 1) % input.length]!;
      const inCurrent = side(current) >= 0, inPrevious = side(previous) >= 0;
      if (inCurrent !== inPrevious) {
        const t = side(previous) / (side(previous) - side(current));
        output.push([previous[0] + t * (current[0] - previous[0]), previous[1] + t * (current[1] - previous[1])]);
      }
      if (inCurrent) output.push(current);
    });
  });
  if (polygonArea(output) === 0) return [];
  const truncated = output.map(([x, y]): PolygonPoint => [Math.trunc(x), Math.trunc(y)]);
  return truncated.filter((p, i) => i === 0 || p[0] !== truncated[i - 1]![0] || p[1] !== truncated[i - 1]![1]);
}

/**
 * Roboflow's `motion_detection@v1` after the background model: the mask (shadows included) opened
 * with an elliptical element, its outer contours, those larger than the minimum area, clipped to the
 * zone, simplified (approxPolyDP, 1% of the perimeter), and a "motion" box around each.
 */
export async function motionRegions(mask: ForegroundMask, parentId: string, { minimumContourArea, morphologicalKernelSize, detectionZone }: MotionOptions): Promise<MotionRegions> {
  const { width, height } = mask;
  const band = await bandOf(await pipelineOf(mask.data, width, height));
  const opened = await openMask(band, width, height, morphologicalKernelSize);
  let contours: PolygonPoint[][] = externalContours(opened, width, height)
    .map((outline) => outline.map(({ x, y }): PolygonPoint => [x, y]))
    .filter((contour) => contour.length > 0 && polygonArea(contour) > minimumContourArea);
  if (detectionZone && detectionZone.length > 0) {
    contours = contours.filter((contour) => contour.length >= 3).map((contour) => clipToZone(contour, detectionZone)).filter((clipped) => clipped.length >= 3);
  }
  const simplified = contours.map((contour) => approximatePolygon(contour, 0.01 * perimeter(contour))).filter((polygon) => polygon.length >= 3);
  const predictions = simplified.map((polygon) => {
    const xs = polygon.map(([x]) => x), ys = polygon.map(([, y]) => y);
    const x1 = Math.min(...xs), y1 = Math.min(...ys), x2 = Math.max(...xs) + 1, y2 = Math.max(...ys) + 1;
    return { x: (x1 + x2) / 2, y: (y1 + y2) / 2, width: x2 - x1, height: y2 - y1, confidence: 1, class: 'motion', class_id: 0, detection_id: newDetectionId(), parent_id: parentId };
  });
  return {
    motion: contours.length > 0,
    detections: { image: { width, height }, predictions },
    motion_zones: simplified.map((polygon) => polygon.map(([x, y]): [number, number] => [x, y])),
  };
}
