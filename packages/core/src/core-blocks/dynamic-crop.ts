import { z } from 'zod';
import { defineBlock, field } from '../blocks.js';
import type { VadImage } from '../image.js';
import { isDetections, type Detections } from '../values.js';
import { moveDetection } from '../detections.js';
import { InvalidInputError } from '../errors.js';

/**
 * Roboflow's `dynamic_crop@v1`: one crop per detection, as a new dimensionality level (the steps
 * downstream run once per crop). Each crop's id is its detection's id and it knows its offset in
 * the image, so a classification of the crop pairs with its detection (detections_classes_replacement)
 * and detections found on it map back with `coordinates_system: parent`. `predictions` is the
 * crop's own detection moved into the crop (with its outline and keypoints, as Roboflow moves them). Boxes are clipped to the image; a box with nothing
 * left inside gives no crop.
 */
export const dynamicCrop = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/dynamic_crop@v1',
  aliases: ['roboflow_core/dynamic_crop@v1', 'DynamicCrop', 'Crop'],
  title: 'Dynamic Crop',
  description: 'Crops every detected box out of its image (one crop per detection, adding a level); crops keep their offset and the detection id.',
  dimensionality: 'expand',
  manifest: {
    images: field.image({ aliases: ['image'] }),
    predictions: field.selector<Detections>(['object_detection_prediction', 'instance_segmentation_prediction', 'keypoint_detection_prediction'], {
      description: 'the boxes to crop',
    }),
    mask_opacity: field.parameter(z.number().min(0).max(1).default(0), ['float_zero_to_one'], { description: 'Accepted for Roboflow compatibility; vad crops boxes (no masks)' }),
    background_color: field.parameter(z.union([z.string(), z.array(z.number())]).default('#000000'), ['string'], { description: 'Accepted for Roboflow compatibility; no effect without masks' }),
  },
  outputs: {
    crops: { kinds: ['image'], description: 'one image per detection, whose id is the detection id' },
    predictions: { kinds: ['object_detection_prediction'], description: "each crop's own detection, in the crop's coordinates" },
  },
  create: ({ stepName }) => ({
    run: async ({ images, predictions }) => {
      if (!isDetections(predictions)) throw new InvalidInputError({ message: 'predictions must be object detection predictions', stepName, property: 'predictions' });
      return cropDetections(images, predictions);
    },
  }),
});

/**
 * One crop per detection box (rounded, clipped to the image; a box with nothing left inside gives
 * none). Each crop's id is its detection's id, and `predictions` holds each crop's own detection
 * moved into the crop. What dynamic_crop runs, for blocks that crop their own detections.
 */
export async function cropDetections(image: VadImage, detections: Detections): Promise<{ crops: VadImage[]; predictions: Detections[] }> {
  const crops: VadImage[] = [];
  const own: Detections[] = [];
  for (const detection of detections.predictions) {
    const left = Math.max(0, Math.round(detection.x - detection.width / 2));
    const top = Math.max(0, Math.round(detection.y - detection.height / 2));
    const right = Math.min(image.width, Math.round(detection.x + detection.width / 2));
    const bottom = Math.min(image.height, Math.round(detection.y + detection.height / 2));
    if (right <= left || bottom <= top) continue;
    const crop = await image.crop({ x: left, y: top, width: right - left, height: bottom - top }, { id: detection.detection_id });
    crops.push(crop);
    own.push({ image: { width: crop.width, height: crop.height }, predictions: [{ ...moveDetection(detection, -left, -top, crop), parent_id: crop.id }], lineage: crop.lineage });
  }
  return { crops, predictions: own };
}
