import { labelComponents, newDetectionId, type AnomalyMap, type Detection, type Detections } from '@vad/core';

export interface AnomalyRegionOptions {
  /** Map values above this are anomalous (default: the map's own threshold, else 0.5). */
  threshold?: number;
  /** Regions smaller than this many pixels are dropped (default 1). */
  minArea?: number;
  /** Id of the image the map describes (default: the map's `imageId`). */
  parentId?: string;
}

/**
 * Anomaly map → detections: pixels above the threshold, 8-connected regions, one box per region
 * (Roboflow's centre/size shape, class `anomaly`), confidence = the region's peak map value
 * clipped to [0, 1] (normalised maps put the threshold at 0.5).
 */
export function anomalyRegions(map: AnomalyMap, options: AnomalyRegionOptions = {}): Detections {
  const threshold = options.threshold ?? map.threshold ?? 0.5;
  const minArea = options.minArea ?? 1;
  const { width, height, data } = map;
  const mask = new Uint8Array(width * height);
  for (let index = 0; index < mask.length; index++) mask[index] = data[index]! > threshold ? 1 : 0;
  const { labels, components } = labelComponents(mask, width, height);
  const peaks = new Float32Array(components.length + 1).fill(-Infinity);
  for (let index = 0; index < labels.length; index++) {
    const label = labels[index]!;
    if (label > 0 && data[index]! > peaks[label]!) peaks[label] = data[index]!;
  }
  const parentId = options.parentId ?? map.imageId ?? 'image';
  const predictions: Detection[] = components
    .filter((component) => component.area >= minArea)
    .map((component) => {
      const boxWidth = component.maxX - component.minX + 1;
      const boxHeight = component.maxY - component.minY + 1;
      return {
        x: component.minX + boxWidth / 2,
        y: component.minY + boxHeight / 2,
        width: boxWidth,
        height: boxHeight,
        confidence: Math.min(1, Math.max(0, peaks[component.label]!)),
        class: 'anomaly',
        class_id: 0,
        detection_id: newDetectionId(),
        parent_id: parentId,
        area: component.area,
      };
    })
    .sort((a, b) => b.confidence - a.confidence);
  return { image: { width, height }, predictions };
}
