import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import opentype from 'opentype.js';
import { InvalidInputError } from '@vad/core';

/**
 * Text is drawn with Roboto, shipped in the npm package `@fontsource/roboto` (SIL OFL 1.1), parsed
 * with opentype.js and emitted as SVG glyph paths. librsvg then rasterizes paths, never text, so the
 * result does not depend on fontconfig or on the fonts a machine happens to have.
 */

export type FontWeight = 500 | 700;

/** Unicode subsets that @fontsource/roboto ships, tried in this order for each character. */
const subsets = ['latin', 'latin-ext', 'greek', 'cyrillic'] as const;
type Subset = (typeof subsets)[number];

const require = createRequire(import.meta.url);
const fonts = new Map<string, opentype.Font>();

function loadFont(subset: Subset, weight: FontWeight): opentype.Font {
  const key = `${subset}-${weight}`;
  let font = fonts.get(key);
  if (!font) {
    const specifier = `@fontsource/roboto/files/roboto-${subset}-${weight}-normal.woff`;
    let bytes: Buffer;
    try {
      bytes = readFileSync(require.resolve(specifier));
    } catch (cause) {
      throw new InvalidInputError({ message: `the font file ${specifier} could not be read; reinstall @vad/visualize`, path: specifier, cause });
    }
    font = opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    fonts.set(key, font);
  }
  return font;
}

/** Font metrics as fractions of the font size. */
export interface FontMetrics {
  readonly capHeight: number;
  readonly ascender: number;
  readonly descender: number;
}

export function fontMetrics(weight: FontWeight): FontMetrics {
  const font = loadFont('latin', weight);
  const os2 = font.tables['os2'] as { sCapHeight?: number } | undefined;
  return {
    capHeight: (os2?.sCapHeight ?? 0.711 * font.unitsPerEm) / font.unitsPerEm,
    ascender: font.ascender / font.unitsPerEm,
    descender: -font.descender / font.unitsPerEm,
  };
}

/** Glyph outlines are cached as SVG path data in a 100-unit em, with y pointing down. */
const glyphEm = 100;
const glyphPaths = new Map<string, string>();
/** Outline bounds in units of the font size, y pointing down (top is negative above the baseline). */
export interface GlyphBounds {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}
const glyphBoundsById = new Map<string, GlyphBounds>();

/** One glyph placed on a line, in units of the font size (multiply by the size for pixels). */
export interface PlacedGlyph {
  /** Id of the glyph's outline (an SVG `<path id>` in the sheet's `<defs>`). */
  readonly id: string;
  readonly x: number;
}

export interface TextLine {
  readonly glyphs: readonly PlacedGlyph[];
  /** Advance width in units of the font size. */
  readonly width: number;
}

const lines = new Map<string, TextLine>();
const maximumCachedLines = 4096;

/** Lays out one line of text: the glyphs with their pen positions and the advance width. */
export function layoutLine(text: string, weight: FontWeight): TextLine {
  const key = `${weight}\u0000${text}`;
  const cached = lines.get(key);
  if (cached) return cached;
  const glyphs: PlacedGlyph[] = [];
  let pen = 0;
  let previous: { font: opentype.Font; glyph: opentype.Glyph } | undefined;
  for (const character of text) {
    let font = loadFont('latin', weight);
    let index = font.charToGlyphIndex(character);
    let subset: Subset = 'latin';
    for (let s = 1; index <= 0 && s < subsets.length; s++) {
      const candidate = loadFont(subsets[s]!, weight);
      const candidateIndex = candidate.charToGlyphIndex(character);
      if (candidateIndex > 0) {
        font = candidate;
        index = candidateIndex;
        subset = subsets[s]!;
      }
    }
    if (index <= 0) {
      // No subset has it: fall back to a question mark rather than an empty box.
      font = loadFont('latin', weight);
      index = font.charToGlyphIndex('?');
      subset = 'latin';
    }
    const glyph = font.glyphs.get(index);
    const scale = 1 / font.unitsPerEm;
    if (previous && previous.font === font) pen += font.getKerningValue(previous.glyph, glyph) * scale;
    const id = `g${weight}${subset.replace('-', '')}${index}`;
    if (!glyphPaths.has(id)) {
      const path = glyph.getPath(0, 0, glyphEm);
      glyphPaths.set(id, path.toPathData(1));
      const box = path.getBoundingBox();
      glyphBoundsById.set(id, { left: box.x1 / glyphEm, top: box.y1 / glyphEm, right: box.x2 / glyphEm, bottom: box.y2 / glyphEm });
    }
    if (glyph.path && (glyph.path as opentype.Path).commands?.length) glyphs.push({ id, x: pen });
    pen += (glyph.advanceWidth ?? 0) * scale;
    previous = { font, glyph };
  }
  const line = { glyphs, width: pen };
  if (lines.size >= maximumCachedLines) lines.clear();
  lines.set(key, line);
  return line;
}

/** Bounds of a glyph id returned by `layoutLine`, in units of the font size. */
export function glyphBounds(id: string): GlyphBounds {
  const bounds = glyphBoundsById.get(id);
  if (bounds === undefined) throw new InvalidInputError({ message: `unknown glyph id ${id}` });
  return bounds;
}

/** SVG path data of a glyph id returned by `layoutLine`, in a 100-unit em. */
export function glyphPathData(id: string): string {
  const data = glyphPaths.get(id);
  if (data === undefined) throw new InvalidInputError({ message: `unknown glyph id ${id}` });
  return data;
}

/** The size of the em in which `glyphPathData` is written. */
export const glyphPathEm = glyphEm;

