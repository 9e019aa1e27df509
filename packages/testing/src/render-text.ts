import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Images of text for OCR tests, drawn the way vad's visualizations draw text: Roboto from the npm
 * package `@fontsource/roboto`, its glyph outlines (opentype.js) as SVG paths that librsvg
 * rasterizes. No system font is involved, so every machine draws the same pixels, and each word's
 * box comes from its outlines.
 */

export interface TextToDraw {
  readonly text: string;
  /** Pen position of the line's first glyph, in pixels. */
  readonly left: number;
  readonly baseline: number;
  /** Font size in pixels (the em). */
  readonly size: number;
  readonly color: string;
  readonly weight?: 500 | 700;
}

/** Where one word was drawn: the bounds of its outlines, in pixels. */
export interface DrawnWord {
  readonly text: string;
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

export interface RenderedText {
  /** PNG bytes. */
  readonly png: Buffer;
  readonly width: number;
  readonly height: number;
  /** Every word drawn (split at spaces), in the order given. */
  readonly words: DrawnWord[];
}

type Font = {
  getPath(text: string, x: number, y: number, size: number): { toPathData(decimals: number): string; getBoundingBox(): { x1: number; y1: number; x2: number; y2: number } };
  getAdvanceWidth(text: string, size: number): number;
};

const require = createRequire(import.meta.url);
const fonts = new Map<number, Font>();

function font(weight: 500 | 700): Font {
  let loaded = fonts.get(weight);
  if (!loaded) {
    const opentype = require('opentype.js') as { parse(buffer: ArrayBuffer): Font };
    const bytes = readFileSync(require.resolve(`@fontsource/roboto/files/roboto-latin-${weight}-normal.woff`));
    loaded = opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    fonts.set(weight, loaded);
  }
  return loaded;
}

/** Draws `texts` on a `width`×`height` image of colour `background` (CSS colours), and says where each word went. */
export async function renderText(options: { width: number; height: number; background: string; texts: readonly TextToDraw[] }): Promise<RenderedText> {
  const sharp = (await import('sharp')).default;
  const paths: string[] = [];
  const words: DrawnWord[] = [];
  for (const item of options.texts) {
    const face = font(item.weight ?? 500);
    paths.push(`<path fill="${item.color}" d="${face.getPath(item.text, item.left, item.baseline, item.size).toPathData(3)}"/>`);
    let start = 0;
    for (const word of item.text.split(' ')) {
      if (word !== '') {
        const pen = item.left + face.getAdvanceWidth(item.text.slice(0, start), item.size);
        const box = face.getPath(word, pen, item.baseline, item.size).getBoundingBox();
        words.push({ text: word, left: box.x1, top: box.y1, right: box.x2, bottom: box.y2 });
      }
      start += word.length + 1;
    }
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${options.width}" height="${options.height}"><rect width="100%" height="100%" fill="${options.background}"/>${paths.join('')}</svg>`;
  const png = await sharp(Buffer.from(svg)).png().toBuffer();
  return { png, width: options.width, height: options.height, words };
}
