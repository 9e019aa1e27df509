/**
 * Boxes as typed arrays: the form decoders produce and overlap filters consume. Corners are
 * `x1, y1, x2, y2` in pixels, four numbers per box.
 */
export interface BoxSet {
  readonly count: number;
  readonly corners: Float32Array;
  readonly scores: Float32Array;
  readonly classIds: Int32Array;
  /** The output candidate (anchor) each box was decoded from, where a decoder records it: how a seg head finds a box's mask coefficients. */
  readonly origins?: Int32Array;
}

export function createBoxSet(count: number): BoxSet {
  return { count, corners: new Float32Array(count * 4), scores: new Float32Array(count), classIds: new Int32Array(count) };
}

/** The boxes at `indices`, in that order. */
export function selectBoxes(boxes: BoxSet, indices: ArrayLike<number>): BoxSet {
  const selected = createBoxSet(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i]!;
    selected.corners.set(boxes.corners.subarray(index * 4, index * 4 + 4), i * 4);
    selected.scores[i] = boxes.scores[index]!;
    selected.classIds[i] = boxes.classIds[index]!;
  }
  return boxes.origins ? { ...selected, origins: Int32Array.from(indices, (index) => boxes.origins![index]!) } : selected;
}

/** Several box sets as one, in order. */
export function concatBoxes(sets: readonly BoxSet[]): BoxSet {
  const total = sets.reduce((sum, set) => sum + set.count, 0);
  const joined = createBoxSet(total);
  let at = 0;
  for (const set of sets) {
    joined.corners.set(set.corners.subarray(0, set.count * 4), at * 4);
    joined.scores.set(set.scores.subarray(0, set.count), at);
    joined.classIds.set(set.classIds.subarray(0, set.count), at);
    at += set.count;
  }
  return joined;
}

/** Indices of the boxes ordered by descending score (stable for equal scores). */
export function indicesByScore(boxes: BoxSet): Uint32Array {
  const order = new Uint32Array(boxes.count);
  for (let i = 0; i < order.length; i++) order[i] = i;
  const { scores } = boxes;
  return order.sort((a, b) => scores[b]! - scores[a]! || a - b);
}

/** Intersection over union of box `a` and box `b` of the same corner array. */
export function intersectionOverUnion(corners: Float32Array, a: number, b: number): number {
  return cornersIou(corners[a * 4]!, corners[a * 4 + 1]!, corners[a * 4 + 2]!, corners[a * 4 + 3]!, corners[b * 4]!, corners[b * 4 + 1]!, corners[b * 4 + 2]!, corners[b * 4 + 3]!);
}

/** Intersection over union of two boxes given by their corners (0 when they do not overlap or have no area). */
export function cornersIou(ax1: number, ay1: number, ax2: number, ay2: number, bx1: number, by1: number, bx2: number, by2: number): number {
  const width = Math.min(ax2, bx2) - Math.max(ax1, bx1);
  const height = Math.min(ay2, by2) - Math.max(ay1, by1);
  if (width <= 0 || height <= 0) return 0;
  const intersection = width * height;
  const union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - intersection;
  return union > 0 ? intersection / union : 0;
}
