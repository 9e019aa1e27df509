import { colormapLookupTable, InvalidInputError } from '@vad/core';

/** An 8-bit sRGB color. */
export interface Rgb {
  readonly r: number;
  readonly g: number;
  readonly b: number;
}

/** Supervision's named colors, which Roboflow's blocks accept in upper case. */
const namedColors: Readonly<Record<string, string>> = {
  WHITE: '#FFFFFF',
  BLACK: '#000000',
  RED: '#FF0000',
  GREEN: '#00FF00',
  BLUE: '#0000FF',
  YELLOW: '#FFFF00',
  ROBOFLOW: '#A351FB',
};

function fromHex(hex: string): Rgb | undefined {
  const digits = hex.replace(/^#/, '');
  if (!/^[0-9a-fA-F]{3}$|^[0-9a-fA-F]{6}$/.test(digits)) return undefined;
  const full = digits.length === 3 ? [...digits].map((c) => c + c).join('') : digits;
  return { r: parseInt(full.slice(0, 2), 16), g: parseInt(full.slice(2, 4), 16), b: parseInt(full.slice(4, 6), 16) };
}

function fromTriple(text: string): [number, number, number] | undefined {
  const parts = text.split(',').map((part) => Number(part.trim()));
  if (parts.length !== 3 || parts.some((value) => !Number.isInteger(value) || value < 0 || value > 255)) return undefined;
  return parts as [number, number, number];
}

/**
 * Parses a color as Roboflow's blocks write it: `#RRGGBB` (or `#RGB`), `rgb(R, G, B)`,
 * `bgr(B, G, R)`, or a supervision name (`WHITE`, `BLACK`, `RED`, `GREEN`, `BLUE`, `YELLOW`, `ROBOFLOW`).
 * Returns undefined when the text is none of these.
 */
export function parseColor(text: string): Rgb | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('#')) return fromHex(trimmed);
  const lower = trimmed.toLowerCase();
  if (lower.startsWith('rgb(') && lower.endsWith(')')) {
    const triple = fromTriple(trimmed.slice(4, -1));
    return triple && { r: triple[0], g: triple[1], b: triple[2] };
  }
  if (lower.startsWith('bgr(') && lower.endsWith(')')) {
    const triple = fromTriple(trimmed.slice(4, -1));
    return triple && { r: triple[2], g: triple[1], b: triple[0] };
  }
  const named = namedColors[trimmed.toUpperCase()];
  return named ? fromHex(named) : undefined;
}

/** Like `parseColor`, but a bad color is an `InvalidInputError` that names the property. */
export function requireColor(text: string, where: { stepName?: string; property: string }): Rgb {
  const color = parseColor(text);
  if (!color) {
    throw new InvalidInputError({
      message: `invalid color ${JSON.stringify(text)}: expected #RRGGBB, rgb(R, G, B), bgr(B, G, R) or a name (${Object.keys(namedColors).join(', ')})`,
      ...where,
    });
  }
  return color;
}

/** `#rrggbb` for SVG. */
export function toHex(color: Rgb): string {
  return `#${((1 << 24) | (color.r << 16) | (color.g << 8) | color.b).toString(16).slice(1)}`;
}

