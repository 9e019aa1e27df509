import { describe, expect, it } from 'vitest';
import { dynamicCrop } from './core-blocks/dynamic-crop.js';
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
    const moved = moveDetection(pose, 5, -3);
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
});
