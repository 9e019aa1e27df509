import { defineBlock, field, z } from '@vad/core';
import { contrastingTextColor, requireColor, type Rgb } from './colors.js';
import { colorFields, imageFields, predictionsField, readColoredBoxes } from './common-fields.js';
import { anchorPoint, anchorPositions, type AnchorPosition } from './detection-boxes.js';
import { separateLabels } from './label-placement.js';
import { labelText, labelTextChoices } from './label-text.js';
import { RgbCanvas } from './render/canvas.js';
import { drawTextBoxes, layoutTextBox, type TextBoxLayout } from './render/text-box.js';

const manifest = {
  ...imageFields,
  ...predictionsField,
  ...colorFields,
  text: field.parameter(z.string().min(1).default('Class'), ['string'], {
    description: `What each label says: ${labelTextChoices.join(', ')}, or the name of a detection property.`,
  }),
  text_position: field.parameter(z.enum(anchorPositions).default('TOP_LEFT'), ['string'], { description: 'Where the label sits relative to its box.' }),
  text_color: field.parameter(z.string().default('AUTO'), ['string'], {
    description:
      'Color of the text. AUTO (the default here; Roboflow defaults to WHITE) picks black or white per label, whichever contrasts more with the label color.',
  }),
  text_scale: field.parameter(z.number().positive().max(20).default(1), ['float'], { description: 'Text size (1: capitals 22 px tall, as Roboflow).' }),
  text_size_mode: field.parameter(z.enum(['Manual', 'Automatic']).default('Manual'), ['string'], {
    description: "v2: 'Manual' uses text_scale as it is; 'Automatic' scales it with the image: text_scale × shorter side / 1080, clamped to 0.3–5 (as Roboflow).",
  }),
  text_thickness: field.parameter(z.number().int().min(1).max(10).default(1), ['integer'], { description: 'Stroke weight of the text: 1 medium, 2 bold.' }),
  text_padding: field.parameter(z.number().int().min(0).max(200).default(10), ['integer'], { description: 'Padding around the text in pixels.' }),
  border_radius: field.parameter(z.number().int().min(0).max(500).default(0), ['integer'], { description: 'Corner radius of the label background in pixels.' }),
  avoid_overlap: field.parameter(z.boolean().default(true), ['boolean'], {
    description: 'Ours, not Roboflow\'s: move labels that would cover one another (higher confidence keeps its place).',
  }),
};

const parameterNames = [
  'color_palette', 'palette_size', 'custom_colors', 'color_axis', 'text', 'text_position', 'text_color', 'text_scale', 'text_size_mode', 'text_thickness', 'text_padding', 'border_radius', 'avoid_overlap',
] as const;

/** Where a label of size w×h goes for an anchor point (supervision's `resolve_text_background_xyxy`). */
export function labelOrigin(point: { x: number; y: number }, width: number, height: number, position: AnchorPosition): { left: number; top: number } {
  const { x, y } = point;
  switch (position) {
    case 'TOP_LEFT':
      return { left: x, top: y - height };
    case 'TOP_RIGHT':
      return { left: x - width, top: y - height };
    case 'TOP_CENTER':
      return { left: x - width / 2, top: y - height };
    case 'CENTER':
    case 'CENTER_OF_MASS':
      return { left: x - width / 2, top: y - height / 2 };
    case 'BOTTOM_LEFT':
      return { left: x, top: y };
    case 'BOTTOM_RIGHT':
      return { left: x - width, top: y };
    case 'BOTTOM_CENTER':
      return { left: x - width / 2, top: y };
    case 'CENTER_LEFT':
      return { left: x - width, top: y - height / 2 };
    case 'CENTER_RIGHT':
      return { left: x, top: y - height / 2 };
  }
}

/**
 * Roboflow's `text_size_mode` (label v2): 'Automatic' makes the text as large relative to the
 * image as text_scale would be at a 1080 px shorter side (where it means 0.7 × text_scale / 0.7).
 */
export function effectiveTextScale(scale: number, mode: 'Manual' | 'Automatic', image: { width: number; height: number }): number {
  if (mode !== 'Automatic') return scale;
  return Math.min(5, Math.max(0.3, (Math.min(image.width, image.height) / 1080) * scale));
}

/** Roboflow's `label_visualization`: a text label on a colored background for each detection. */
export const labelVisualization = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/label_visualization@v1',
  // v2 adds text_size_mode.
  aliases: ['roboflow_core/label_visualization@v1', 'LabelVisualization', 'roboflow_core/label_visualization@v2'],
  title: 'Label Visualization',
  description: 'Draws a label (class, confidence, …) on a colored background at each detection; labels are kept inside the image.',
  manifest,
  outputs: { image: { kinds: ['image'] } },
  create: () => ({
    async run(inputs, context) {
      const drawing = readColoredBoxes(manifest, inputs, parameterNames, context);
      if (!drawing) return { image: inputs.image };
      const { boxes, parameters: p, colorOf } = drawing;
      const textColorName = String(p.text_color);
      const fixedTextColor: Rgb | undefined =
        textColorName.toUpperCase() === 'AUTO' ? undefined : requireColor(textColorName, { stepName: context.stepName, property: 'text_color' });
      const canvas = await RgbCanvas.fromImage(inputs.image);
      const placed: { layout: TextBoxLayout; left: number; top: number; confidence: number }[] = [];
      const position = p.text_position as AnchorPosition;
      for (const box of boxes) {
        const background = colorOf(box);
        const layout = layoutTextBox(labelText(p.text as string, box), {
          scale: effectiveTextScale(p.text_scale as number, p.text_size_mode as 'Manual' | 'Automatic', inputs.image),
          thickness: p.text_thickness as number,
          padding: p.text_padding as number,
          textColor: fixedTextColor ?? contrastingTextColor(background),
          background,
          backgroundOpacity: 1,
          borderRadius: p.border_radius as number,
          align: 'left',
        });
        const origin = labelOrigin(anchorPoint(box, position), layout.width, layout.height, position);
        // Keep the whole label inside the image (a box at the top edge gets its label just inside).
        const left = Math.max(0, Math.min(canvas.width - layout.width, Math.round(origin.left)));
        const top = Math.max(0, Math.min(canvas.height - layout.height, Math.round(origin.top)));
        placed.push({ layout, left, top, confidence: Number(box.detection.confidence) || 0 });
      }
      if (p.avoid_overlap) {
        const byPriority = [...placed].sort((a, b) => b.confidence - a.confidence);
        const rects = byPriority.map(({ layout, left, top }) => ({ left, top, width: layout.width, height: layout.height }));
        separateLabels(rects, canvas.width, canvas.height);
        byPriority.forEach((label, i) => {
          label.left = rects[i]!.left;
          label.top = rects[i]!.top;
        });
      }
      await drawTextBoxes(canvas, placed);
      return { image: canvas.toImage() };
    },
  }),
});
