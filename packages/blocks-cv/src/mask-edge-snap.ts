import {
  defineBlock,
  detectionMask,
  encodeMask,
  externalContours,
  field,
  fillPolygon,
  kinds,
  labelComponents,
  newDetectionId,
  polygonArea,
  traceOuterBorder,
  z,
  type Detection,
  type Detections,
  type VadImage,
} from '@vad/core';
import { edgeMap, maskMorphology } from './edge-snap-graph.js';
import { grayBytes } from './grayscale.js';
import { ellipseElement } from './morphology.js';
import { bandOf, pipelineOf } from './pixels.js';

export interface EdgeSnapOptions {
  pixelTolerance: number;
  sigma: number;
  minContourArea: number;
  dilationIterations: number;
  boundaryBandWidth: number;
  adaptiveWindowSize: number;
}

/** Points this far along the contour on either side give its tangent (Roboflow's TANGENT_WINDOW). */
const tangentWindow = 5;

/**
 * Roboflow's mask_edge_snap: Sobel edges kept where they beat their neighbourhood (mean + sigma ·
 * std), closed and thinned (ONNX graph), limited to a band of ±boundary_band_width around every
 * mask's border and to 8-connected pieces whose outer contour encloses at least min_contour_area;
 * then every border pixel of every mask moves along its normal, up to pixel_tolerance either way,
 * to the edge pixel of the best magnitude × (1 − d / (tolerance + 1)), and the moved outline is
 * filled again. Returns the refined detections and one `edges` detection holding the edge pixels.
 */
export async function snapMasksToEdges(image: VadImage, segmentation: Detections, options: EdgeSnapOptions): Promise<{ refined: Detections; edges: Detections }> {
  const { data, width, height } = await image.pixels();
  const gray = await bandOf(await pipelineOf(await grayBytes(data, width, height), width, height));
  const masks = segmentation.predictions.map((detection) => detectionMask(detection, width, height));
  const present = masks.filter((mask): mask is Uint8Array => mask !== undefined);
  const tolerance = Math.trunc(options.pixelTolerance);

  // The band: pixels within the element's reach of some mask's border (dilated and not eroded).
  let band: Uint8Array | undefined;
  if (present.length > 0) {
    band = new Uint8Array(width * height);
    const element = ellipseElement(2 * Math.max(1, Math.trunc(options.boundaryBandWidth)) + 1);
    for (const mask of present) {
      const { dilated, eroded } = await maskMorphology(mask, width, height, element);
      for (let i = 0; i < band.length; i++) if (dilated[i] && !eroded[i]) band[i] = 1;
    }
  }

  let window = Math.max(3, Math.trunc(options.adaptiveWindowSize));
  if (window % 2 === 0) window++;
  // A reflected border needs the image to be wider than half the window.
  window = Math.min(window, 2 * Math.floor((Math.min(width, height) - 1) / 2) + 1);
  const { magnitude, edges } = await edgeMap(gray, width, height, { window: Math.max(1, window), sigma: options.sigma, closing: Math.max(0, Math.trunc(options.dilationIterations)) });
  if (band) for (let i = 0; i < edges.length; i++) edges[i] = edges[i]! & band[i]!;
  const snapRegion = keepLargePieces(edges, width, height, Math.max(0, options.minContourArea));

  const edgesDetections = edgeDetections(snapRegion, width, height, segmentation.predictions[0]?.parent_id ?? image.id);
  if (present.length === 0) return { refined: segmentation, edges: edgesDetections };

  const disk = diskElement(tolerance);
  const neighbourhood = [[1, 1, 1], [1, 1, 1], [1, 1, 1]];
  const predictions: Detection[] = [];
  for (const [index, detection] of segmentation.predictions.entries()) {
    const mask = masks[index];
    if (!mask) {
      predictions.push(detection);
      continue;
    }
    // dist ≤ tolerance ⇔ not in the erosion by a disc of that radius; outside the dilated mask anything goes.
    const { eroded: deepInside } = await maskMorphology(mask, width, height, disk);
    const { dilated: near } = await maskMorphology(mask, width, height, neighbourhood);
    const valid = (x: number, y: number) => {
      const i = y * width + x;
      return snapRegion[i] === 1 && (deepInside[i] === 0 || near[i] === 0);
    };
    const refined = new Uint8Array(width * height);
    for (const contour of borderContours(mask, width, height)) {
      const moved = contour.map((point, i) => {
        const previous = contour[(i - tangentWindow + contour.length * tangentWindow) % contour.length]!;
        const next = contour[(i + tangentWindow) % contour.length]!;
        const tx = next.x - previous.x, ty = next.y - previous.y;
        const length = Math.hypot(tx, ty);
        if (length < 1e-6) return point;
        const nx = -ty / length, ny = tx / length;
        let best = 0;
        let target = point;
        for (const sign of [1, -1]) {
          for (let d = 1; d <= tolerance; d++) {
            const sx = Math.round(point.x + sign * nx * d), sy = Math.round(point.y + sign * ny * d);
            if (sx < 0 || sy < 0 || sx >= width || sy >= height || !valid(sx, sy)) continue;
            const score = magnitude[sy * width + sx]! * (1 - d / (tolerance + 1));
            if (score > best) {
              best = score;
              target = { x: sx, y: sy };
            }
          }
        }
        return target;
      });
      const filled = fillPolygon(moved, width, height);
      for (let i = 0; i < refined.length; i++) refined[i] = refined[i]! | filled[i]!;
    }
    predictions.push({ ...detection, points: largestOutline(refined, width, height), rle_mask: encodeMask({ data: refined, width, height }, width, height) });
  }
  return { refined: { ...segmentation, image: { width, height }, predictions }, edges: edgesDetections };
}

