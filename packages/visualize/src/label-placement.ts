/** A label's rectangle on the image, in whole pixels. */
export interface LabelRect {
  left: number;
  top: number;
  readonly width: number;
  readonly height: number;
}

const intersects = (a: LabelRect, b: LabelRect) => a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;

/**
 * Moves labels so they do not cover one another: labels keep their place in the given order of
 * priority, and a later label that overlaps an earlier one is moved just above it, or just below
 * when there is no room above, a few times at most; one that still overlaps goes back to its
 * anchored place. Rectangles are changed in place and stay inside the image.
 */
export function separateLabels(rects: readonly LabelRect[], imageWidth: number, imageHeight: number, attempts = 8): void {
  const settled: LabelRect[] = [];
  for (const rect of rects) {
    const anchored = { left: rect.left, top: rect.top };
    let ok = false;
    for (let attempt = 0; attempt <= attempts; attempt++) {
      const other = settled.find((placed) => intersects(rect, placed));
      if (!other) {
        ok = true;
        break;
      }
      const above = other.top - rect.height;
      rect.top = above >= 0 ? above : Math.min(imageHeight - rect.height, other.top + other.height);
      rect.top = Math.max(0, rect.top);
      rect.left = Math.max(0, Math.min(imageWidth - rect.width, rect.left));
    }
    if (!ok) {
      rect.left = anchored.left;
      rect.top = anchored.top;
    }
    settled.push(rect);
  }
}
