import type { Detection } from '../values.js';
import type { DetectionProperty } from './schema.js';

/** A box's corners in pixels, as Roboflow's `xyxy`. */
export function corners(d: Detection): { x1: number; y1: number; x2: number; y2: number } {
  return { x1: d.x - d.width / 2, y1: d.y - d.height / 2, x2: d.x + d.width / 2, y2: d.y + d.height / 2 };
}

/** One property of one detection (Roboflow's ExtractDetectionProperty); analytics fields are read by name, null when absent. */
export function detectionProperty(d: Detection, property: DetectionProperty): unknown {
  const { x1, y1, x2, y2 } = corners(d);
  switch (property) {
    case 'confidence': return d.confidence;
    case 'class_name': return d.class;
    case 'class_id': return d.class_id;
    case 'x_min': return x1;
    case 'y_min': return y1;
    case 'x_max': return x2;
    case 'y_max': return y2;
    case 'size': return d.width * d.height;
    case 'center': return [d.x, d.y];
    case 'top_left': return [x1, y1];
    case 'top_right': return [x2, y1];
    case 'bottom_left': return [x1, y2];
    case 'bottom_right': return [x2, y2];
    case 'polygon': return d.points ?? null;
    default: return d[property] ?? null;
  }
}

/** Detections with their boxes moved or resized: `[dx1, dy1, dx2, dy2]` added to each box's corners. */
export function moveCorners(d: Detection, [dx1, dy1, dx2, dy2]: readonly [number, number, number, number]): Detection {
  const { x1, y1, x2, y2 } = corners(d);
  const [nx1, ny1, nx2, ny2] = [x1 + dx1, y1 + dy1, x2 + dx2, y2 + dy2];
  return { ...d, x: (nx1 + nx2) / 2, y: (ny1 + ny2) / 2, width: nx2 - nx1, height: ny2 - ny1 };
}