/** Every border pixel of each 8-connected region, clockwise (OpenCV's CHAIN_APPROX_NONE). */
function borderContours(mask: Uint8Array, width: number, height: number) {
  const { labels, components } = labelComponents(mask, width, height);
  return components.map((component) => {
    let startX = component.minX;
    while (labels[component.minY * width + startX] !== component.label) startX++;
    const inside = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height && labels[y * width + x] === component.label;
    return traceOuterBorder(inside, startX, component.minY);
  });
}

/** The 8-connected pieces of an edge map whose outer contour encloses at least `minimumArea` (cv2.contourArea). */
function keepLargePieces(edges: Uint8Array, width: number, height: number, minimumArea: number): Uint8Array {
  const { labels, components } = labelComponents(edges, width, height);
  const kept = new Uint8Array(width * height);
  for (const component of components) {
    const w = component.maxX - component.minX + 1, h = component.maxY - component.minY + 1;
    const crop = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) crop[y * w + x] = labels[(component.minY + y) * width + component.minX + x] === component.label ? 1 : 0;
    let area = 0;
    for (const contour of externalContours(crop, w, h)) area = Math.max(area, polygonArea(contour.map((p) => [p.x, p.y] as const)));
    if (area < minimumArea) continue;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (crop[y * w + x]) kept[(component.minY + y) * width + component.minX + x] = 1;
  }
  return kept;
}

/** OpenCV's DIST_L2 reach: offsets within `radius` of the centre. */
function diskElement(radius: number): number[][] {
  return Array.from({ length: 2 * radius + 1 }, (_, i) => Array.from({ length: 2 * radius + 1 }, (_, j) => ((i - radius) ** 2 + (j - radius) ** 2 <= radius * radius ? 1 : 0)));
}

function largestOutline(mask: Uint8Array, width: number, height: number) {
  let best: Array<{ x: number; y: number }> = [];
  let bestArea = -1;
  for (const contour of externalContours(mask, width, height)) {
    const area = polygonArea(contour.map((p) => [p.x, p.y] as const));
    if (area > bestArea) {
      bestArea = area;
      best = contour;
    }
  }
  return best;
}

/** Roboflow's `edges` output: one detection (class "edges") over every surviving edge pixel, or none. */
function edgeDetections(region: Uint8Array, width: number, height: number, parentId: string): Detections {
  let minX = width, minY = height, maxX = -1, maxY = -1;
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    if (!region[y * width + x]) continue;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  if (maxX < 0) return { image: { width, height }, predictions: [] };
  const w = maxX + 1 - minX, h = maxY + 1 - minY;
  return {
    image: { width, height },
    predictions: [
      { x: minX + w / 2, y: minY + h / 2, width: w, height: h, confidence: 1, class: 'edges', class_id: 0, detection_id: newDetectionId(), parent_id: parentId, rle_mask: encodeMask({ data: region, width, height }, width, height) },
    ],
  };
}

const rangeOf = (min: number, max: number) => (value: number) => value >= min && value <= max;

/** Roboflow's mask_edge_snap@v1. */
export const maskEdgeSnap = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/mask_edge_snap@v1',
  aliases: ['roboflow_core/mask_edge_snap@v1'],
  title: 'Mask Edge Snap',
  description:
    'Refines instance segmentation masks: Sobel edges over an adaptive threshold (mean + sigma · std in a window), closed and thinned, kept near the masks’ borders; each border point moves along its normal to the strongest nearby edge.',
  manifest: {
    image: field.image({ aliases: ['images'], description: 'Image whose edges the masks snap to (no preprocessing is applied)' }),
    segmentation: field.selector<Detections>([kinds.instanceSegmentationPrediction, kinds.rleInstanceSegmentationPrediction], {
      description: 'Instance segmentation predictions (masks as rle_mask or points); without any, passed through unchanged',
    }),
    pixel_tolerance: field.parameter(z.number().int().refine(rangeOf(1, 100), 'pixel_tolerance must be between 1 and 100').default(15), [kinds.integer]),
    sigma: field.parameter(z.number().refine(rangeOf(0.01, 10), 'sigma must be between 0.01 and 10.0').default(1), [kinds.float]),
    min_contour_area: field.parameter(z.number().refine(rangeOf(0, 10000), 'min_contour_area must be between 0.0 and 10000.0').default(50), [kinds.float]),
    dilation_iterations: field.parameter(z.number().int().refine(rangeOf(0, 20), 'dilation_iterations must be between 0 and 20').default(2), [kinds.integer]),
    boundary_band_width: field.parameter(z.number().int().refine(rangeOf(1, 100), 'boundary_band_width must be between 1 and 100').default(15), [kinds.integer]),
    adaptive_window_size: field.parameter(z.number().int().refine(rangeOf(3, 201), 'adaptive_window_size must be between 3 and 201').default(41), [kinds.integer]),
  },
  outputs: {
    refined_segmentation: { kinds: [kinds.instanceSegmentationPrediction] },
    edges: { kinds: [kinds.instanceSegmentationPrediction] },
  },
  create: () => ({
    async run(inputs) {
      const { refined, edges } = await snapMasksToEdges(inputs.image, inputs.segmentation, {
        pixelTolerance: inputs.pixel_tolerance,
        sigma: inputs.sigma,
        minContourArea: inputs.min_contour_area,
        dilationIterations: inputs.dilation_iterations,
        boundaryBandWidth: inputs.boundary_band_width,
        adaptiveWindowSize: inputs.adaptive_window_size,
      });
      return { refined_segmentation: refined, edges };
    },
  }),
});
