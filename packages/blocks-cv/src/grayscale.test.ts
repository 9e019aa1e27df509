import { VadImage } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { toGrayscale } from './grayscale.js';
import { noiseImage } from './test-images.js';

// OpenCV's cvtColor(BGR2GRAY) for 8 bits, written out: (4899 R + 9617 G + 1868 B + 8192) >> 14.
const opencvGray = (r: number, g: number, b: number) => (4899 * r + 9617 * g + 1868 * b + 8192) >> 14;

describe('toGrayscale', () => {
  it('rounds as OpenCV does on hand-picked pixels', async () => {
    const image = VadImage.fromPixels({ data: Uint8Array.from([1, 2, 2, 13, 200, 77, 255, 255, 255, 0, 0, 0]), width: 4, height: 1 });
    const { data } = await (await toGrayscale(image)).pixels();
    expect([...data]).toEqual([2, 2, 2, 130, 130, 130, 255, 255, 255, 0, 0, 0]);
  });

  it('matches OpenCV’s fixed-point formula on every pixel of a noise image', async () => {
    const image = noiseImage(64, 48);
    const { data: rgb } = await image.pixels();
    const { data } = await (await toGrayscale(image)).pixels();
    let mismatches = 0;
    for (let i = 0; i < rgb.length; i += 3) {
      const expected = opencvGray(rgb[i]!, rgb[i + 1]!, rgb[i + 2]!);
      if (data[i] !== expected || data[i + 1] !== expected || data[i + 2] !== expected) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('keeps the input image\'s id, lineage and video frame, as Roboflow keeps a processed image\'s metadata', async () => {
    const videoMetadata = { video_identifier: 'line-3', frame_number: 7, frame_timestamp: '2026-12-07T06:00:00.000Z', fps: 25, measured_fps: null, comes_from_video_file: false };
    const frame = VadImage.fromPixels({ data: new Uint8Array(8 * 6 * 3).fill(90), width: 8, height: 6 }, { videoMetadata });
    const crop = await frame.crop({ x: 2, y: 1, width: 4, height: 4 });
    const gray = await toGrayscale(crop);
    expect([gray.id, gray.lineage, gray.videoMetadata]).toEqual([crop.id, crop.lineage, crop.videoMetadata]);
    expect((await toGrayscale(frame)).videoMetadata).toEqual(videoMetadata);
  });
});
