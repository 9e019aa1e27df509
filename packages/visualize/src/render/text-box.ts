import type { Rgb } from '../colors.js';
import type { RgbCanvas } from './canvas.js';
import { fontMetrics, layoutLine, type FontWeight } from './font.js';
import { ensureMasks, type MaskRequest } from './coverage-masks.js';
import { glyphMaskRequest, type GlyphRequest } from './glyph-masks.js';

/**
 * Roboflow's scales are those of OpenCV's Hershey Simplex font, whose capitals are about 22 px
 * tall at scale 1. Roboto is sized so that its capitals match: a workflow's `text_scale` gives
 * text of the same height here as in Roboflow.
 */
export const capitalHeightAtScaleOne = 22;

export interface TextBoxStyle {
  readonly scale: number;
  /** Roboflow's stroke thickness: 1 draws Roboto Medium, 2 Roboto Bold, more thickens Bold's outline. */
  readonly thickness: number;
  readonly padding: number;
  readonly textColor: Rgb;
  /** Undefined: no background. */
  readonly background: Rgb | undefined;
  readonly backgroundOpacity: number;
  readonly borderRadius: number;
  readonly align: 'left' | 'center' | 'right';
}

interface PlacedGlyph extends GlyphRequest {
  /** Key of the glyph's coverage mask. */
  readonly key: string;
  /** Pen position on the baseline, in pixels from the box's top-left. */
  readonly x: number;
  readonly y: number;
}

export interface TextBoxLayout {
  readonly width: number;
  readonly height: number;
  readonly style: TextBoxStyle;
  readonly glyphs: readonly PlacedGlyph[];
}

/**
 * Lays out lines of text in a box with padding (as supervision's LabelAnnotator and Roboflow's
 * text_display do: the box is as tall as the capitals plus padding; descenders use the padding).
 * Glyph positions are whole pixels, so cached glyph masks can be reused anywhere.
 */
export function layoutTextBox(text: string, style: TextBoxStyle): TextBoxLayout {
  const weight: FontWeight = style.thickness >= 2 ? 700 : 500;
  const metrics = fontMetrics(weight);
  const capital = capitalHeightAtScaleOne * Math.max(0.05, style.scale);
  const size = Math.round((capital / metrics.capHeight) * 100) / 100;
  const lines = text.split('\n').map((line) => layoutLine(line, weight));
  // Roboflow's text_display advances lines by the text height plus OpenCV's baseline and adds a quarter of that.
  const descent = Math.round(metrics.descender * size);
  const lineAdvance = Math.round(capital) + descent;
  const lineSpacing = lines.length > 1 ? Math.max(1, Math.round(0.25 * lineAdvance)) : 0;
  const textWidth = Math.max(0, ...lines.map((line) => line.width * size));
  const textHeight = lines.length === 1 ? capital : lines.length * lineAdvance + (lines.length - 1) * lineSpacing - descent;
  const padding = Math.max(0, style.padding);
  const stroke = style.thickness > 2 ? Math.round((style.thickness - 2) * 0.04 * size * 100) / 100 : 0;
  const glyphs: PlacedGlyph[] = [];
  lines.forEach((line, i) => {
    const lineWidth = line.width * size;
    const offset = style.align === 'center' ? (textWidth - lineWidth) / 2 : style.align === 'right' ? textWidth - lineWidth : 0;
    const baseline = Math.round(padding + capital + i * (lineAdvance + lineSpacing));
    for (const glyph of line.glyphs) {
      const request = { id: glyph.id, size, stroke };
      glyphs.push({ ...request, key: glyphMaskRequest(request).key, x: Math.round(padding + offset + glyph.x * size), y: baseline });
    }
  });
  return { width: Math.ceil(textWidth + 2 * padding), height: Math.ceil(textHeight + 2 * padding), style, glyphs };
}

/** The coverage mask of a filled rounded rectangle (cached: label sizes repeat from frame to frame). */
function roundedRectangleRequest(width: number, height: number, radius: number): MaskRequest {
  return {
    key: `rectangle:${width}x${height}r${radius}`,
    recipe: () => ({ left: 0, top: 0, width, height, svg: `<rect width="${width}" height="${height}" rx="${radius}" fill="#fff"/>` }),
  };
}

/**
 * Draws text boxes at their top-left positions: first every background (opaque square ones as
 * fills, rounded or translucent ones through cached coverage masks), then every glyph.
 */
export async function drawTextBoxes(canvas: RgbCanvas, boxes: readonly { layout: TextBoxLayout; left: number; top: number }[]): Promise<void> {
  const requests: MaskRequest[] = [];
  const seen = new Set<string>();
  const request = (mask: MaskRequest) => {
    if (seen.has(mask.key)) return;
    seen.add(mask.key);
    requests.push(mask);
  };
  const backgrounds: { key: string; left: number; top: number; color: Rgb; opacity: number }[] = [];
  for (const { layout, left, top } of boxes) {
    const { background, backgroundOpacity, borderRadius } = layout.style;
    if (background && backgroundOpacity > 0) {
      const radius = Math.max(0, Math.min(borderRadius, Math.floor(Math.min(layout.width, layout.height) / 2)));
      if (radius === 0 && backgroundOpacity >= 1) {
        backgrounds.push({ key: '', left, top, color: background, opacity: 1 });
      } else {
        // Only what the canvas shows is rendered (a box wider than the image would exceed the SVG
        // rasteriser's 32767 px): cut past the edge by the radius, the corners stay out of sight.
        const width = Math.min(layout.width, Math.max(1, canvas.width - left + radius));
        const height = Math.min(layout.height, Math.max(1, canvas.height - top + radius));
        const mask = roundedRectangleRequest(width, height, radius);
        request(mask);
        backgrounds.push({ key: mask.key, left, top, color: background, opacity: backgroundOpacity });
      }
    }
    for (const glyph of layout.glyphs) if (!seen.has(glyph.key)) request(glyphMaskRequest(glyph));
  }
  const masks = await ensureMasks(requests);
  let index = 0;
  for (const { layout, left, top } of boxes) {
    const { background, backgroundOpacity } = layout.style;
    if (background && backgroundOpacity > 0) {
      const entry = backgrounds[index++]!;
      if (entry.key === '') canvas.fillRect(left, top, left + layout.width, top + layout.height, entry.color);
      else {
        const mask = masks.get(entry.key);
        if (mask) canvas.blendMask(mask.alpha, mask.width, mask.height, left, top, entry.color, entry.opacity);
      }
    }
    for (const glyph of layout.glyphs) {
      const mask = masks.get(glyph.key);
      if (mask) canvas.blendMask(mask.alpha, mask.width, mask.height, left + glyph.x + mask.left, top + glyph.y + mask.top, layout.style.textColor);
    }
  }
}
