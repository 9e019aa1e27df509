import { decodeRle, encodeMask, InvalidInputError, rleArea, VadImage, type CocoRle, type Detection, type Detections } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { stitchDetections } from './detections-stitch.js';
import { sliceImage } from './image-slicer.js';

const gray = (width: number, height: number) => VadImage.fromPixels({ data: new Uint8Array(width * height * 3).fill(128), width, height });

function detection(x: number, y: number, size: number, confidence: number, parentId: string, classId = 0): Detection {
  return { x, y, width: size, height: size, confidence, class: classId ? 'b' : 'a', class_id: classId, detection_id: `d${x}_${y}_${confidence}`, parent_id: parentId };
}

describe('sliceImage', () => {
  it('gives full-size slices that carry their offset and copy the right pixels', async () => {
    const width = 300;
    const height = 200;
    const data = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) data[i * 3] = i % width; // red = column
    const image = VadImage.fromPixels({ data, width, height });
    const slices = await sliceImage(image, { slice_width: 128, slice_height: 128, overlap_ratio_width: 0.25, overlap_ratio_height: 0.25 });
    expect(slices.map((s) => [s.lineage!.offsetX, s.lineage!.offsetY])).toEqual([[0, 0], [96, 0], [172, 0], [0, 72], [96, 72], [172, 72]]);
    for (const slice of slices) {
      expect([slice.width, slice.height]).toEqual([128, 128]);
      expect(slice.lineage!.parentId).toBe(image.id);
      const { data: pixels } = await slice.pixels();
      expect(pixels[0]).toBe(slice.lineage!.offsetX & 255);
      expect(pixels[127 * 3]).toBe((slice.lineage!.offsetX + 127) & 255);
    }
  });
});

describe('stitchDetections', () => {
  it('moves each slice’s detections by the slice offset and removes the duplicates of overlaps (NMS)', async () => {
    const image = gray(300, 200);
    const [left, right] = await sliceImage(image, { slice_width: 200, slice_height: 200, overlap_ratio_width: 0.5 });
    expect(right!.lineage!.offsetX).toBe(100);
    // one object at parent (150, 100) seen by both slices; one only in the right slice
    const fromLeft: Detections = { image: { width: 200, height: 200 }, predictions: [detection(150, 100, 40, 0.9, left!.id)], lineage: left!.lineage };
    const fromRight: Detections = { image: { width: 200, height: 200 }, predictions: [detection(52, 101, 40, 0.7, right!.id), detection(150, 50, 20, 0.6, right!.id)], lineage: right!.lineage };
    const stitched = stitchDetections(image, [fromLeft, fromRight], { strategy: 'nms', iouThreshold: 0.3 });
    expect(stitched.image).toEqual({ width: 300, height: 200 });
    expect(stitched.predictions.map((p) => [p.x, p.y, p.confidence])).toEqual([[150, 100, 0.9], [250, 50, 0.6]]);
    expect(stitched.predictions.every((p) => p.parent_id === image.id)).toBe(true);
  });

  it('moves an instance segmentation’s points with its box', async () => {
    const image = gray(300, 200);
    const [, right] = await sliceImage(image, { slice_width: 200, slice_height: 200, overlap_ratio_width: 0.5 });
    const segment = { ...detection(52, 101, 40, 0.7, right!.id), points: [{ x: 40, y: 90 }, { x: 60, y: 90 }, { x: 50, y: 110 }] };
    const stitched = stitchDetections(image, [{ image: { width: 200, height: 200 }, predictions: [segment], lineage: right!.lineage }]);
    expect(stitched.predictions[0]!.points).toEqual([{ x: 140, y: 90 }, { x: 160, y: 90 }, { x: 150, y: 110 }]);
    expect(segment.points[0]).toEqual({ x: 40, y: 90 }); // the slice's own prediction is left as it was
  });

  it('re-places an RLE mask of the slice in the reference image', async () => {
    const image = gray(300, 200);
    const [, right] = await sliceImage(image, { slice_width: 200, slice_height: 200, overlap_ratio_width: 0.5 });
    const sliceMask = new Uint8Array(200 * 200);
    for (let y = 90; y < 110; y++) for (let x = 40; x < 60; x++) sliceMask[y * 200 + x] = 1;
    const segment = { ...detection(50, 100, 20, 0.7, right!.id), rle_mask: encodeMask({ data: sliceMask, width: 200, height: 200 }, 200, 200) };
    const stitched = stitchDetections(image, [{ image: { width: 200, height: 200 }, predictions: [segment], lineage: right!.lineage }]);
    const rle = stitched.predictions[0]!.rle_mask as CocoRle;
    expect(rle.size).toEqual([200, 300]);
    expect(rleArea(rle)).toBe(400);
    const mask = decodeRle(rle);
    expect([mask[90 * 300 + 140], mask[109 * 300 + 159], mask[100 * 300 + 139], mask[100 * 300 + 160]]).toEqual([1, 1, 0, 0]);
  });

  it('merges the duplicates into their union with NMM, and keeps all with "none"', async () => {
    const image = gray(300, 200);
    const [left, right] = await sliceImage(image, { slice_width: 200, slice_height: 200, overlap_ratio_width: 0.5 });
    const slices: Detections[] = [
      { image: { width: 200, height: 200 }, predictions: [detection(150, 100, 40, 0.9, left!.id)], lineage: left!.lineage },
      { image: { width: 200, height: 200 }, predictions: [detection(54, 100, 40, 0.9, right!.id)], lineage: right!.lineage },
    ];
    const merged = stitchDetections(image, slices, { strategy: 'nmm', iouThreshold: 0.3 });
    expect(merged.predictions).toHaveLength(1);
    expect(merged.predictions[0]).toMatchObject({ x: 152, y: 100, width: 44, height: 40, class: 'a' });
    expect(merged.predictions[0]!.confidence).toBeCloseTo(0.9, 5);
    expect(stitchDetections(image, slices, { strategy: 'none' }).predictions).toHaveLength(2);
  });

  it('refuses detections from a slice of another image, and detections without lineage of another size', async () => {
    const image = gray(300, 200);
    const other = gray(300, 200);
    const [slice] = await sliceImage(other, { slice_width: 200, slice_height: 200 });
    const foreign: Detections = { image: { width: 200, height: 200 }, predictions: [], lineage: slice!.lineage };
    expect(() => stitchDetections(image, [foreign])).toThrowError(/not of the reference image/);
    const orphan: Detections = { image: { width: 200, height: 200 }, predictions: [] };
    expect(() => stitchDetections(image, [orphan])).toThrowError(InvalidInputError);
    expect(stitchDetections(image, [null, undefined]).predictions).toEqual([]);
  });
});
