import sharp from 'sharp';
import { VadImage, type AnomalyMap } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { serializeOutputs, serializeValue } from './serialize-outputs.js';

const map: AnomalyMap = { kind: 'anomaly_map', width: 4, height: 2, data: new Float32Array([0, 0.25, 0.5, 1, 0, 0, 0, 2]), threshold: 0.5, imageId: 'img_1' };

describe('serializeValue', () => {
  it('turns images into base64 JPEG with their size', async () => {
    const image = VadImage.fromPixels({ data: new Uint8Array(6 * 4 * 3).fill(200), width: 6, height: 4 });
    const value = (await serializeValue(image)) as { type: string; value: string; width: number };
    expect(value).toMatchObject({ type: 'base64', width: 6, height: 4 });
    expect((await sharp(Buffer.from(value.value, 'base64')).metadata()).format).toBe('jpeg');
  });

  it('turns typed arrays (embeddings) into number arrays and non-finite numbers into null', async () => {
    const value = await serializeValue({ embedding: new Float32Array([0.5, -1.25]), score: Number.NaN });
    expect(value).toEqual({ embedding: [0.5, -1.25], score: null });
  });

  it('summarises anomaly maps by default and returns a PNG or the values when asked', async () => {
    const summary = (await serializeValue(map)) as Record<string, number>;
    expect(summary).toMatchObject({ type: 'anomaly_map', width: 4, height: 2, min: 0, max: 2, threshold: 0.5 });
    expect(summary.mean).toBeCloseTo(3.75 / 8, 6);
    const png = (await serializeValue(map, { anomalyMaps: 'png', imageFormat: 'jpeg', jpegQuality: 90 })) as { image: { value: string } };
    const bytes = Buffer.from(png.image.value, 'base64');
    expect((await sharp(bytes).metadata()).channels).toBe(1); // an 8-bit grayscale PNG
    const { data, info } = await sharp(bytes).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([4, 2]);
    expect([...data]).toEqual([0, 32, 64, 128, 0, 0, 0, 255]);
    const values = (await serializeValue(map, { anomalyMaps: 'values', imageFormat: 'jpeg', jpegQuality: 90 })) as { values: number[] };
    expect(values.values).toEqual([0, 0.25, 0.5, 1, 0, 0, 0, 2]);
  });

  it('drops detections\' lineage (not part of Roboflow\'s JSON) and honours excluded_fields', async () => {
    const detections = { image: { width: 10, height: 10 }, predictions: [], lineage: { parentId: 'p', offsetX: 1, offsetY: 2, parentWidth: 20, parentHeight: 20 } };
    const [record] = await serializeOutputs([{ predictions: detections, secret: 1 }], { anomalyMaps: 'summary', imageFormat: 'jpeg', jpegQuality: 90 }, ['secret']);
    expect(record).toEqual({ predictions: { image: { width: 10, height: 10 }, predictions: [] } });
  });
});
