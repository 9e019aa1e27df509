import { defineBlock, field, kinds, z, type Detections } from '@vad/core';

export interface DetectionOffsetOptions {
  /** Added to each box's width (half on each side). */
  offsetWidth: number;
  /** Added to each box's height (half above, half below). */
  offsetHeight: number;
  /** `pixels`, or `percent` of each box's own size. */
  units?: 'pixels' | 'percent';
}

/** Grows (or, with negative offsets, shrinks) every box about its centre, clipped to the image. */
export function offsetDetections(detections: Detections, options: DetectionOffsetOptions): Detections {
  const { width: imageWidth, height: imageHeight } = detections.image;
  const predictions = detections.predictions.map((p) => {
    const growX = options.units === 'percent' ? (p.width * options.offsetWidth) / 100 : options.offsetWidth;
    const growY = options.units === 'percent' ? (p.height * options.offsetHeight) / 100 : options.offsetHeight;
    const x1 = Math.max(0, p.x - (p.width + growX) / 2);
    const y1 = Math.max(0, p.y - (p.height + growY) / 2);
    const x2 = Math.min(imageWidth, p.x + (p.width + growX) / 2);
    const y2 = Math.min(imageHeight, p.y + (p.height + growY) / 2);
    return { ...p, x: (x1 + x2) / 2, y: (y1 + y2) / 2, width: Math.max(0, x2 - x1), height: Math.max(0, y2 - y1) };
  });
  return { ...detections, predictions };
}

/** Roboflow's detection offset: enlarges every box by a margin, e.g. before cropping. */
export const detectionOffset = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/detection_offset@v1',
  aliases: ['roboflow_core/detection_offset@v1', 'DetectionOffset'],
  title: 'Detection Offset',
  description: 'Enlarges each box by offset_width and offset_height (pixels, or percent of the box), split evenly on both sides and clipped to the image.',
  manifest: {
    predictions: field.selector<Detections>([kinds.objectDetectionPrediction, kinds.instanceSegmentationPrediction, 'keypoint_detection_prediction']),
    offset_width: field.parameter(z.number().int(), [kinds.integer], { aliases: ['offset_x'] }),
    offset_height: field.parameter(z.number().int(), [kinds.integer], { aliases: ['offset_y'] }),
    units: field.literal(z.enum(['Pixels', 'Percent (%)', 'pixels', 'percent']).default('Pixels')),
  },
  // The boxes grow; an instance segmentation's points stay as they are, as Roboflow leaves its masks.
  outputs: { predictions: { kinds: [kinds.objectDetectionPrediction, kinds.instanceSegmentationPrediction, 'keypoint_detection_prediction'] } },
  create: ({ properties }) => {
    const units = properties.units === 'Percent (%)' || properties.units === 'percent' ? 'percent' : 'pixels';
    return {
      run: (inputs) => ({ predictions: offsetDetections(inputs.predictions, { offsetWidth: inputs.offset_width, offsetHeight: inputs.offset_height, units }) }),
    };
  },
});
