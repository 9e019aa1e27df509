import type { Detections, VadImage } from '@vad/core';
import { poseLayout, keypointsAt, type KeypointShape } from '../decoders/yolov8-pose.js';
import { createLayoutDetector } from '../layout-detector.js';
import type { DetectOptions, ObjectDetectorOptions } from '../object-detector.js';
import { keypointNamesFromMetadata, keypointNamesOf, type KeypointNames } from './keypoint-metadata.js';

/** One keypoint as Roboflow serialises it (`inference.core.entities.responses.inference.Keypoint`, by alias). */
export interface Keypoint {
  x: number;
  y: number;
  confidence: number;
  class_id: number;
  class: string;
}

export type KeypointDetectorOptions = Omit<ObjectDetectorOptions, 'decoder'> & {
  /** Keypoint names in keypoint order (every class), or per class id; else the export's metadata; else COCO's for 17, else the indices. */
  keypointNames?: readonly string[] | Readonly<Record<number, readonly string[]>>;
};

export interface KeypointDetectOptions extends DetectOptions {
  /** Keypoints whose confidence is below this are left out (Roboflow's `keypoint_confidence`). Default 0. */
  keypointConfidence?: number;
}

export interface KeypointDetector {
  readonly classNames: readonly string[];
  readonly keypointShape: KeypointShape;
  readonly inputWidth: number;
  readonly inputHeight: number;
  /** The detector's predictions, each with `keypoints` in image pixels (rounded and clipped to the image, as Roboflow does). */
  detect(image: VadImage, options?: KeypointDetectOptions): Promise<Detections>;
  dispose(): Promise<void>;
}

/**
 * A YOLOv8/YOLO11-pose ONNX export as a keypoint detector: the object detector (letterbox,
 * decoding, class filter, NMS) finds the boxes; each kept box's column gives its K keypoints,
 * which are mapped back through the same letterbox transform.
 */
export async function createKeypointDetector(options: KeypointDetectorOptions): Promise<KeypointDetector> {
  const { detector, reword } = await createLayoutDetector(
    options,
    'yolov8_pose',
    'YOLOv8/YOLO11-pose',
    "a keypoint detection model needs one output [1, 4 + classes + 3·keypoints, N] and, to size it, Ultralytics' kpt_shape metadata (`yolo export format=onnx` of a -pose model)",
  );
  const names = namesOption(options.keypointNames) ?? keypointNamesFromMetadata(detector.metadata) ?? {};
  let shape = detector.keypointShape;
  return {
    get classNames() {
      return detector.classNames;
    },
    get keypointShape() {
      return shape ?? [0, 3];
    },
    inputWidth: detector.inputWidth,
    inputHeight: detector.inputHeight,
    async detect(image, detectOptions = {}) {
      const run = await detector.detectWithOutputs(image, detectOptions).catch((error: unknown) => Promise.reject(reword(error)));
      const { predictions } = run.detections;
      const output = run.outputs[0]!;
      const layout = poseLayout(output.dims, { keypointShape: detector.keypointShape, classCount: detector.classNames.length || undefined })!;
      shape ??= [layout.keypointCount, layout.keypointValues];
      if (predictions.length === 0) return run.detections;
      const values = keypointsAt(output, layout, run.kept.origins!);
      const { scaleX, scaleY, offsetX, offsetY } = run.input.transform;
      const threshold = detectOptions.keypointConfidence ?? 0;
      const clip = (value: number, size: number) => Math.round(Math.min(size, Math.max(0, value)));
      predictions.forEach((prediction, index) => {
        const classNames = keypointNamesOf(names, prediction.class_id, layout.keypointCount);
        const keypoints: Keypoint[] = [];
        // Names shorter than the keypoint rows end the list (Roboflow: Ultralytics pads multi-class keypoints with zeros).
        for (let k = 0; k < Math.min(layout.keypointCount, classNames.length); k++) {
          const at = (index * layout.keypointCount + k) * 3;
          const confidence = values[at + 2]!;
          if (confidence < threshold) continue;
          keypoints.push({
            x: clip((values[at]! - offsetX) / scaleX, image.width),
            y: clip((values[at + 1]! - offsetY) / scaleY, image.height),
            confidence,
            class_id: k,
            class: classNames[k]!,
          });
        }
        prediction.keypoints = keypoints;
      });
      return run.detections;
    },
    dispose: () => detector.dispose(),
  };
}

function namesOption(option: KeypointDetectorOptions['keypointNames']): KeypointNames | undefined {
  if (!option) return undefined;
  if (Array.isArray(option)) return { all: option as readonly string[] };
  return { byClass: new Map(Object.entries(option).map(([id, names]) => [Number(id), names as readonly string[]])) };
}
