import { defineBlock, field, fillPolygon, isCocoRle, kinds, rleArea, z, type Detection, type Detections } from '@vad/core';

/**
 * A detection's area in square pixels, as Roboflow's mask_area_measurement counts it: the pixels
 * of its mask — its `rle_mask` (holes excluded) or its polygon `points` filled as OpenCV's fillPoly
 * does — or, without a mask or with an empty one, its box's width × height.
 */
export function detectionArea(detection: Detection, image: { width: number; height: number }): number {
  let count = 0;
  if (isCocoRle(detection.rle_mask)) count = rleArea(detection.rle_mask);
  else if (Array.isArray(detection.points) && detection.points.length >= 3) {
    const mask = fillPolygon(detection.points as Array<{ x: number; y: number }>, image.width, image.height);
    for (let i = 0; i < mask.length; i++) count += mask[i]!;
  }
  return count > 0 ? count : detection.width * detection.height;
}

/** Roboflow's mask_area_measurement: `area_px` and `area_converted` (area_px / pixels_per_unit²) on every detection. */
export const maskAreaMeasurement = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/mask_area_measurement@v1',
  aliases: ['roboflow_core/mask_area_measurement@v1'],
  title: 'Mask Area Measurement',
  description:
    "Adds each detection's area: `area_px`, the pixels of its mask (an `rle_mask`, or the polygon `points` filled; holes excluded) or, without a mask, its box's width × height; and `area_converted` = area_px / pixels_per_unit².",
  manifest: {
    predictions: field.selector<Detections>([kinds.instanceSegmentationPrediction, kinds.objectDetectionPrediction, kinds.rleInstanceSegmentationPrediction]),
    pixels_per_unit: field.parameter(z.number().default(1), [kinds.float], {
      description: 'Pixels per real-world unit of length; area_converted = area_px / pixels_per_unit² (a value ≤ 0 leaves area_px unconverted, as Roboflow does)',
    }),
  },
  outputs: { predictions: { kinds: [kinds.objectDetectionPrediction, kinds.instanceSegmentationPrediction] } },
  create: () => ({
    run: ({ predictions, pixels_per_unit }) => {
      const scale = pixels_per_unit > 0 ? pixels_per_unit ** 2 : 1;
      return {
        predictions: {
          ...predictions,
          predictions: predictions.predictions.map((detection) => {
            const area = detectionArea(detection, predictions.image);
            return { ...detection, area_px: area, area_converted: area / scale };
          }),
        },
      };
    },
  }),
});
