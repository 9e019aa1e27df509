// Renders every block of @vad/visualize on the photos in shared/datasets/photos into a folder, for a
// person to look at. Usage: pnpm --filter @vad/visualize gallery [output folder] (default: gallery/).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VadImage } from '@vad/core';
import { sharedPath } from '@vad/testing';
import {
  anomalyMapVisualization,
  boundingBoxVisualization,
  heatmapVisualization,
  labelVisualization,
  textDisplay,
} from '../dist/index.js';
import { annotatedPhotos, blobMap, detection, photoDetections } from './fixtures.mjs';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const output = path.resolve(process.argv[2] ?? path.join(packageRoot, 'gallery'));
const photos = sharedPath('datasets/photos');
if (!photos) {
  console.error('the gallery needs shared/datasets/photos');
  process.exit(1);
}
mkdirSync(output, { recursive: true });

const context = (streamId = 'gallery') => ({ stepName: 'gallery', streamId, signal: new AbortController().signal, warn: (message) => console.warn(`warning: ${message}`) });
async function render(block, inputs, instance) {
  const created = instance ?? (await block.create({ stepName: 'gallery', properties: {}, host: {} }));
  return (await created.run(inputs, context())).image;
}
async function save(name, image) {
  writeFileSync(path.join(output, `${name}.png`), await image.encode('png'));
  console.log(`${name}.png ${image.width}×${image.height}`);
}
const load = async (name) => VadImage.fromBytes(readFileSync(path.join(photos, `${name}.jpg`)), { name });

for (const name of annotatedPhotos) {
  const image = await load(name);
  const predictions = photoDetections(name, image.width, image.height);
  await save(`${name}-boxes`, await render(boundingBoxVisualization, { image, predictions }));
  const boxed = await render(boundingBoxVisualization, { image, predictions, roundness: 0.3, thickness: 3 });
  await save(`${name}-boxes-labels`, await render(labelVisualization, { image: boxed, predictions, text: 'Class and Confidence', text_scale: 0.6, text_padding: 6 }));
}

{
  // Label options: positions, palettes, index colors, rounded labels, Roboflow's white text.
  const image = await load('horses');
  const predictions = photoDetections('horses', image.width, image.height);
  let out = await render(boundingBoxVisualization, { image, predictions, color_axis: 'INDEX', color_palette: 'Matplotlib Tab10' });
  out = await render(labelVisualization, { image: out, predictions, color_axis: 'INDEX', color_palette: 'Matplotlib Tab10', text: 'Index', text_position: 'CENTER', border_radius: 8 });
  await save('horses-index-center-labels', out);
  out = await render(boundingBoxVisualization, { image, predictions, color_palette: 'ROBOFLOW', color_axis: 'INDEX' });
  out = await render(labelVisualization, { image: out, predictions, color_palette: 'ROBOFLOW', color_axis: 'INDEX', text: 'Dimensions', text_position: 'BOTTOM_LEFT', text_scale: 0.5, text_padding: 5 });
  await save('horses-roboflow-palette-dimensions', out);
  // Predictions made on a half-size copy of the photo are scaled onto it; Roboflow's white bold text.
  const half = {
    image: { width: Math.round(image.width / 2), height: Math.round(image.height / 2) },
    predictions: predictions.predictions.map((p) => ({ ...p, x: p.x / 2, y: p.y / 2, width: p.width / 2, height: p.height / 2 })),
  };
  out = await render(boundingBoxVisualization, { image, predictions: half, thickness: 1 });
  out = await render(labelVisualization, { image: out, predictions: half, text_color: 'WHITE', text: 'Class and Confidence', text_scale: 0.5, text_thickness: 2, text_padding: 4 });
  await save('horses-half-size-predictions-white-bold-text', out);
}

