// Inputs shared by the tests, the gallery and the benchmark: detections drawn by hand on the
// photos in shared/datasets/photos, and anomaly maps made from Gaussian blobs.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const boxes = JSON.parse(readFileSync(fileURLToPath(new URL('../src/__fixtures__/photo-detections.json', import.meta.url)), 'utf8'));

/** Names of the photos that have hand-drawn detections. */
export const annotatedPhotos = Object.keys(boxes);

/** Detection from corners, in Roboflow's shape. */
export function detection([x1, y1, x2, y2], fields, parentId = 'image') {
  return { x: (x1 + x2) / 2, y: (y1 + y2) / 2, width: x2 - x1, height: y2 - y1, detection_id: `${fields.class}-${x1}-${y1}`, parent_id: parentId, ...fields };
}

/** The hand-drawn detections of a photo, in Roboflow's {image, predictions} shape. */
export function photoDetections(name, width, height) {
  return { image: { width, height }, predictions: boxes[name].map(({ box, ...fields }) => detection(box, fields)) };
}

/** An anomaly map width×height: a gentle gradient plus Gaussian blobs {x, y, sigma, peak} (x, y in 0–1). */
export function blobMap(width, height, blobs, threshold) {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let value = 0.05 + 0.1 * (x / width) * (y / height);
      for (const blob of blobs) {
        const dx = x / width - blob.x;
        const dy = y / height - blob.y;
        value += blob.peak * Math.exp(-(dx * dx + dy * dy) / (2 * blob.sigma * blob.sigma));
      }
      data[y * width + x] = value;
    }
  }
  return { kind: 'anomaly_map', width, height, data, ...(threshold !== undefined && { threshold }) };
}

/** `count` detections scattered over a width×height frame, repeatable (a fixed linear congruential sequence). */
export function scatteredDetections(count, width, height) {
  let seed = 12345;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const classes = ['person', 'car', 'dog', 'bicycle', 'truck', 'bird', 'horse', 'kite'];
  const predictions = [];
  for (let i = 0; i < count; i++) {
    const w = 40 + next() * 160;
    const h = 40 + next() * 160;
    const x1 = next() * (width - w);
    const y1 = next() * (height - h);
    const classId = Math.floor(next() * classes.length);
    predictions.push(detection([x1, y1, x1 + w, y1 + h], { class: classes[classId], class_id: classId, confidence: 0.5 + next() * 0.5 }));
  }
  return { image: { width, height }, predictions };
}
