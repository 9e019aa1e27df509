import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { VadImage } from '@vad/core';
import { sharedPath } from '@vad/testing';
import { planResize, preprocessImages, toInputPoint, toSourceBox, toSourcePoint } from './preprocess.js';

/** A width×height RGB image: left half red (200, 10, 20), right half blue (5, 30, 250). */
function halves(width: number, height: number): { data: Uint8Array; width: number; height: number } {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      data.set(x < width / 2 ? [200, 10, 20] : [5, 30, 250], (y * width + x) * 3);
    }
  }
  return { data, width, height };
}

const at = (data: Float32Array, channel: number, y: number, x: number, width: number, height: number) => data[channel * width * height + y * width + x]!;

describe('preprocessImages', () => {
  it('stretches, normalises with a preset, orders channels and lays out NCHW or NHWC', async () => {
    const image = halves(8, 4);
    const unit = await preprocessImages([image], { width: 4, height: 2, kernel: 'nearest' });
    expect(unit.tensor.dims).toEqual([1, 3, 2, 4]);
    expect(at(unit.tensor.data, 0, 0, 0, 4, 2)).toBeCloseTo(200 / 255, 6);
    expect(at(unit.tensor.data, 2, 1, 3, 4, 2)).toBeCloseTo(250 / 255, 6);

    const imagenet = await preprocessImages([image], { width: 4, height: 2, kernel: 'nearest', normalization: 'imagenet', channelOrder: 'bgr' });
    // channel 0 is blue now: (20 / 255 - 0.406) / 0.225 on the red half
    expect(at(imagenet.tensor.data, 0, 0, 0, 4, 2)).toBeCloseTo((20 / 255 - 0.406) / 0.225, 5);
    expect(at(imagenet.tensor.data, 2, 0, 0, 4, 2)).toBeCloseTo((200 / 255 - 0.485) / 0.229, 5);

    const nhwc = await preprocessImages([image], { width: 4, height: 2, kernel: 'nearest', normalization: 'raw', layout: 'nhwc' });
    expect(nhwc.tensor.dims).toEqual([1, 2, 4, 3]);
    expect(Array.from(nhwc.tensor.data.subarray(0, 3))).toEqual([200, 10, 20]);
    expect(Array.from(nhwc.tensor.data.subarray(9, 12))).toEqual([5, 30, 250]);
    expect(unit.transforms[0]).toMatchObject({ scaleX: 0.5, scaleY: 0.5, offsetX: 0, offsetY: 0 });
  });

  it('letterboxes with bars of the pad colour and maps coordinates back exactly', async () => {
    const image = halves(300, 97);
    const { tensor, transforms } = await preprocessImages([image], { width: 128, height: 128, resize: 'letterbox', normalization: 'raw', padColor: [1, 2, 3], kernel: 'nearest' });
    const transform = transforms[0]!;
    const plan = planResize(300, 97, { width: 128, height: 128, resize: 'letterbox' });
    expect(plan.resizedWidth).toBe(128);
    expect(plan.resizedHeight).toBe(41); // round(97 × 128 / 300)
    expect(transform.offsetY).toBe(43); // floor((128 - 41) / 2)
    expect(toSourcePoint(transform, { x: 128, y: 43 + 41 })).toEqual({ x: 300, y: 97 });
    expect(toSourcePoint(transform, { x: 0, y: 43 })).toEqual({ x: 0, y: 0 });
    const roundTrip = toSourcePoint(transform, toInputPoint(transform, { x: 123.25, y: 45.5 }));
    expect(roundTrip.x).toBeCloseTo(123.25, 10);
    expect(roundTrip.y).toBeCloseTo(45.5, 10);
    // bars above and below, content between
    expect([0, 1, 2].map((channel) => at(tensor.data, channel, 10, 64, 128, 128))).toEqual([1, 2, 3]);
    expect([0, 1, 2].map((channel) => at(tensor.data, channel, 127, 64, 128, 128))).toEqual([1, 2, 3]);
    for (const x of [5, 60, 70, 120]) {
      const source = toSourcePoint(transform, { x: x + 0.5, y: 60.5 });
      const expected = source.x < 150 ? [200, 10, 20] : [5, 30, 250];
      expect([0, 1, 2].map((channel) => at(tensor.data, channel, 60, x, 128, 128))).toEqual(expected);
    }
    expect(toSourceBox(transform, { x1: -5, y1: 0, x2: 64, y2: 128 })).toEqual({ x1: 0, y1: 0, x2: 150, y2: 97 });
  });

  it('centre-crops the middle of the image and maps coordinates back exactly', async () => {
    const image = halves(300, 200);
    const { tensor, transforms } = await preprocessImages([image], { width: 100, height: 100, resize: 'center-crop', normalization: 'raw', kernel: 'nearest' });
    const transform = transforms[0]!;
    expect(transform).toMatchObject({ scaleX: 0.5, scaleY: 0.5, offsetX: -25, offsetY: 0 });
    expect(toSourcePoint(transform, { x: 0, y: 0 })).toEqual({ x: 50, y: 0 });
    expect(toSourcePoint(transform, { x: 100, y: 100 })).toEqual({ x: 250, y: 200 });
    expect(at(tensor.data, 0, 50, 49, 100, 100)).toBe(200); // source x ≈ 149: red half
    expect(at(tensor.data, 0, 50, 50, 100, 100)).toBe(5); // source x ≈ 151: blue half
  });

  it('rejects pixels whose buffer does not match their size', async () => {
    await expect(preprocessImages([{ data: new Uint8Array(10), width: 4, height: 4 }], { width: 2, height: 2 })).rejects.toThrow(/image 0 is not RGB pixels/);
  });

  const photos = sharedPath('datasets/photos');
  describe.skipIf(!photos)('with real photos', () => {
    it('batches decoded photos of different sizes into one tensor', async () => {
      const images = await Promise.all(['eagle.jpg', 'dog.jpg'].map(async (name) => VadImage.fromBytes(await readFile(`${photos}/${name}`))));
      const { tensor, transforms } = await preprocessImages(images, { width: 224, height: 224, normalization: 'imagenet' });
      expect(tensor.dims).toEqual([2, 3, 224, 224]);
      expect(transforms.map((transform) => transform.sourceWidth)).toEqual(images.map((image) => image.width));
      let sum = 0;
      for (const value of tensor.data) sum += value;
      const mean = sum / tensor.data.length;
      expect(Math.abs(mean)).toBeLessThan(1.5); // roughly centred by the ImageNet statistics
      expect(tensor.data.some((value) => value > 1)).toBe(true);
    });
  });
});
