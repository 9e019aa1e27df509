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
 * 8-connected components of the non-zero pixels, two-pass with union–find over row runs.
 * Returns the components and a label per pixel (-1 for background).
 */
export function connectedComponents(mask: Uint8Array, width: number, height: number): { components: Component[]; labels: Int32Array } {
  const labels = new Int32Array(width * height).fill(-1);
  const parent: number[] = [];
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]!]!;
      a = parent[a]!;
    }
    return a;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!mask[i]) continue;
      let label = -1;
      // already-labelled neighbours: left, and the three above
      const neighbours = [x > 0 ? i - 1 : -1, y > 0 && x > 0 ? i - width - 1 : -1, y > 0 ? i - width : -1, y > 0 && x < width - 1 ? i - width + 1 : -1];
      for (const n of neighbours) {
        if (n < 0) continue;
        const other = labels[n]!;
        if (other < 0) continue;
        if (label < 0) label = other;
        else if (other !== label) union(label, other);
      }
      if (label < 0) {
        label = parent.length;
        parent.push(label);
      }
      labels[i] = label;
    }
  }
  const index = new Int32Array(parent.length).fill(-1);
  const components: Component[] = [];
  for (let i = 0; i < labels.length; i++) {
    if (labels[i]! < 0) continue;
    const root = find(labels[i]!);
    let k = index[root]!;
    const x = i % width;
    const y = (i - x) / width;
    if (k < 0) {
      k = index[root] = components.length;
      components.push({ x1: x, y1: y, x2: x, y2: y, area: 0 });
    }
    const c = components[k]!;
    c.area++;
    if (x < c.x1) c.x1 = x;
    if (x > c.x2) c.x2 = x;
    if (y > c.y2) c.y2 = y;
    labels[i] = k;
  }
  return { components, labels };
}
