import { defineBlock, field, InvalidInputError, isClassification, z, type Classification, type ClassScore, type Detection } from '@vad/core';
import { contrastingTextColor, requireColor, type Rgb } from './colors.js';
import { colorFields, createColorLookup, imageFields, readParameters, type ColorOptions } from './common-fields.js';
import { anchorPoint, type AnchorPosition, type PixelBox } from './detection-boxes.js';
import { labelOrigin } from './label-visualization.js';
import { labelText } from './label-text.js';
import { RgbCanvas } from './render/canvas.js';
import { drawTextBoxes, layoutTextBox } from './render/text-box.js';

const textPositions = ['CENTER', 'CENTER_LEFT', 'CENTER_RIGHT', 'TOP_CENTER', 'TOP_LEFT', 'TOP_RIGHT', 'BOTTOM_LEFT', 'BOTTOM_CENTER', 'BOTTOM_RIGHT'] as const;
type TextPosition = (typeof textPositions)[number];

const manifest = {
  ...imageFields,
  predictions: field.selector<Classification>(['classification_prediction'], { description: 'A single-label or multi-label classification.' }),
  ...colorFields,
  text: field.parameter(z.enum(['Class', 'Confidence', 'Class and Confidence']).default('Class'), ['string'], { description: 'What each label says.' }),
  text_position: field.parameter(z.enum(textPositions).default('TOP_LEFT'), ['string'], { description: 'Where on the image the labels go.' }),
  text_color: field.parameter(z.string().default('WHITE'), ['string'], { description: 'Color of the text (a color, or AUTO: black or white, whichever contrasts more with the label).' }),
  text_scale: field.parameter(z.number().positive().max(20).default(1), ['float'], { description: 'Text size (1: capitals 22 px tall, as Roboflow).' }),
  text_thickness: field.parameter(z.number().int().min(1).max(10).default(1), ['integer'], { description: 'Stroke weight of the text: 1 medium, 2 bold.' }),
  text_padding: field.parameter(z.number().int().min(0).max(200).default(10), ['integer'], { description: 'Padding around the text in pixels; also spaces the labels.' }),
  border_radius: field.parameter(z.number().int().min(0).max(500).default(0), ['integer'], { description: 'Corner radius of the label background in pixels.' }),
};

const parameterNames = ['color_palette', 'palette_size', 'custom_colors', 'color_axis', 'text', 'text_position', 'text_color', 'text_scale', 'text_thickness', 'text_padding', 'border_radius'] as const;

/** The classes a classification shows: single-label its top class; multi-label its predicted classes, best first. */
export function shownClasses(classification: Classification): ClassScore[] {
  if (Array.isArray(classification.predictions)) {
    const best = [...classification.predictions].sort((a, b) => b.confidence - a.confidence)[0];
    return best ? [best] : [];
  }
  const scores = classification.predictions;
  const predicted = 'predicted_classes' in classification ? classification.predicted_classes : [];
  return predicted
    .filter((name) => scores[name] !== undefined)
    .map((name) => ({ class: name, class_id: scores[name]!.class_id, confidence: scores[name]!.confidence }))
    .sort((a, b) => b.confidence - a.confidence);
}

export interface ClassificationLabelLayout {
  readonly classes: readonly ClassScore[];
  /** The box each label is anchored to, as Roboflow lays them out (one row per class). */
  readonly boxes: readonly { x1: number; y1: number; x2: number; y2: number }[];
}

/**
 * Roboflow's layout of the labels: one row per class, `spacing` = 20 × scale + 2 × padding + 2 ×
 * thickness + 5 pixels apart. Top positions stack downwards from one row below the top edge (a
 * label sits above its anchor), bottom positions stack upwards from one row above the bottom edge
 * with the best class highest, centre positions centre the stack; CENTER_LEFT and CENTER_RIGHT
 * keep a margin of the estimated widest label (15 px a character at scale 1) from their side.
 */
