import { describe, expect, it } from 'vitest';
import { bilateralFilter } from './bilateral.js';
import { bilateralReference } from './bilateral-reference.js';
import { noiseImage } from './test-images.js';

function maxDifference(a: Uint8Array, b: Uint8Array): number {
  let most = 0;
  for (let i = 0; i < a.length; i++) most = Math.max(most, Math.abs(a[i]! - b[i]!));
  return most;
}

describe('bilateralFilter (ONNX graph)', () => {
  it('equals the JS reference (OpenCV’s loop written out) within 1 level, colour and grey, several diameters and sigmas', async () => {
    const { data, width, height } = await noiseImage(41, 29, 5).pixels();
    // Smooth the noise a little so that colour weights span their range.
    const colour = Uint8Array.from(data, (v, i) => ((v >> 2) + 60 * (Math.floor(i / 3) % width > 20 ? 1 : 0)) & 255);
    const grey = Uint8Array.from(colour, (_, i) => colour[i - (i % 3)]!);
    for (const [d, sigmaColor, sigmaSpace] of [[3, 75, 75], [5, 20, 3], [9, 75, 75], [10, 40, 10]] as const) {
      for (const [name, input] of [['colour', colour], ['grey', grey]] as const) {
        const graph = await bilateralFilter(input, width, height, d, sigmaColor, sigmaSpace);
        const reference = bilateralReference(input, width, height, d, sigmaColor, sigmaSpace);
        expect(maxDifference(graph, reference), `${name} d=${d} σc=${sigmaColor} σs=${sigmaSpace}`).toBeLessThanOrEqual(1);
        let equal = 0;
        for (let i = 0; i < graph.length; i++) if (graph[i] === reference[i]) equal++;
        expect(equal / graph.length).toBeGreaterThan(0.99);
      }
    }
  });

  it('keeps a grey image grey and a flat image flat', async () => {
    const flat = new Uint8Array(12 * 10 * 3).fill(90);
    expect(await bilateralFilter(flat, 12, 10, 9, 75, 75)).toEqual(flat);
  });

  it('falls back to the reference for an image no wider than the radius', async () => {
    const tiny = Uint8Array.from({ length: 3 * 3 * 3 }, (_, i) => (i * 37) & 255);
    expect(await bilateralFilter(tiny, 3, 3, 9, 75, 75)).toEqual(bilateralReference(tiny, 3, 3, 9, 75, 75));
  });
});
