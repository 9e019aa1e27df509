import { defineBlock, field, z, type Detections } from '@vad/core';
import { requireColor, type Rgb } from './colors.js';
import { imageFields, readParameters } from './common-fields.js';
import { requireDetections } from './detection-boxes.js';
import { RgbCanvas } from './render/canvas.js';
import { drawPolylines, type Polyline } from './render/draw-polylines.js';
import { circleRequest, drawShapes, type PlacedShape } from './render/draw-shapes.js';
import { drawTextBoxes, layoutTextBox, type TextBoxLayout } from './render/text-box.js';

/** supervision's COCO skeleton (1-based keypoint numbers), the edges used for 17 keypoints when none are given. */
export const cocoSkeleton: ReadonlyArray<readonly [number, number]> = [
  [1, 2], [1, 3], [2, 3], [2, 4], [3, 5], [6, 12], [6, 7], [6, 8], [7, 13], [7, 9], [8, 10], [9, 11], [12, 13], [14, 12], [15, 13], [16, 14], [17, 15],
];

const manifest = {
  ...imageFields,
  predictions: field.selector<Detections>(['keypoint_detection_prediction'], { description: 'Keypoint detection predictions: each prediction with keypoints [{x, y, confidence, class_id, class}]' }),
  annotator_type: field.literal(z.enum(['edge', 'vertex', 'vertex_label']).default('edge'), {
    description: "'edge': lines between keypoints along edges; 'vertex': a filled circle per keypoint; 'vertex_label': each keypoint's index on a rounded label",
  }),
  color: field.parameter(z.string().default('#A351FB'), ['string'], { description: 'Color of the edges, circles or label backgrounds (#RRGGBB, rgb(…), bgr(…) or a name)' }),
  text_color: field.parameter(z.string().default('black'), ['string'], { description: "Label text color ('vertex_label')" }),
  text_scale: field.parameter(z.number().positive().default(0.5), ['float'], { description: "Label text scale ('vertex_label')" }),
  text_thickness: field.parameter(z.number().int().min(1).default(1), ['integer'], { description: "Label text thickness ('vertex_label')" }),
  text_padding: field.parameter(z.number().int().min(0).default(10), ['integer'], { description: "Padding around the label text ('vertex_label')" }),
  thickness: field.parameter(z.number().int().min(1).default(2), ['integer'], { description: "Edge line thickness ('edge')" }),
  radius: field.parameter(z.number().int().min(0).default(10), ['integer'], { description: "Circle radius ('vertex'); label corner radius ('vertex_label')" }),
  edges: field.parameter(z.array(z.tuple([z.number().int().min(1), z.number().int().min(1)])).nullable().default(null), ['list_of_values'], {
    description: "Pairs of 1-based keypoint numbers to join ('edge'); default: COCO's skeleton for 17 keypoints",
  }),
};

const parameterNames = ['color', 'text_color', 'text_scale', 'text_thickness', 'text_padding', 'thickness', 'radius', 'edges'] as const;

interface PixelKeypoint {
  x: number;
  y: number;
  /** The keypoint's index in the model's list (its class_id). */
  index: number;
}

/** Each prediction's keypoints in the image's pixels (scaled when the predictions were made on a resized copy). */
function keypointsOf(detections: Detections, width: number, height: number): PixelKeypoint[][] {
  const scaleX = width / (detections.image?.width || width);
  const scaleY = height / (detections.image?.height || height);
  return detections.predictions.map((prediction) => {
    const list = Array.isArray(prediction.keypoints) ? (prediction.keypoints as Array<{ x: unknown; y: unknown; class_id?: unknown }>) : [];
    return list
      .map((k, position) => ({ x: Number(k.x) * scaleX, y: Number(k.y) * scaleY, index: Number.isInteger(k.class_id) ? (k.class_id as number) : position }))
      .filter((k) => Number.isFinite(k.x) && Number.isFinite(k.y));
  });
}

