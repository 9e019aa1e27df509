/** A connected region of a binary mask. Coordinates are inclusive pixel indices. */
export interface Component {
  /** 1-based label, as written in `labels`. */
  readonly label: number;
  readonly area: number;
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
}

export interface ComponentLabels {
  /** Per pixel: 0 for background, else the 1-based label of its component. */
  readonly labels: Int32Array;
  readonly components: Component[];
}

/**
 * Labels the 8-connected components of a binary mask (`mask[i] !== 0` is foreground) in two passes
 * with a union-find over provisional labels. Labels are numbered in raster order of each
 * component's first pixel.
 */
export function labelComponents(mask: Uint8Array, width: number, height: number): ComponentLabels {
  const labels = new Int32Array(width * height);
  // parent[label] for provisional labels; grows as needed.
  let parent = new Int32Array(256);
  let next = 1;
  const find = (label: number): number => {
    let root = label;
    while (parent[root] !== root) root = parent[root]!;
    while (parent[label] !== root) {
      const up = parent[label]!;
      parent[label] = root;
      label = up;
    }
    return root;
  };
  const union = (a: number, b: number): number => {
    const rootA = find(a);
    const rootB = find(b);
    if (rootA === rootB) return rootA;
    const low = Math.min(rootA, rootB);
    parent[Math.max(rootA, rootB)] = low;
    return low;
  };
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const index = row + x;
      if (mask[index] === 0) continue;
      let label = 0;
      // Neighbours already visited: west, north-west, north, north-east.
      if (x > 0 && labels[index - 1]! > 0) label = labels[index - 1]!;
      if (y > 0) {
        const above = index - width;
        for (const neighbour of [x > 0 ? labels[above - 1]! : 0, labels[above]!, x + 1 < width ? labels[above + 1]! : 0]) {
          if (neighbour > 0) label = label === 0 ? neighbour : union(label, neighbour);
        }
      }
      if (label === 0) {
        if (next >= parent.length) {
          const grown = new Int32Array(parent.length * 2);
          grown.set(parent);
          parent = grown;
        }
        parent[next] = next;
        label = next++;
      }
      labels[index] = label;
    }
  }
  // Second pass: resolve roots, renumber densely, gather statistics.
  const finalLabel = new Int32Array(next);
  const components: { label: number; area: number; minX: number; minY: number; maxX: number; maxY: number }[] = [];
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const index = row + x;
      const provisional = labels[index]!;
      if (provisional === 0) continue;
      const root = find(provisional);
      let label = finalLabel[root]!;
      if (label === 0) {
        label = components.length + 1;
        finalLabel[root] = label;
        components.push({ label, area: 0, minX: x, minY: y, maxX: x, maxY: y });
      }
      labels[index] = label;
      const component = components[label - 1]!;
      component.area++;
      if (x < component.minX) component.minX = x;
      if (x > component.maxX) component.maxX = x;
      if (y > component.maxY) component.maxY = y;
    }
  }
  return { labels, components };
}