{
  // Bad input: boxes partly or wholly outside the image, a box at the top edge (its label moves inside).
  const image = await load('dog');
  const predictions = {
    image: { width: image.width, height: image.height },
    predictions: [
      detection([-60, 300, 120, 650], { class: 'cut left and bottom', class_id: 3, confidence: 0.5 }),
      detection([600, -40, 900, 120], { class: 'cut top and right', class_id: 5, confidence: 0.6 }),
      detection([2000, 2000, 2100, 2100], { class: 'outside', class_id: 6, confidence: 0.7 }),
      detection([250, 0, 400, 90], { class: 'at the top edge', class_id: 9, confidence: 0.8 }),
    ],
  };
  const boxed = await render(boundingBoxVisualization, { image, predictions, thickness: 4 });
  await save('dog-clipped-detections', await render(labelVisualization, { image: boxed, predictions, text_scale: 0.6 }));
}

{
  // The heatmap of one stream: a dog walking left to right and a person pacing, 40 frames.
  const image = await load('person');
  const heatmap = await heatmapVisualization.create({ stepName: 'gallery', properties: {}, host: {} });
  let frame;
  for (let t = 0; t < 40; t++) {
    const dogX = 60 + t * 12;
    const personX = 200 + 40 * Math.sin(t / 4);
    const predictions = {
      image: { width: image.width, height: image.height },
      predictions: [
        detection([dogX, 262, dogX + 140, 345], { class: 'dog', class_id: 16, confidence: 0.9 }),
        detection([personX, 100, personX + 85, 375], { class: 'person', class_id: 0, confidence: 0.9 }),
      ],
    };
    frame = await render(heatmapVisualization, { image, predictions, opacity: 0.5 }, heatmap);
  }
  await save('person-heatmap-40-frames', frame);
}

{
  // Anomaly maps: automatic turbo with contours at the threshold, fixed jet, and a small map resized.
  const image = await load('horses');
  const full = blobMap(image.width, image.height, [{ x: 0.2, y: 0.55, sigma: 0.05, peak: 0.9 }, { x: 0.66, y: 0.52, sigma: 0.04, peak: 0.6 }], 0.45);
  await save('horses-anomaly-turbo-auto-contours', await render(anomalyMapVisualization, { image, anomaly_map: full }));
  await save('horses-anomaly-jet-fixed', await render(anomalyMapVisualization, { image, anomaly_map: full, colormap: 'jet', normalization: 'fixed', min_score: 0, max_score: 2, opacity: 0.4, show_contours: false }));
  const small = blobMap(97, 64, [{ x: 0.45, y: 0.5, sigma: 0.08, peak: 1 }], 0.5);
  await save('horses-anomaly-small-map-resized', await render(anomalyMapVisualization, { image, anomaly_map: small, contour_color: 'BLACK', contour_thickness: 3 }));
  const giraffe = await load('giraffe');
  const square = blobMap(64, 64, [{ x: 0.4, y: 0.35, sigma: 0.1, peak: 1 }], 0.6);
  await save('giraffe-anomaly-square-map', await render(anomalyMapVisualization, { image: giraffe, anomaly_map: square, opacity: 0.35 }));
}

{
  // Text display: a template with parameters, anchors, alignment, translucent background.
  const image = await load('kite');
  const predictions = photoDetections('kite', image.width, image.height);
  let out = await render(textDisplay, {
    image,
    text: 'Line 3 — camera {{ $parameters.camera }}\nDetections: {{ $parameters.count }}\nAnomaly score {{ $parameters.score }} ({{ $parameters.missing }})',
    text_parameters: { camera: 'north', count: predictions, score: 0.8731 },
  });
  out = await render(textDisplay, { image: out, text: 'PASS', anchor: 'top_right', offset_x: -10, background_color: '#1B9640', font_scale: 1.5, border_radius: 10 });
  out = await render(textDisplay, { image: out, text: 'centred, translucent\nsecond line', anchor: 'center', offset_x: 0, offset_y: 0, text_align: 'center', background_opacity: 0.5, font_thickness: 1 });
  out = await render(textDisplay, { image: out, text: 'bottom right, clamped inside', anchor: 'bottom_right', text_color: 'BLACK', background_color: 'rgb(255, 230, 120)', font_scale: 0.8 });
  out = await render(textDisplay, { image: out, text: 'absolute (40, 560), no background', position_mode: 'absolute', position_x: 40, position_y: 560, background_color: 'transparent', text_color: 'YELLOW' });
  await save('kite-text-display', out);
}
console.log(`gallery written to ${output}`);
