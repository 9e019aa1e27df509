import { defineBlock, field, InvalidInputError, z } from '@vad/core';
import { colorFields, createColorLookup, imageFields, positionField, predictionsField, readParameters, type ColorOptions } from './common-fields.js';
import { anchorPoint, pixelBoxes, requireDetections, type AnchorPosition } from './detection-boxes.js';
import { RgbCanvas } from './render/canvas.js';
import { drawPolylines } from './render/draw-polylines.js';

const manifest = {
  ...imageFields,
  ...predictionsField,
  ...colorFields,
  position: positionField('CENTER', 'The point of each detection the trace follows.'),
  trace_length: field.parameter(z.number().int().min(1).default(30), ['integer'], { description: 'How many of the latest frames of positions a trace shows.' }),
  thickness: field.parameter(z.number().int().min(1).max(100).default(1), ['integer'], { description: 'Thickness of the trace line in pixels.' }),
};

const parameterNames = ['color_palette', 'palette_size', 'custom_colors', 'color_axis', 'position', 'trace_length', 'thickness'] as const;

interface TracePoint {
  readonly frame: number;
  readonly trackerId: number;
  readonly x: number;
  readonly y: number;
}

/**
 * Roboflow's `trace_visualization` (supervision's TraceAnnotator): the path each tracked object's
 * anchor took over the last `trace_length` frames, drawn for the objects of the current frame.
 * The history is kept per stream (the engine keeps one instance per stream id).
 */
export const traceVisualization = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/trace_visualization@v1',
  aliases: ['roboflow_core/trace_visualization@v1'],
  title: 'Trace Visualization',
  description: "Draws each tracked object's recent path (its anchor point over the last trace_length frames). Needs detections with tracker_id. Returns a new image.",
  manifest,
  outputs: { image: { kinds: ['image'] } },
  stateful: true,
  create: () => {
    let history: TracePoint[] = [];
    let frame = 0;
    return {
      async run(inputs, context) {
        const detections = requireDetections(inputs.predictions, { stepName: context.stepName, property: 'predictions' });
        if (detections.predictions.some((p) => !Number.isInteger(p.tracker_id))) {
          throw new InvalidInputError({
            message: 'expected tracked predictions (each with a tracker_id), e.g. from roboflow_core/byte_tracker',
            stepName: context.stepName,
            property: 'predictions',
          });
        }
        const p = readParameters(manifest, inputs, parameterNames, context.stepName);
        const { image } = inputs;
        const boxes = pixelBoxes(detections, image.width, image.height).filter((box) => box.detection.tracker_id !== -1);
        for (const box of boxes) history.push({ frame, trackerId: box.detection.tracker_id!, ...anchorPoint(box, p.position as AnchorPosition) });
        // Keep the positions of the last trace_length frames (frames are counted whether or not they had detections).
        const oldest = frame - (p.trace_length as number) + 1;
        history = history.filter((point) => point.frame >= oldest);
        frame++;
        if (boxes.length === 0) return { image };
        const colorOf = createColorLookup(p as unknown as ColorOptions, context);
        const lines = boxes.map((box) => ({
          points: history.filter((point) => point.trackerId === box.detection.tracker_id),
          color: colorOf(box),
          thickness: p.thickness as number,
        }));
        if (lines.every((line) => line.points.length < 2)) return { image };
        const canvas = await RgbCanvas.fromImage(image);
        await drawPolylines(canvas, lines);
        return { image: canvas.toImage() };
      },
    };
  },
});
