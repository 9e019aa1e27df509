import { defineBlock, field, isDetections, z } from '@vad/core';
import { requireColor } from './colors.js';
import { imageFields, readParameters } from './common-fields.js';
import { RgbCanvas } from './render/canvas.js';
import { drawTextBoxes, layoutTextBox } from './render/text-box.js';

const textAnchors = ['center', 'top_left', 'top_center', 'top_right', 'bottom_left', 'bottom_center', 'bottom_right', 'center_left', 'center_right'] as const;
/** Where each anchor sits, as fractions of the image (and of the text box) width and height. */
const anchorFractions: Record<(typeof textAnchors)[number], [number, number]> = {
  top_left: [0, 0],
  top_center: [0.5, 0],
  top_right: [1, 0],
  center_left: [0, 0.5],
  center: [0.5, 0.5],
  center_right: [1, 0.5],
  bottom_left: [0, 1],
  bottom_center: [0.5, 1],
  bottom_right: [1, 1],
};

const manifest = {
  ...imageFields,
  text: field.parameter(z.string(), ['string'], { description: 'The text; {{ $parameters.name }} is replaced by text_parameters.name. \\n starts a new line.' }),
  text_parameters: field.dictionary(z.unknown(), ['*'], {
    description: 'Values for the placeholders: a dictionary whose values are literals or selectors ({"count": "$steps.count.output"}), or a selector of a whole dictionary.',
  }),
  text_color: field.parameter(z.string().default('WHITE'), ['string'], { description: 'Color of the text.' }),
  background_color: field.parameter(z.string().default('BLACK'), ['string'], { description: 'Color of the box behind the text, or "transparent".' }),
  background_opacity: field.parameter(z.number().min(0).max(1).default(1), ['float_zero_to_one'], { description: 'Opacity of the background box.' }),
  font_scale: field.parameter(z.number().min(0.1).max(10).default(1), ['float'], { description: 'Text size (1: capitals 22 px tall, as Roboflow).' }),
  font_thickness: field.parameter(z.number().int().min(1).max(10).default(2), ['integer'], { description: 'Stroke weight: 1 medium, 2 bold, more is heavier.' }),
  padding: field.parameter(z.number().int().min(0).default(10), ['integer'], { description: 'Padding around the text in pixels.' }),
  text_align: field.parameter(z.enum(['left', 'center', 'right']).default('left'), ['string'], { description: 'Alignment of the lines.' }),
  border_radius: field.parameter(z.number().int().min(0).default(0), ['integer'], { description: 'Corner radius of the background box.' }),
  position_mode: field.parameter(z.enum(['absolute', 'relative']).default('relative'), ['string'], {
    description: 'absolute: position_x/position_y give the box\'s top-left; relative: anchor plus offsets.',
  }),
  position_x: field.parameter(z.number().int().default(0), ['integer'], { description: 'Left of the box in pixels (absolute mode).' }),
  position_y: field.parameter(z.number().int().default(0), ['integer'], { description: 'Top of the box in pixels (absolute mode).' }),
  anchor: field.parameter(z.enum(textAnchors).default('top_left'), ['string'], { description: 'Point of the image the box is aligned to (relative mode).' }),
  offset_x: field.parameter(z.number().int().default(10), ['integer'], { description: 'Horizontal offset from the anchor (positive: right).' }),
  offset_y: field.parameter(z.number().int().default(10), ['integer'], { description: 'Vertical offset from the anchor (positive: down).' }),
};

const parameterNames = [
  'text', 'text_parameters', 'text_color', 'background_color', 'background_opacity', 'font_scale', 'font_thickness', 'padding', 'text_align', 'border_radius',
  'position_mode', 'position_x', 'position_y', 'anchor', 'offset_x', 'offset_y',
] as const;

const placeholder = /\{\{\s*\$parameters\.(\w+)\s*\}\}/g;

function parameterToText(value: unknown): string {
  if (isDetections(value)) return String(value.predictions.length);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Math.round(value * 1e4) / 1e4);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return JSON.stringify(value) ?? String(value);
}

/**
 * Fills `{{ $parameters.name }}` placeholders (Roboflow's syntax). A placeholder without a
 * parameter is left as written, as Roboflow does.
 */
export function formatText(text: string, parameters: Readonly<Record<string, unknown>>): string {
  return text.replace(placeholder, (whole, name: string) => (name in parameters ? parameterToText(parameters[name]) : whole));
}

/** Roboflow's `text_display`: a block of text with a background box, placed absolutely or by anchor. */
export const textDisplay = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/text_display@v1',
  aliases: ['roboflow_core/text_display@v1'],
  title: 'Text Display',
  description: 'Draws text, with {{ $parameters.name }} placeholders filled from text_parameters, on a background box.',
  manifest,
  outputs: { image: { kinds: ['image'] } },
  create: () => ({
    async run(inputs, context) {
      const p = readParameters(manifest, inputs, parameterNames, context.stepName);
      const { image } = inputs;
      const text = formatText(p.text as string, (p.text_parameters ?? {}) as Record<string, unknown>);
      if (text.trim() === '' && p.background_color === 'transparent') return { image };
      const backgroundName = String(p.background_color);
      const layout = layoutTextBox(text, {
        scale: p.font_scale as number,
        thickness: p.font_thickness as number,
        padding: p.padding as number,
        textColor: requireColor(p.text_color as string, { stepName: context.stepName, property: 'text_color' }),
        background: backgroundName.toLowerCase() === 'transparent' ? undefined : requireColor(backgroundName, { stepName: context.stepName, property: 'background_color' }),
        backgroundOpacity: p.background_opacity as number,
        borderRadius: p.border_radius as number,
        align: p.text_align as 'left' | 'center' | 'right',
      });
      let left: number;
      let top: number;
      if (p.position_mode === 'absolute') {
        left = p.position_x as number;
        top = p.position_y as number;
      } else {
        const [fx, fy] = anchorFractions[p.anchor as (typeof textAnchors)[number]];
        left = Math.round(fx * image.width) - Math.round(fx * layout.width) + (p.offset_x as number);
        top = Math.round(fy * image.height) - Math.round(fy * layout.height) + (p.offset_y as number);
      }
      // As Roboflow: the box is kept inside the image (at the top-left when it is larger).
      left = layout.width > image.width ? 0 : Math.max(0, Math.min(left, image.width - layout.width));
      top = layout.height > image.height ? 0 : Math.max(0, Math.min(top, image.height - layout.height));
      const canvas = await RgbCanvas.fromImage(image);
      await drawTextBoxes(canvas, [{ layout, left, top }]);
      return { image: canvas.toImage() };
    },
  }),
});
