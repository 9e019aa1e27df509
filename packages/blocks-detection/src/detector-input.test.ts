import { VadImage } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { inputPresets } from './decoder-presets.js';
import { mapBoxesToImage, prepareDetectorInput } from './detector-input.js';

/** 200×100 black image with a white 20×20 square at x 50–70, y 20–40. */
function squareImage(): VadImage {
  const width = 200;
  const height = 100;
  const data = new Uint8Array(width * height * 3);
  for (let y = 20; y < 40; y++) data.fill(255, (y * width + 50) * 3, (y * width + 70) * 3);
  return VadImage.fromPixels({ data, width, height });
}

describe('prepareDetectorInput', () => {
  for (const [name, preset, expectedOffsetY] of [['yolox (top-left)', inputPresets.yolox, 0], ['yolov8 (centred)', inputPresets.yolov8, 25]] as const) {
    it(`${name}: places the image and maps boxes back exactly`, async () => {
      const input = await prepareDetectorInput(squareImage(), { ...preset, width: 100, height: 100 });
      expect(input.transform.offsetY).toBe(expectedOffsetY);
      expect(input.transform.scaleX).toBeCloseTo(0.5, 6);
      const plane = 100 * 100;
      const at = (x: number, y: number) => input.tensor[y * 100 + x]!; // channel 0
      const bright = preset.normalization === 'raw' ? 250 : 0.98;
      expect(at(30, 15 + expectedOffsetY)).toBeGreaterThan(bright); // the square's centre
      expect(at(80, 15 + expectedOffsetY)).toBeLessThan(1e-3 + (preset.normalization === 'raw' ? 1 : 0));
      expect(input.tensor.length).toBe(3 * plane);
      const corners = Float32Array.from([25, 10 + expectedOffsetY, 35, 20 + expectedOffsetY, -10, -10, 500, 500]);
      mapBoxesToImage(corners, 2, input);
      expect([...corners]).toEqual([50, 20, 70, 40, 0, 0, 200, 100]);
    });
  }
});
