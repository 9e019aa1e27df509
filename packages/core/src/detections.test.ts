import { describe, expect, it } from 'vitest';
import { dynamicCrop } from './core-blocks/dynamic-crop.js';
import { decodeRle, encodeMask, rleArea } from './coco-rle.js';
import { moveDetection, toParentCoordinates } from './detections.js';
import { VadImage } from './image.js';
import type { Detection, Detections } from './values.js';

const pose: Detection = {
  x: 30, y: 20, width: 20, height: 10, confidence: 0.9, class: 'person', class_id: 0, detection_id: 'd1', parent_id: 'img',
  points: [{ x: 20, y: 15 }, { x: 40, y: 25 }],
  keypoints: [{ x: 25, y: 18, confidence: 0.8, class_id: 0, class: 'nose' }],
};

describe('moving detections with their outlines and keypoints', () => {
  it('moves the centre, the outline and the keypoints, keeping the keypoints\' other fields', () => {
    const moved = moveDetection(pose, 5, -3, { width: 64, height: 48 });
    expect([moved.x, moved.y, moved.width]).toEqual([35, 17, 20]);
    expect(moved.points).toEqual([{ x: 25, y: 12 }, { x: 45, y: 22 }]);
    expect(moved.keypoints).toEqual([{ x: 30, y: 15, confidence: 0.8, class_id: 0, class: 'nose' }]);
    expect(pose.keypoints).toEqual([{ x: 25, y: 18, confidence: 0.8, class_id: 0, class: 'nose' }]); // not changed in place
  });

  it("dynamic_crop moves a crop's own detection's keypoints into the crop, and parent coordinates move them back", async () => {
    const image = VadImage.fromPixels({ data: new Uint8Array(64 * 48 * 3), width: 64, height: 48 });
    const detections: Detections = { image: { width: 64, height: 48 }, predictions: [{ ...pose, parent_id: image.id }] };
    const instance = await dynamicCrop.create({ stepName: 'crop', properties: {}, host: {} } as never);
    const result = (await instance.run({ images: image, predictions: detections, mask_opacity: 0, background_color: '#000000' } as never, {} as never)) as { predictions: Detections[] };
    const own = result.predictions[0]!;
    // The box spans x 20–40, y 15–25: the crop starts at (20, 15).
    expect(own.predictions[0]!.keypoints).toEqual([{ x: 5, y: 3, confidence: 0.8, class_id: 0, class: 'nose' }]);
    const back = toParentCoordinates(own) as Detections;
    expect(back.predictions[0]!.keypoints).toEqual(pose.keypoints);
    expect(back.predictions[0]!.points).toEqual(pose.points);
  });

  it('re-places a whole-image RLE mask in the new frame: into a crop (clipped) and back to the parent', async () => {
    // A 4 × 2 block at x 22–25, y 16–17 of a 64 × 48 image, plus one pixel at (0, 0) outside any crop.
    const full = new Uint8Array(64 * 48);
    for (let y = 16; y < 18; y++) for (let x = 22; x < 26; x++) full[y * 64 + x] = 1;
    full[0] = 1;
    const segmented: Detection = { ...pose, rle_mask: encodeMask({ data: full, width: 64, height: 48 }, 64, 48) };
    const image = VadImage.fromPixels({ data: new Uint8Array(64 * 48 * 3), width: 64, height: 48 });
    const instance = await dynamicCrop.create({ stepName: 'crop', properties: {}, host: {} } as never);
    const result = (await instance.run({ images: image, predictions: { image: { width: 64, height: 48 }, predictions: [{ ...segmented, parent_id: image.id }] }, mask_opacity: 0, background_color: '#000000' } as never, {} as never)) as { predictions: Detections[] };
    const inCrop = result.predictions[0]!.predictions[0]!.rle_mask as { size: [number, number]; counts: string };
    expect(inCrop.size).toEqual([10, 20]); // the crop is x 20–40, y 15–25
    const cropMask = decodeRle(inCrop);
    expect(rleArea(inCrop)).toBe(8); // the pixel at (0, 0) lies outside the crop
    expect([cropMask[1 * 20 + 2], cropMask[2 * 20 + 5], cropMask[3 * 20 + 5]]).toEqual([1, 1, 0]);
    const back = (toParentCoordinates(result.predictions[0]!) as Detections).predictions[0]!.rle_mask as { size: [number, number]; counts: string };
    expect(back.size).toEqual([48, 64]);
    full[0] = 0;
    expect(decodeRle(back)).toEqual(full);
  });
});
