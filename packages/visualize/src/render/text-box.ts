import { toHex, type Rgb } from '../colors.js';
import { fontMetrics, layoutLine, lineToSvg, type FontWeight } from './font.js';
import type { SpriteSheet } from './sprite-sheet.js';

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

export interface TextBoxLayout {
  readonly width: number;
  readonly height: number;
  readonly svg: (used: Set<string>) => string;
}

/**
 * Lays out lines of text in a box with padding (as supervision's LabelAnnotator and Roboflow's
 * text_display do: the box is as tall as the capitals plus padding; descenders use the padding)
 * and returns its size and an SVG builder in the box's own coordinates.
 */
export function layoutTextBox(text: string, style: TextBoxStyle): TextBoxLayout {
  const weight: FontWeight = style.thickness >= 2 ? 700 : 500;
  const metrics = fontMetrics(weight);
  const capital = capitalHeightAtScaleOne * Math.max(0.05, style.scale);
  const size = capital / metrics.capHeight;
  const lineTexts = text.split('\n');
  const lines = lineTexts.map((line) => layoutLine(line, weight));
  // Roboflow's text_display advances lines by the text height plus OpenCV's baseline and adds a quarter of that.
  const lineAdvance = capital + Math.round(metrics.descender * size);
  const lineSpacing = lines.length > 1 ? Math.max(1, Math.round(0.25 * lineAdvance)) : 0;
  const textWidth = Math.max(0, ...lines.map((line) => line.width * size));
  const textHeight = lines.length === 1 ? capital : lines.length * lineAdvance + (lines.length - 1) * lineSpacing - Math.round(metrics.descender * size);
  const padding = Math.max(0, style.padding);
  const width = Math.ceil(textWidth + 2 * padding);
  const height = Math.ceil(textHeight + 2 * padding);
  const strokeWidth = style.thickness > 2 ? (style.thickness - 2) * 0.04 * size : 0;
  return {
    width,
    height,
    svg: (used) => {
      let svg = '';
      if (style.background && style.backgroundOpacity > 0) {
        const radius = Math.max(0, Math.min(style.borderRadius, Math.floor(Math.min(width, height) / 2)));
        const opacity = style.backgroundOpacity < 1 ? ` fill-opacity="${style.backgroundOpacity}"` : '';
        svg += `<rect width="${width}" height="${height}"${radius > 0 ? ` rx="${radius}"` : ''} fill="${toHex(style.background)}"${opacity}/>`;
      }
      const fill = toHex(style.textColor);
      lines.forEach((line, i) => {
        const lineWidth = line.width * size;
        const offset = style.align === 'center' ? (textWidth - lineWidth) / 2 : style.align === 'right' ? textWidth - lineWidth : 0;
        svg += lineToSvg(line, padding + offset, padding + capital + i * (lineAdvance + lineSpacing), size, fill, used, strokeWidth);
      });
      return svg;
    },
  };
}

/** Adds a laid-out text box to the sheet with its top-left at (left, top). */
export function addTextBox(sheet: SpriteSheet, layout: TextBoxLayout, left: number, top: number): void {
  sheet.add(layout.svg(sheet.usedGlyphs), { width: layout.width, height: layout.height, left, top });
}
