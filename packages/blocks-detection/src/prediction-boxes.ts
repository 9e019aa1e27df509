import { newDetectionId, type Detection } from '@vad/core';
import { createBoxSet, type BoxSet } from './box-set.js';

/** Corner boxes of Roboflow predictions (centre x/y, width, height). */
export function boxesFromPredictions(predictions: readonly Detection[]): BoxSet {
  const boxes = createBoxSet(predictions.length);
  predictions.forEach((p, i) => {
    boxes.corners[i * 4] = p.x - p.width / 2;
    boxes.corners[i * 4 + 1] = p.y - p.height / 2;
    boxes.corners[i * 4 + 2] = p.x + p.width / 2;
    boxes.corners[i * 4 + 3] = p.y + p.height / 2;
    boxes.scores[i] = p.confidence;
    boxes.classIds[i] = p.class_id;
  });
  return boxes;
}

/** Box `index` of `boxes` as a Roboflow prediction. */
export function predictionFromBox(boxes: BoxSet, index: number, fields: { className: string; parentId: string; detectionId?: string }): Detection {
  const x1 = boxes.corners[index * 4]!, y1 = boxes.corners[index * 4 + 1]!, x2 = boxes.corners[index * 4 + 2]!, y2 = boxes.corners[index * 4 + 3]!;
  return {
    x: (x1 + x2) / 2,
    y: (y1 + y2) / 2,
    width: x2 - x1,
    height: y2 - y1,
    confidence: boxes.scores[index]!,
    class: fields.className,
    class_id: boxes.classIds[index]!,
    detection_id: fields.detectionId ?? newDetectionId(),
    parent_id: fields.parentId,
  };
}