export function layoutClassificationLabels(
  classes: readonly ClassScore[],
  labels: readonly string[],
  options: { position: TextPosition; width: number; height: number; scale: number; padding: number; thickness: number },
): ClassificationLabelLayout {
  const { position, width: w, height: h, scale, padding, thickness } = options;
  const spacing = 20 * scale + padding * 2 + thickness * 2 + 5;
  const n = classes.length;
  if (position.startsWith('BOTTOM')) {
    return { classes: [...classes].reverse(), boxes: classes.map((_, i) => ({ x1: 0, y1: 0, x2: w, y2: h - (spacing + i * spacing) })) };
  }
  if (position.startsWith('CENTER')) {
    const total = spacing * n;
    const startY = Math.max(0, Math.min((h - total) / 2, h - total));
    const labelWidth = Math.max(0, ...labels.map((label) => label.length)) * 15 * scale + padding * 2;
    const extra = 20 + Math.max(0, 10 - padding) * 3;
    const [x1, x2] = position === 'CENTER_LEFT' ? [labelWidth + extra, w] : position === 'CENTER_RIGHT' ? [0, w - (labelWidth + extra)] : [0, w];
    return { classes, boxes: classes.map((_, i) => ({ x1, y1: startY + i * spacing, x2, y2: startY + (i + 1) * spacing })) };
  }
  return { classes, boxes: classes.map((_, i) => ({ x1: 0, y1: spacing + i * spacing, x2: w, y2: h })) };
}

/** Roboflow's `classification_label_visualization`: the class(es) of a classification written on the image. */
export const classificationLabelVisualization = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/classification_label_visualization@v1',
  aliases: ['roboflow_core/classification_label_visualization@v1'],
  title: 'Classification Label Visualization',
  description:
    'Writes the top class of a single-label classification, or every predicted class of a multi-label one (best first), as labels on colored backgrounds at text_position. Returns a new image.',
  manifest,
  outputs: { image: { kinds: ['image'] } },
  create: () => ({
    async run(inputs, context) {
      const { stepName } = context;
      if (!isClassification(inputs.predictions)) throw new InvalidInputError({ message: 'expected a classification prediction', stepName, property: 'predictions' });
      const sorted = shownClasses(inputs.predictions);
      if (sorted.length === 0) return { image: inputs.image };
      const p = readParameters(manifest, inputs, parameterNames, stepName);
      const position = p.text_position as TextPosition;
      const scale = p.text_scale as number;
      const asBox = (score: ClassScore, index: number, corners: { x1: number; y1: number; x2: number; y2: number }): PixelBox => ({
        ...corners,
        // Roboflow's pseudo detections: the class's id and confidence, tracker id 0.
        detection: { x: 0, y: 0, width: 0, height: 0, confidence: score.confidence, class: score.class, class_id: score.class_id, tracker_id: 0, detection_id: '', parent_id: '' } as Detection,
        index,
      });
      const labels = sorted.map((score, i) => labelText(p.text as string, asBox(score, i, { x1: 0, y1: 0, x2: 0, y2: 0 })));
      const layout = layoutClassificationLabels(sorted, labels, {
        position, width: inputs.image.width, height: inputs.image.height, scale, padding: p.text_padding as number, thickness: p.text_thickness as number,
      });
      const colorOf = createColorLookup(p as unknown as ColorOptions, context);
      const textColorName = String(p.text_color);
      const fixedTextColor: Rgb | undefined = textColorName.toUpperCase() === 'AUTO' ? undefined : requireColor(textColorName, { stepName, property: 'text_color' });
      const canvas = await RgbCanvas.fromImage(inputs.image);
      const placed = layout.classes.map((score, i) => {
        const box = asBox(score, i, layout.boxes[i]!);
        const background = colorOf(box);
        const text = labelText(p.text as string, box);
        const textBox = layoutTextBox(text, {
          scale, thickness: p.text_thickness as number, padding: p.text_padding as number, textColor: fixedTextColor ?? contrastingTextColor(background),
          background, backgroundOpacity: 1, borderRadius: p.border_radius as number, align: 'left',
        });
        const origin = labelOrigin(anchorPoint(box, position as AnchorPosition), textBox.width, textBox.height, position as AnchorPosition);
        const left = Math.max(0, Math.min(canvas.width - textBox.width, Math.round(origin.left)));
        const top = Math.max(0, Math.min(canvas.height - textBox.height, Math.round(origin.top)));
        return { layout: textBox, left, top };
      });
      await drawTextBoxes(canvas, placed);
      return { image: canvas.toImage() };
    },
  }),
});
