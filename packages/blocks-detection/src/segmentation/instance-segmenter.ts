import { encodeMask, type Detections, type VadImage } from '@vad/core';
import { maskCoefficients, segmentationOutputs } from '../decoders/yolov8-seg.js';
import { createLayoutDetector } from '../layout-detector.js';
import type { DetectOptions, ObjectDetectorOptions } from '../object-detector.js';
import { createMaskDecoder, type MaskDecoder } from './mask-decoder.js';
import { maskInImage } from './mask-in-image.js';
import { largestComponentOutline, type PolygonPoint } from './mask-polygon.js';

export type InstanceSegmenterOptions = Omit<ObjectDetectorOptions, 'decoder'>;

export interface InstanceSegmenter {
  readonly classNames: readonly string[];
  readonly inputWidth: number;
  readonly inputHeight: number;
  /** The detector's predictions, each with `points`: its mask's outline in image pixels (empty when no pixel of its box passes 0.5). */
  /**
   * With `rle: true` each prediction also gets `rle_mask`: its whole mask as COCO RLE at the
   * image's size (Roboflow's v4 instance segmentation), beside the outline.
   */
  segment(image: VadImage, options?: DetectOptions, output?: { rle?: boolean }): Promise<Detections>;
  dispose(): Promise<void>;
}

/**
 * A YOLOv8/YOLO11-seg ONNX export as an instance segmenter: the object detector (letterbox,
 * decoding, NMS) finds the boxes, then each kept box's mask is sigmoid(coefficients · prototypes),
 * brought to the image and cut to the box, and its largest region's outline becomes `points`.
 */
export async function createInstanceSegmenter(options: InstanceSegmenterOptions): Promise<InstanceSegmenter> {
  const { detector, reword } = await createLayoutDetector(
    options,
    'yolov8_seg',
    'YOLOv8/YOLO11-seg',
    'an instance segmentation model needs detections [1, 4 + classes + 32, N] and mask prototypes [1, 32, H/4, W/4] (Ultralytics `yolo export format=onnx` of a -seg model)',
  );
  let masks: Promise<MaskDecoder> | undefined;
  return {
    get classNames() {
      return detector.classNames;
    },
    inputWidth: detector.inputWidth,
    inputHeight: detector.inputHeight,
    async segment(image, detectOptions, output) {
      const run = await detector.detectWithOutputs(image, detectOptions).catch((error: unknown) => Promise.reject(reword(error)));
      const { predictions } = run.detections;
      if (predictions.length === 0) return run.detections;
      const seg = segmentationOutputs(run.outputs)!;
      const [, channels, prototypeHeight, prototypeWidth] = seg.prototypes.dims as [number, number, number, number];
      masks ??= createMaskDecoder({ executionProviders: options.executionProviders });
      const pixels = prototypeWidth * prototypeHeight;
      const decoded = await (await masks).decode(maskCoefficients(seg, run.kept.origins!), predictions.length, { data: seg.prototypes.data, channels, pixels });
      const { imageWidth, imageHeight } = run.input;
      const outlines = await Promise.all(
        predictions.map(async (prediction, index): Promise<PolygonPoint[]> => {
          const mask = await maskInImage(
            decoded.subarray(index * pixels, (index + 1) * pixels),
            { width: prototypeWidth, height: prototypeHeight },
            run.input,
            { width: detector.inputWidth, height: detector.inputHeight },
            run.kept.corners.subarray(index * 4, index * 4 + 4),
          );
          if (output?.rle) prediction.rle_mask = encodeMask(mask ?? { data: new Uint8Array(0), width: 0, height: 0 }, imageWidth, imageHeight);
          if (!mask) return [];
          return largestComponentOutline(mask.data, mask.width, mask.height).map((p) => ({ x: p.x + mask.left, y: p.y + mask.top }));
        }),
      );
      predictions.forEach((prediction, index) => (prediction.points = outlines[index]));
      return run.detections;
    },
    async dispose() {
      const decoder = masks;
      masks = undefined;
      await Promise.all([detector.dispose(), decoder?.then((m) => m.dispose(), () => undefined)]);
    },
  };
}
