/** Colormaps as 256-entry RGB lookup tables (768 bytes: r, g, b per level). */

export const colormapNames = ['turbo', 'jet'] as const;
export type ColormapName = (typeof colormapNames)[number];

const clamp01 = (value: number) => (value < 0 ? 0 : value > 1 ? 1 : value);

/**
 * Google's Turbo, through its published polynomial approximation (Mikhailov, 2019), which stays
 * within about 1/255 of the reference table on every channel.
 */
function turbo(x: number): [number, number, number] {
  const x2 = x * x;
  const x3 = x2 * x;
  const x4 = x2 * x2;
  const x5 = x4 * x;
  return [
    0.13572138 + 4.6153926 * x - 42.66032258 * x2 + 132.13108234 * x3 - 152.94239396 * x4 + 59.28637943 * x5,
    0.09140261 + 2.19418839 * x + 4.84296658 * x2 - 14.18503333 * x3 + 4.27729857 * x4 + 2.82956604 * x5,
    0.1066733 + 12.64194608 * x - 60.58204836 * x2 + 110.36276771 * x3 - 89.90310912 * x4 + 27.34824973 * x5,
  ];
}

type Segments = readonly (readonly [number, number])[];
/** Matplotlib's `jet` segment data (position, value) per channel, interpolated linearly. */
const jetSegments: readonly [Segments, Segments, Segments] = [
  [[0, 0], [0.35, 0], [0.66, 1], [0.89, 1], [1, 0.5]],
  [[0, 0], [0.125, 0], [0.375, 1], [0.64, 1], [0.91, 0], [1, 0]],
  [[0, 0.5], [0.11, 1], [0.34, 1], [0.65, 0], [1, 0]],
];

function interpolate(segments: Segments, x: number): number {
  for (let i = 1; i < segments.length; i++) {
    const [x1, y1] = segments[i]!;
    if (x <= x1) {
      const [x0, y0] = segments[i - 1]!;
      return x1 === x0 ? y1 : y0 + ((x - x0) / (x1 - x0)) * (y1 - y0);
    }
  }
  return segments[segments.length - 1]![1];
}

function jet(x: number): [number, number, number] {
  return [interpolate(jetSegments[0], x), interpolate(jetSegments[1], x), interpolate(jetSegments[2], x)];
}

const tables = new Map<ColormapName, Uint8Array>();

/** The 256-level RGB table of a colormap (built once, shared; do not modify it). */
export function colormapLookupTable(name: ColormapName): Uint8Array {
  let table = tables.get(name);
  if (!table) {
    const colormap = name === 'jet' ? jet : turbo;
    table = new Uint8Array(256 * 3);
    for (let level = 0; level < 256; level++) {
      const rgb = colormap(level / 255);
      for (let channel = 0; channel < 3; channel++) table[level * 3 + channel] = Math.round(clamp01(rgb[channel]!) * 255);
    }
    tables.set(name, table);
  }
  return table;
}
