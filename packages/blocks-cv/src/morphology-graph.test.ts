import { describe, expect, it } from 'vitest';
import { morphology, morphologyOperations, parseMorphologyOperation, type MorphologyOperation } from './morphology-graph.js';

/** OpenCV's grey morphology written out: min / max over the window x − size/2 … x + size − 1 − size/2, pixels outside ignored. */
function reference(data: Uint8Array, width: number, height: number, operation: MorphologyOperation, size: number): Uint8Array {
  const anchor = Math.floor(size / 2);
  const pass = (input: Uint8Array, max: boolean) =>
    Uint8Array.from(input, (_, i) => {
      const band = i % 3, x = Math.floor(i / 3) % width, y = Math.floor(i / 3 / width);
      let result = max ? 0 : 255;
      for (let j = -anchor; j < size - anchor; j++) for (let k = -anchor; k < size - anchor; k++) {
        const sx = x + k, sy = y + j;
        if (sx < 0 || sy < 0 || sx >= width || sy >= height) continue;
        const v = input[(sy * width + sx) * 3 + band]!;
        result = max ? Math.max(result, v) : Math.min(result, v);
      }
      return result;
    });
  const open = (x: Uint8Array) => pass(pass(x, false), true);
  const close = (x: Uint8Array) => pass(pass(x, true), false);
  const minus = (a: Uint8Array, b: Uint8Array) => Uint8Array.from(a, (v, i) => Math.max(0, v - b[i]!));
  switch (operation) {
    case 'Erosion': return pass(data, false);
    case 'Dilation': return pass(data, true);
    case 'Opening': return open(data);
    case 'Closing': return close(data);
    case 'Opening then Closing': return close(open(data));
    case 'Gradient': return minus(pass(data, true), pass(data, false));
    case 'Top Hat': return minus(data, open(data));
    case 'Black Hat': return minus(close(data), data);
  }
}

const single = (width: number, height: number, x: number, y: number) => {
  const data = new Uint8Array(width * height * 3);
  data.fill(255, (y * width + x) * 3, (y * width + x) * 3 + 3);
  return data;
};
const rowsOf = (data: Uint8Array, width: number) => Array.from({ length: data.length / 3 / width }, (_, y) => Array.from({ length: width }, (_, x) => data[(y * width + x) * 3]));

describe('morphology (ONNX MaxPool graph)', () => {
  it('dilates a single pixel with a 3 × 3 rectangle into a 3 × 3 square, and erodes it away', async () => {
    const dot = single(5, 5, 2, 2);
    expect(rowsOf(await morphology(dot, 5, 5, 'Dilation', 3), 5)).toEqual([
      [0, 0, 0, 0, 0],
      [0, 255, 255, 255, 0],
      [0, 255, 255, 255, 0],
      [0, 255, 255, 255, 0],
      [0, 0, 0, 0, 0],
    ]);
    expect([...(await morphology(dot, 5, 5, 'Erosion', 3))].every((v) => v === 0)).toBe(true);
    // Top hat keeps exactly the speck the opening removes.
    expect(await morphology(dot, 5, 5, 'Top Hat', 3)).toEqual(dot);
  });

  it('an even size reaches one pixel further up and left (OpenCV’s anchor at size / 2)', async () => {
    expect(rowsOf(await morphology(single(5, 5, 2, 2), 5, 5, 'Dilation', 2), 5)).toEqual([
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
      [0, 0, 255, 255, 0],
      [0, 0, 255, 255, 0],
      [0, 0, 0, 0, 0],
    ]);
  });

  it('matches every operation written out, on random colour pixels, for sizes 1–6', async () => {
    const width = 19, height = 13;
    let seed = 7;
    const data = Uint8Array.from({ length: width * height * 3 }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 255);
    for (const operation of morphologyOperations) {
      for (const size of [1, 2, 3, 4, 5, 6]) {
        expect(await morphology(data, width, height, operation, size), `${operation} ${size}`).toEqual(reference(data, width, height, operation, size));
      }
    }
  });

  it('reads Roboflow’s names and their snake-case spellings', () => {
    expect(parseMorphologyOperation('Opening then Closing')).toBe('Opening then Closing');
    expect(parseMorphologyOperation('opening_then_closing')).toBe('Opening then Closing');
    expect(parseMorphologyOperation('top_hat')).toBe('Top Hat');
    expect(parseMorphologyOperation('Sharpen')).toBeUndefined();
  });
});
