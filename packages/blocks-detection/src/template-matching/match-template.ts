import { InvalidInputError, newDetectionId, type Detections, type VadImage } from '@vad/core';
import type { ModelSession } from '@vad/models';
import { createBoxSet } from '../box-set.js';
import { nonMaximumSuppression } from '../overlap-filter.js';
import { buildTemplateMatchModel } from './ncc-graph.js';

let session: Promise<ModelSession> | undefined;
function matchSession(): Promise<ModelSession> {
  session ??= import('@vad/models').then(({ createSessionFromBytes }) => createSessionFromBytes(buildTemplateMatchModel(), { name: 'template matching graph' }));
  return session;
}

export interface TemplateScores {
  /** TM_CCOEFF_NORMED score of the template's top-left corner at each (x, y), row-major. */
  scores: Float32Array;
  /** Score map size: (W − w + 1) × (H − h + 1). */
  width: number;
  height: number;
  /** Top-left corners whose score is at or above the threshold, in row-major order. */
  matches: { x: number; y: number }[];
}

/**
 * OpenCV's `matchTemplate(grey(image), grey(template), TM_CCOEFF_NORMED)` and the corners scoring
 * at least `threshold`; every pixel's work runs in one ONNX graph (ncc-graph.ts).
 */
export async function matchTemplate(image: VadImage, template: VadImage, threshold: number, where: { stepName?: string } = {}): Promise<TemplateScores> {
  if (template.width > image.width || template.height > image.height) {
    throw new InvalidInputError({
      message: `the template (${template.width} × ${template.height}) is larger than the image (${image.width} × ${image.height})`,
      ...where,
      property: 'template',
    });
  }
  const [pixels, templatePixels] = await Promise.all([image.pixels(), template.pixels()]);
  const outputs = await (await matchSession()).run({
    image: { data: pixels.data, dims: [image.height, image.width, 3] },
    template: { data: templatePixels.data, dims: [template.height, template.width, 3] },
    threshold: { data: new Float32Array([threshold]), dims: [] },
  });
  const scores = outputs.scores!.data as Float32Array;
  const [height, width] = outputs.scores!.dims as number[];
  const found = outputs.matches!.data as BigInt64Array;
  const count = found.length / 2;
  const matches = Array.from({ length: count }, (_, i) => ({ x: Number(found[count + i]), y: Number(found[i]) }));
  return { scores, width: width!, height: height!, matches };
}

export interface TemplateMatchingOptions {
  matchingThreshold: number;
  applyNms: boolean;
  nmsThreshold: number;
}

/**
 * Roboflow's template matching: a `template_match` box (class 0, confidence 1, the template's size)
 * at every corner scoring at least the threshold, then optionally NMS. All boxes tie on confidence,
 * and supervision's NMS visits tied boxes last-first (it flips an argsort of equal scores), so the
 * box that survives a cluster is its last in row-major order; the boxes are handed to vad's NMS
 * (ties: lower index first) in reverse order to keep that same box.
 */
export async function templateMatches(image: VadImage, template: VadImage, options: TemplateMatchingOptions, where: { stepName?: string } = {}): Promise<Detections> {
  const { matches } = await matchTemplate(image, template, options.matchingThreshold, where);
  const ordered = matches.reverse();
  const boxes = createBoxSet(ordered.length);
  ordered.forEach(({ x, y }, i) => {
    boxes.corners.set([x, y, x + template.width, y + template.height], i * 4);
    boxes.scores[i] = 1;
  });
  let kept: Uint32Array = Uint32Array.from(ordered.keys());
  if (options.applyNms && ordered.length > 0) kept = nonMaximumSuppression(boxes, { iouThreshold: options.nmsThreshold, classAgnostic: true });
  // Roboflow keeps the surviving boxes in their original (row-major) order.
  const survivors = Array.from(kept).sort((a, b) => b - a);
  const predictions = survivors.map((i) => {
    const { x, y } = ordered[i]!;
    return {
      x: x + template.width / 2,
      y: y + template.height / 2,
      width: template.width,
      height: template.height,
      confidence: 1,
      class: 'template_match',
      class_id: 0,
      detection_id: newDetectionId(),
      parent_id: image.id,
    };
  });
  return { image: { width: image.width, height: image.height }, predictions, ...(image.lineage && { lineage: image.lineage }) };
}
