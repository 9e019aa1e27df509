import { glyphBounds, glyphPathData, glyphPathEm } from './font.js';
import type { MaskRequest } from './coverage-masks.js';

export interface GlyphRequest {
  readonly id: string;
  /** Pixels per em. */
  readonly size: number;
  /** Extra outline width in pixels (0 for none). */
  readonly stroke: number;
}

/** The coverage-mask request of a glyph at a size: its outline as an SVG path, offsets from the pen on the baseline. */
export function glyphMaskRequest(request: GlyphRequest): MaskRequest {
  return {
    key: `glyph:${request.id}@${request.size.toFixed(2)}+${request.stroke.toFixed(2)}`,
    recipe: () => {
      const bounds = glyphBounds(request.id);
      const pad = 1 + request.stroke / 2;
      const left = Math.floor(bounds.left * request.size - pad);
      const top = Math.floor(bounds.top * request.size - pad);
      const width = Math.ceil(bounds.right * request.size + pad) - left;
      const height = Math.ceil(bounds.bottom * request.size + pad) - top;
      const scale = request.size / glyphPathEm;
      const stroke = request.stroke > 0 ? ` stroke="#fff" stroke-width="${(request.stroke / scale).toFixed(2)}" stroke-linejoin="round"` : '';
      const svg = `<path fill="#fff"${stroke} transform="translate(${-left} ${-top}) scale(${scale.toFixed(5)})" d="${glyphPathData(request.id)}"/>`;
      return { left, top, width, height, svg };
    },
  };
}