function channelLuminance(value: number): number {
  const s = value / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance, 0 (black) to 1 (white). */
export function relativeLuminance(color: Rgb): number {
  return 0.2126 * channelLuminance(color.r) + 0.7152 * channelLuminance(color.g) + 0.0722 * channelLuminance(color.b);
}

/** WCAG contrast ratio between two colors, 1 to 21. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

const white: Rgb = { r: 255, g: 255, b: 255 };
const black: Rgb = { r: 0, g: 0, b: 0 };

/** Black or white, whichever contrasts more with `background`. */
export function contrastingTextColor(background: Rgb): Rgb {
  return contrastRatio(background, white) >= contrastRatio(background, black) ? white : black;
}

/** Supervision's `ColorPalette.DEFAULT` (what Roboflow's `DEFAULT` palette means). */
export const defaultPalette = [
  'A351FB', 'FF4040', 'FFA1A0', 'FF7633', 'FFB633', 'D1D435', '4CFB12', '94CF1A', '40DE8A', '1B9640', '00D6C1',
  '2E9CAA', '00C4FF', '364797', '6675FF', '0019EF', '863AFF', '530087', 'CD3AFF', 'FF97CA', 'FF39C9',
] as const;
/** Supervision's `ColorPalette.ROBOFLOW`: shades of Roboflow purple. */
export const roboflowPalette = ['C28DFC', 'A351FB', '8315F9', '6706CE', '5905B3', '4D049A'] as const;
/** Supervision's `ColorPalette.LEGACY`. */
export const legacyPalette = [
  'A351FB', 'E6194B', '3CB44B', 'FFE119', '0082C8', 'F58231', '911EB4', '46F0F0', 'F032E6', 'D2F53C', 'FABEBE',
  '008080', 'E6BEFF', 'AA6E28', 'FFFAC8', '800000', 'AAFFC3',
] as const;
/** Matplotlib's qualitative maps (their published colors). */
const tab10 = ['1F77B4', 'FF7F0E', '2CA02C', 'D62728', '9467BD', '8C564B', 'E377C2', '7F7F7F', 'BCBD22', '17BECF'];
const tab20 = [
  '1F77B4', 'AEC7E8', 'FF7F0E', 'FFBB78', '2CA02C', '98DF8A', 'D62728', 'FF9896', '9467BD', 'C5B0D5', '8C564B',
  'C49C94', 'E377C2', 'F7B6D2', '7F7F7F', 'C7C7C7', 'BCBD22', 'DBDB8D', '17BECF', '9EDAE5',
];
const set1 = ['E41A1C', '377EB8', '4DAF4A', '984EA3', 'FF7F00', 'FFFF33', 'A65628', 'F781BF', '999999'];
const dark2 = ['1B9E77', 'D95F02', '7570B3', 'E7298A', '66A61E', 'E6AB02', 'A6761D', '666666'];

/** The `color_palette` values this package knows. */
export const paletteNames = [
  'DEFAULT',
  'CUSTOM',
  'ROBOFLOW',
  'LEGACY',
  'Matplotlib Tab10',
  'Matplotlib Tab20',
  'Matplotlib Set1',
  'Matplotlib Dark2',
  'Matplotlib Turbo',
  'Matplotlib Jet',
] as const;
export type PaletteName = (typeof paletteNames)[number];

const fixedPalettes: Partial<Record<PaletteName, readonly string[]>> = {
  DEFAULT: defaultPalette,
  ROBOFLOW: roboflowPalette,
  LEGACY: legacyPalette,
  'Matplotlib Tab10': tab10,
  'Matplotlib Tab20': tab20,
  'Matplotlib Set1': set1,
  'Matplotlib Dark2': dark2,
};

/**
 * The colors of a palette. `palette_size` samples the continuous maps (turbo, jet) evenly, as
 * Roboflow's `Matplotlib …` palettes do; `CUSTOM` uses `custom_colors`.
 */
export function resolvePalette(
  name: PaletteName,
  options: { paletteSize?: number; customColors?: readonly string[]; stepName?: string } = {},
): Rgb[] {
  if (name === 'CUSTOM') {
    const custom = options.customColors ?? [];
    if (custom.length === 0) {
      throw new InvalidInputError({ message: 'color_palette is "CUSTOM" but custom_colors is empty', stepName: options.stepName, property: 'custom_colors' });
    }
    return custom.map((text) => requireColor(text, { stepName: options.stepName, property: 'custom_colors' }));
  }
  const fixed = fixedPalettes[name];
  if (fixed) return fixed.map((hex) => fromHex(hex)!);
  const size = Math.max(1, Math.min(256, Math.round(options.paletteSize ?? 10)));
  const table = colormapLookupTable(name === 'Matplotlib Jet' ? 'jet' : 'turbo');
  return Array.from({ length: size }, (_, i) => {
    const index = size === 1 ? 0 : Math.round((i * 255) / (size - 1));
    return { r: table[index * 3]!, g: table[index * 3 + 1]!, b: table[index * 3 + 2]! };
  });
}

/** A stable 32-bit hash (FNV-1a) of a class name, for class colors when no class id is known. */
export function stableNameHash(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
