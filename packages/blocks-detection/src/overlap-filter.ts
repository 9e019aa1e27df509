import { createBoxSet, indicesByScore, intersectionOverUnion, selectBoxes, type BoxSet } from './box-set.js';

export type OverlapFilteringStrategy = 'none' | 'nms' | 'nmm';

export interface OverlapFilterOptions {
  /** Boxes overlapping more than this (intersection over union) are suppressed or merged. */
  iouThreshold: number;
  /** When true, boxes of different classes also suppress each other. Default false (class-aware). */
  classAgnostic?: boolean;
  /** Keep at most this many boxes (highest scores first). */
  maxDetections?: number;
}

/**
 * Greedy non-maximum suppression: boxes in descending score order; each kept box removes the
 * later boxes of its class whose IoU with it exceeds the threshold. Returns the kept indices,
 * best first.
 */
export function nonMaximumSuppression(boxes: BoxSet, options: OverlapFilterOptions): Uint32Array {
  const order = indicesByScore(boxes);
  const suppressed = new Uint8Array(boxes.count);
  const kept: number[] = [];
  const limit = options.maxDetections ?? Number.POSITIVE_INFINITY;
  const { corners, classIds } = boxes;
  for (let i = 0; i < order.length && kept.length < limit; i++) {
    const best = order[i]!;
    if (suppressed[best]) continue;
    kept.push(best);
    for (let j = i + 1; j < order.length; j++) {
      const other = order[j]!;
      if (suppressed[other]) continue;
      if (!options.classAgnostic && classIds[other] !== classIds[best]) continue;
      if (intersectionOverUnion(corners, best, other) > options.iouThreshold) suppressed[other] = 1;
    }
  }
  return Uint32Array.from(kept);
}

/**
 * Non-maximum merging (supervision's NMM): like NMS, but each box that would be suppressed is
 * merged into the best box of its group instead: the merged box is the union of the group's boxes,
 * its score the area-weighted mean of theirs, its class the best box's class. Groups are found by
 * IoU with the group's best box.
 */
export function nonMaximumMerge(boxes: BoxSet, options: OverlapFilterOptions): BoxSet {
  const order = indicesByScore(boxes);
  const used = new Uint8Array(boxes.count);
  const { corners, classIds, scores } = boxes;
  const limit = options.maxDetections ?? Number.POSITIVE_INFINITY;
  const merged = createBoxSet(boxes.count);
  let count = 0;
  for (let i = 0; i < order.length && count < limit; i++) {
    const best = order[i]!;
    if (used[best]) continue;
    used[best] = 1;
    let x1 = corners[best * 4]!, y1 = corners[best * 4 + 1]!, x2 = corners[best * 4 + 2]!, y2 = corners[best * 4 + 3]!;
    let area = (x2 - x1) * (y2 - y1);
    let weightedScore = scores[best]! * area;
    let totalArea = area;
    for (let j = i + 1; j < order.length; j++) {
      const other = order[j]!;
      if (used[other]) continue;
      if (!options.classAgnostic && classIds[other] !== classIds[best]) continue;
      if (intersectionOverUnion(corners, best, other) <= options.iouThreshold) continue;
      used[other] = 1;
      const ox1 = corners[other * 4]!, oy1 = corners[other * 4 + 1]!, ox2 = corners[other * 4 + 2]!, oy2 = corners[other * 4 + 3]!;
      area = (ox2 - ox1) * (oy2 - oy1);
      weightedScore += scores[other]! * area;
      totalArea += area;
      x1 = Math.min(x1, ox1);
      y1 = Math.min(y1, oy1);
      x2 = Math.max(x2, ox2);
      y2 = Math.max(y2, oy2);
    }
    merged.corners.set([x1, y1, x2, y2], count * 4);
    merged.scores[count] = totalArea > 0 ? weightedScore / totalArea : scores[best]!;
    merged.classIds[count] = classIds[best]!;
    count++;
  }
  return { count, corners: merged.corners.subarray(0, count * 4), scores: merged.scores.subarray(0, count), classIds: merged.classIds.subarray(0, count) };
}

/** Applies one strategy; `none` keeps every box (best first, up to `maxDetections`). */
export function filterOverlaps(boxes: BoxSet, strategy: OverlapFilteringStrategy, options: OverlapFilterOptions): BoxSet {
  if (strategy === 'nmm') return nonMaximumMerge(boxes, options);
  if (strategy === 'nms') return selectBoxes(boxes, nonMaximumSuppression(boxes, options));
  const order = indicesByScore(boxes);
  return selectBoxes(boxes, options.maxDetections === undefined ? order : order.subarray(0, options.maxDetections));
}
