import { defineBlock, field, loadSharp, z } from '@vad/core';
import { imageFields, predictionsField, readParameters } from './common-fields.js';
import { anchorPoint, pixelBoxes, requireDetections, type AnchorPosition } from './detection-boxes.js';
import { discMask, HeatAccumulator } from './heat-accumulator.js';
import { RgbCanvas } from './render/canvas.js';

const heatmapPositions = ['CENTER', 'CENTER_LEFT', 'CENTER_RIGHT', 'TOP_CENTER', 'TOP_LEFT', 'TOP_RIGHT', 'BOTTOM_CENTER', 'BOTTOM_LEFT', 'BOTTOM_RIGHT'] as const;

const manifest = {
  ...imageFields,
  ...predictionsField,
  metadata: field.selector(['video_metadata'], {
    optional: true,
    description: "Accepted for Roboflow compatibility (its video identifier keys the state); here the run's stream id does.",
  }),
  position: field.parameter(z.enum(heatmapPositions).default('BOTTOM_CENTER'), ['string'], { description: 'The point of each detection that adds heat.' }),
  opacity: field.parameter(z.number().min(0).max(1).default(0.2), ['float'], { description: 'Opacity of the heat overlay, between 0 and 1.' }),
  radius: field.parameter(z.number().int().min(1).max(1000).default(40), ['integer'], { description: 'Radius of the heat circle in pixels.' }),
  kernel_size: field.parameter(z.number().int().min(0).max(1001).default(25), ['integer'], { description: 'Size of the blur applied to the hues (0 or 1: no blur).' }),
  top_hue: field.parameter(z.number().int().min(0).max(179).default(0), ['integer'], { description: 'Hue of the hottest places (OpenCV hue, 0–179; 0 is red).' }),
  low_hue: field.parameter(z.number().int().min(0).max(179).default(125), ['integer'], { description: 'Hue of the coolest places (125 is blue).' }),
  ignore_stationary: field.parameter(z.boolean().default(true), ['boolean'], {
    description: 'With tracker ids, only detections that moved at least motion_threshold pixels since their last counted position add heat.',
  }),
  motion_threshold: field.parameter(z.number().min(0).default(25), ['integer'], { description: 'Movement in pixels for a tracked object to count as moving.' }),
};

const parameterNames = ['position', 'opacity', 'radius', 'kernel_size', 'top_hue', 'low_hue', 'ignore_stationary', 'motion_threshold'] as const;

/** RGB of OpenCV 8-bit hues (0–179, two degrees a step) at full saturation and value; 768 bytes. */
function hueTable(): Uint8Array {
  const table = new Uint8Array(256 * 3);
  for (let hue = 0; hue < 256; hue++) {
    const degrees = (Math.min(hue, 179) * 2) % 360;
    const sector = degrees / 60;
    const fraction = sector - Math.floor(sector);
    const rising = Math.round(255 * fraction);
    const falling = 255 - rising;
    const rgb = [[255, rising, 0], [falling, 255, 0], [0, 255, rising], [0, falling, 255], [rising, 0, 255], [255, 0, falling]][Math.floor(sector) % 6]!;
    table.set(rgb, hue * 3);
  }
  return table;
}
const hues = hueTable();

/**
 * Roboflow's `heatmap_visualization`: heat accumulates per stream where detections are, drawn as a
 * translucent hue overlay (blue where little happened, red where most did). The workflow engine
 * keeps one instance per stream id, so two cameras never share a heatmap.
 */
export const heatmapVisualization = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/heatmap_visualization@v1',
  aliases: ['roboflow_core/heatmap_visualization@v1', 'HeatmapVisualization'],
  title: 'Heatmap Visualization',
  description: 'Accumulates detections over the frames of a stream and overlays where they concentrate.',
  manifest,
  outputs: { image: { kinds: ['image'] } },
  stateful: true,
  create: () => {
    let accumulator: HeatAccumulator | undefined;
    const lastCounted = new Map<number, { x: number; y: number }>();
    return {
      async run(inputs, context) {
        const detections = requireDetections(inputs.predictions, { stepName: context.stepName, property: 'predictions' });
        const p = readParameters(manifest, inputs, parameterNames, context.stepName);
        const { image } = inputs;
        if (accumulator && (accumulator.width !== image.width || accumulator.height !== image.height)) {
          context.warn(`the image size changed from ${accumulator.width}×${accumulator.height} to ${image.width}×${image.height}; the heatmap starts again`);
          accumulator = undefined;
          lastCounted.clear();
        }
        accumulator ??= new HeatAccumulator(image.width, image.height);
        const points: { x: number; y: number }[] = [];
        for (const box of pixelBoxes(detections, image.width, image.height)) {
          const point = anchorPoint(box, p.position as AnchorPosition);
          const trackerId = box.detection.tracker_id;
          if (p.ignore_stationary && Number.isInteger(trackerId)) {
            const previous = lastCounted.get(trackerId!);
            // As Roboflow: a new track is remembered but adds no heat until it has moved.
            if (!previous) {
              lastCounted.set(trackerId!, point);
              continue;
            }
            if (Math.hypot(point.x - previous.x, point.y - previous.y) < (p.motion_threshold as number)) continue;
            lastCounted.set(trackerId!, point);
          }
          points.push(point);
        }
        const radius = p.radius as number;
        accumulator.add(points, radius, await discMask(radius));
        if (accumulator.maximum === 0) return { image };
        const hueLevels = await blurredHues(accumulator, p.low_hue as number, p.top_hue as number, p.kernel_size as number);
        const canvas = await RgbCanvas.fromImage(image);
        blendHeat(canvas.data, accumulator.heat, hueLevels, p.opacity as number);
        return { image: canvas.toImage() };
      },
    };
  },
});

/**
 * Hue per pixel, low_hue where there is no heat to top_hue at the maximum, blurred by libvips.
 * OpenCV's box blur of `kernel_size` is approximated by a Gaussian of the same standard deviation.
 */
async function blurredHues(accumulator: HeatAccumulator, lowHue: number, topHue: number, kernelSize: number): Promise<Uint8Array> {
  const { heat, width, height, maximum } = accumulator;
  const hue = new Uint8Array(heat.length);
  const factor = (lowHue - topHue) / maximum;
  for (let i = 0; i < heat.length; i++) hue[i] = lowHue - heat[i]! * factor;
  if (kernelSize < 2) return hue;
  const sharp = await loadSharp();
  const sigma = Math.max(0.3, Math.sqrt((kernelSize * kernelSize - 1) / 12));
  const blurred = await sharp(hue, { raw: { width, height, channels: 1 } }).blur(sigma).extractChannel(0).raw().toBuffer();
  return new Uint8Array(blurred.buffer, blurred.byteOffset, blurred.byteLength);
}

/** Blends the hue colors over the pixels that have heat, in one pass. */
function blendHeat(rgb: Uint8Array, heat: Float32Array, hueLevels: Uint8Array, opacity: number): void {
  const weight = Math.round(opacity * 256);
  for (let i = 0, j = 0; i < heat.length; i++, j += 3) {
    if (heat[i] === 0) continue;
    const c = hueLevels[i]! * 3;
    rgb[j] = (rgb[j]! * (256 - weight) + hues[c]! * weight + 128) >> 8;
    rgb[j + 1] = (rgb[j + 1]! * (256 - weight) + hues[c + 1]! * weight + 128) >> 8;
    rgb[j + 2] = (rgb[j + 2]! * (256 - weight) + hues[c + 2]! * weight + 128) >> 8;
  }
}
