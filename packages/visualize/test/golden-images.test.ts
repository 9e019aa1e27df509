import { describe, expect, it } from 'vitest';
import { sharedPath } from '@vad/testing';
import { anomalyMapVisualization, boundingBoxVisualization, heatmapVisualization, labelVisualization, textDisplay } from '../src/index.js';
import { blobMap, detection, photoDetections } from '../scripts/fixtures.mjs';
import { compareWithGolden, goldenTolerance } from './golden.js';
import { downscaledPhoto, gradientImage, runBlock } from './photos.js';

async function expectGolden(name: string, image: Parameters<typeof compareWithGolden>[1]) {
  const comparison = await compareWithGolden(name, image);
  expect(comparison.meanAbsoluteDifference, `${name}: mean absolute difference`).toBeLessThanOrEqual(goldenTolerance.meanAbsoluteDifference);
  expect(comparison.differingPixelFraction, `${name}: share of differing pixels`).toBeLessThanOrEqual(goldenTolerance.differingPixelFraction);
}

describe('golden images, synthetic input', () => {
  it('boxes and labels on a light and a dark background', async () => {
    const image = gradientImage(200, 120);
    const predictions = {
      image: { width: 200, height: 120 },
      predictions: [
        detection([10, 40, 90, 110], { class: 'scratch', class_id: 2, confidence: 0.91 }),
        detection([110, 30, 190, 100], { class: 'dent', class_id: 5, confidence: 0.47 }),
        detection([150, -20, 260, 20], { class: 'cut', class_id: 0, confidence: 0.33 }),
      ],
    };
    const boxed = await runBlock(boundingBoxVisualization, { image, predictions, roundness: 0.4 });
    await expectGolden('synthetic-boxes-labels', await runBlock(labelVisualization, { image: boxed, predictions, text: 'Class and Confidence', text_scale: 0.45, text_padding: 4 }));
  });
});

const photos = sharedPath('datasets/photos');

describe.skipIf(!photos)('golden images, photos from shared/datasets/photos', () => {
  it('rounded boxes and labels, predictions scaled from the full-size photo', async () => {
    const image = await downscaledPhoto(photos!, 'dog', 256);
    const predictions = photoDetections('dog', 768, 576); // made on the full-size photo
    const boxed = await runBlock(boundingBoxVisualization, { image, predictions, roundness: 0.3 });
    await expectGolden('dog-boxes-labels', await runBlock(labelVisualization, { image: boxed, predictions, text: 'Class and Confidence', text_scale: 0.4, text_padding: 3 }));
  });

  it('labels over a light sky stay legible (contrasting text on each label)', async () => {
    const image = await downscaledPhoto(photos!, 'kite', 320);
    const predictions = photoDetections('kite', 1352, 900);
    await expectGolden('kite-labels', await runBlock(labelVisualization, { image, predictions, text_scale: 0.35, text_padding: 2, color_axis: 'INDEX' }));
  });

  it('anomaly overlay: a small map resized onto the photo, turbo, contours at the threshold', async () => {
    const image = await downscaledPhoto(photos!, 'horses', 256);
    const anomalyMap = blobMap(97, 64, [{ x: 0.45, y: 0.5, sigma: 0.08, peak: 1 }, { x: 0.8, y: 0.6, sigma: 0.05, peak: 0.6 }], 0.5);
    await expectGolden('horses-anomaly-turbo', await runBlock(anomalyMapVisualization, { image, anomaly_map: anomalyMap }));
  });

  it('anomaly overlay: jet with fixed normalization', async () => {
    const image = await downscaledPhoto(photos!, 'giraffe', 200);
    const anomalyMap = blobMap(64, 64, [{ x: 0.4, y: 0.35, sigma: 0.1, peak: 1.2 }], 0.6);
    await expectGolden(
      'giraffe-anomaly-jet-fixed',
      await runBlock(anomalyMapVisualization, { image, anomaly_map: anomalyMap, colormap: 'jet', normalization: 'fixed', min_score: 0, max_score: 1.5, opacity: 0.45, contour_color: 'BLACK' }),
    );
  });

  it('heatmap of one stream after 12 frames', async () => {
    const image = await downscaledPhoto(photos!, 'person', 256);
    const instance = await heatmapVisualization.create({ stepName: 'step', properties: {}, host: {} });
    let frame = image;
    for (let t = 0; t < 12; t++) {
      const x = 20 + t * 15;
      const predictions = { image: { width: image.width, height: image.height }, predictions: [detection([x, 100, x + 50, 140], { class: 'dog', class_id: 16, confidence: 0.9 })] };
      frame = await runBlock(heatmapVisualization, { image, predictions, radius: 16, kernel_size: 9, opacity: 0.5 }, instance);
    }
    await expectGolden('person-heatmap', frame);
  });

  it('text display with parameters, anchored and absolute', async () => {
    const image = await downscaledPhoto(photos!, 'kite', 320);
    let out = await runBlock(textDisplay, {
      image,
      text: 'Camera {{ $parameters.camera }}\nDetections: {{ $parameters.count }}',
      text_parameters: { camera: 'north', count: photoDetections('kite', 1352, 900) },
      font_scale: 0.45,
      padding: 5,
    });
    out = await runBlock(textDisplay, { image: out, text: 'PASS', anchor: 'bottom_right', offset_x: -6, offset_y: -6, background_color: '#1B9640', border_radius: 6, font_scale: 0.6, padding: 4 });
    await expectGolden('kite-text-display', out);
  });
});