/**
 * Roboflow's `keypoint_visualization@v1` (supervision's EdgeAnnotator, VertexAnnotator and
 * VertexLabelAnnotator). Keypoints at (0, 0) are taken as missing by the edge and label modes, as
 * supervision does. An edge's ends are found by keypoint class_id, so edges stay right when
 * keypoint_confidence has left some keypoints out.
 */
export const keypointVisualization = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/keypoint_visualization@v1',
  aliases: ['roboflow_core/keypoint_visualization@v1', 'KeypointVisualization'],
  title: 'Keypoint Visualization',
  description: "Draws each prediction's keypoints: edges between them (a skeleton), a circle per keypoint, or each keypoint's index on a label. Returns a new image.",
  manifest,
  outputs: { image: { kinds: ['image'] } },
  create: () => ({
    async run(inputs, context) {
      const detections = requireDetections(inputs.predictions, { stepName: context.stepName, property: 'predictions' });
      const { image } = inputs;
      const skeletons = keypointsOf(detections, image.width, image.height).filter((list) => list.length > 0);
      if (skeletons.length === 0) return { image };
      const p = readParameters(manifest, inputs, parameterNames, context.stepName);
      const color = requireColor(p.color as string, { stepName: context.stepName, property: 'color' });
      const canvas = await RgbCanvas.fromImage(image);
      const type = inputs.annotator_type ?? 'edge';
      if (type === 'edge') await drawEdges(canvas, skeletons, (p.edges as Array<[number, number]> | null) ?? undefined, color, p.thickness as number, context.warn);
      else if (type === 'vertex') {
        const request = circleRequest(p.radius as number, 'filled');
        const shapes: PlacedShape[] = skeletons.flatMap((list) => list.map((k) => ({ request, x: Math.trunc(k.x), y: Math.trunc(k.y), color })));
        await drawShapes(canvas, shapes);
      } else {
        const textColor = requireColor(p.text_color as string, { stepName: context.stepName, property: 'text_color' });
        const style = {
          scale: p.text_scale as number,
          thickness: p.text_thickness as number,
          padding: p.text_padding as number,
          textColor,
          background: color,
          backgroundOpacity: 1,
          borderRadius: p.radius as number,
          align: 'center' as const,
        };
        const placed: { layout: TextBoxLayout; left: number; top: number }[] = [];
        for (const list of skeletons) {
          for (const k of list) {
            const x = Math.trunc(k.x), y = Math.trunc(k.y);
            if (x === 0 || y === 0) continue; // supervision leaves out anchors with a zero coordinate
            const layout = layoutTextBox(String(k.index), style);
            placed.push({ layout, left: Math.round(x - layout.width / 2), top: Math.round(y - layout.height / 2) });
          }
        }
        await drawTextBoxes(canvas, placed);
      }
      return { image: canvas.toImage() };
    },
  }),
});

async function drawEdges(
  canvas: RgbCanvas,
  skeletons: PixelKeypoint[][],
  edges: ReadonlyArray<readonly [number, number]> | undefined,
  color: Rgb,
  thickness: number,
  warn: (message: string) => void,
): Promise<void> {
  const lines: Polyline[] = [];
  const unmatched = new Set<number>();
  for (const list of skeletons) {
    const count = Math.max(list.length, ...list.map((k) => k.index + 1));
    const pairs = edges && edges.length > 0 ? edges : count === 17 ? cocoSkeleton : undefined;
    if (!pairs) {
      unmatched.add(count);
      continue;
    }
    const byIndex = new Map(list.map((k) => [k.index, k]));
    for (const [a, b] of pairs) {
      const from = byIndex.get(a - 1), to = byIndex.get(b - 1);
      // Missing keypoints (left out, or at (0, 0) as supervision marks them) end no edge.
      if (!from || !to || (from.x === 0 && from.y === 0) || (to.x === 0 && to.y === 0)) continue;
      lines.push({ points: [from, to], color, thickness });
    }
  }
  if (unmatched.size > 0) warn(`no skeleton for ${[...unmatched].join(', ')} keypoints: set edges (pairs of 1-based keypoint numbers) to draw them`);
  await drawPolylines(canvas, lines);
}
