import { data as matplotlibColormaps } from 'js-colormaps-es';

/**
 * Colormaps as 256-entry RGB lookup tables (768 bytes: r, g, b per level). The tables are
 * matplotlib's own 256-color `turbo` (Google's Turbo) and `jet`, shipped in the npm package
 * `js-colormaps-es` (MIT), so no approximation stands between a score and its color.
 */

export const colormapNames = ['turbo', 'jet'] as const;
export type ColormapName = (typeof colormapNames)[number];

const tables = new Map<ColormapName, Uint8Array>();

/** The 256-level RGB table of a colormap (built once, shared; do not modify it). */
export function colormapLookupTable(name: ColormapName): Uint8Array {
  let table = tables.get(name);
  if (!table) {
    const colors = matplotlibColormaps[name].colors;
    table = new Uint8Array(256 * 3);
    for (let level = 0; level < 256; level++) {
      // The package's maps have 256 colors; index by position in case a release changes that.
      const color = colors[Math.round((level * (colors.length - 1)) / 255)]!;
      for (let channel = 0; channel < 3; channel++) table[level * 3 + channel] = Math.round(color[channel]! * 255);
    }
    tables.set(name, table);
  }
  return table;
}
