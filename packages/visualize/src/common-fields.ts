import { field, InvalidInputError, z, type FieldSpec, type RunContext } from '@vad/core';
import { paletteNames, resolvePalette, stableNameHash, type PaletteName, type Rgb } from './colors.js';
import { anchorPositions, pixelBoxes, requireDetections, type AnchorPosition, type PixelBox } from './detection-boxes.js';

/** Properties every visualization block has (Roboflow's `PredictionsVisualizationManifest`). */
export const imageFields = {
  image: field.image({ aliases: ['images'], description: 'The image to draw on (it is never modified; a new image is returned).' }),
  copy_image: field.parameter(z.boolean().default(true), ['boolean'], {
    description: "Accepted for Roboflow compatibility. vad images are immutable, so the input is always preserved and this has no effect.",
  }),
};

export const predictionsField = {
  predictions: field.selector(['object_detection_prediction', 'instance_segmentation_prediction', 'keypoint_detection_prediction'], {
    description: 'Detections in Roboflow\'s {image, predictions} shape (centre x/y, width, height in pixels).',
  }),
};

/** Roboflow's `ColorableVisualizationManifest` properties. */
export const colorFields = {
  color_palette: field.parameter(z.enum(paletteNames).default('DEFAULT'), ['string'], { description: 'Color palette to use for annotations.' }),
  palette_size: field.parameter(z.number().int().min(1).max(256).default(10), ['integer'], {
    description: 'Number of colors sampled from a continuous palette (Matplotlib Turbo, Matplotlib Jet).',
  }),
  custom_colors: field.parameter(z.array(z.string()).default([]), ['list_of_values'], {
    description: 'Colors used when color_palette is "CUSTOM" (#RRGGBB, rgb(R, G, B), bgr(B, G, R) or a name).',
  }),
  color_axis: field.parameter(z.enum(['INDEX', 'CLASS', 'TRACK']).default('CLASS'), ['string'], {
    description: 'What picks a detection\'s color: its class (stable across frames), its position in the list, or its tracker id.',
  }),
};

/**
 * Values that arrive through selectors are not checked when the workflow compiles; this parses
 * every named property through its manifest schema (filling defaults) and names the property in
 * the error when a value is wrong.
 */
export function readParameters<Names extends string>(
  manifest: Readonly<Record<Names, FieldSpec>>,
  inputs: Readonly<Record<string, unknown>>,
  names: readonly Names[],
  stepName: string,
): { [K in Names]: unknown } {
  const values = {} as { [K in Names]: unknown };
  for (const name of names) {
    const parsed = manifest[name].schema.safeParse(inputs[name] ?? undefined);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidInputError({ message: `invalid value ${JSON.stringify(inputs[name])} for ${name}: ${issue?.message ?? 'rejected'}`, stepName, property: name });
    }
    values[name] = parsed.data;
  }
  return values;
}

export interface ColorOptions {
  color_palette: PaletteName;
  palette_size: number;
  custom_colors: string[];
  color_axis: 'INDEX' | 'CLASS' | 'TRACK';
}

/**
 * A function giving each box its color. `CLASS` uses the class id (so a class keeps its color from
 * frame to frame and between blocks), or a hash of the class name when no id is known; `TRACK`
 * falls back to `CLASS`, with a warning, for detections without a tracker id.
 */
export function createColorLookup(options: ColorOptions, context: Pick<RunContext, 'stepName' | 'warn'>): (box: PixelBox) => Rgb {
  const palette = resolvePalette(options.color_palette, { paletteSize: options.palette_size, customColors: options.custom_colors, stepName: context.stepName });
  const pick = (index: number) => palette[((index % palette.length) + palette.length) % palette.length]!;
  const byClass = (box: PixelBox) => {
    const classId = box.detection.class_id;
    return pick(Number.isInteger(classId) && classId >= 0 ? classId : stableNameHash(String(box.detection.class ?? '')));
  };
  let warned = false;
  switch (options.color_axis) {
    case 'INDEX':
      return (box) => pick(box.index);
    case 'CLASS':
      return byClass;
    case 'TRACK':
      return (box) => {
        const trackerId = box.detection.tracker_id;
        if (Number.isInteger(trackerId)) return pick(trackerId!);
        if (!warned) {
          warned = true;
          context.warn('color_axis is TRACK but some detections have no tracker_id; they are colored by class');
        }
        return byClass(box);
      };
  }
}

/** The boxes a detection-drawing block draws, its parameters and each box's color. */
export interface ColoredBoxes<Names extends string> {
  readonly boxes: PixelBox[];
  readonly parameters: { [K in Names]: unknown };
  readonly colorOf: (box: PixelBox) => Rgb;
}

/**
 * The start the box and label blocks share: checks the predictions and maps them onto the image;
 * only when some box lies on it are the parameters read and the colors resolved. Undefined when
 * there is nothing to draw (the block then returns its input image).
 */
export function readColoredBoxes<Names extends string>(
  manifest: Readonly<Record<Names, FieldSpec>>,
  inputs: Readonly<Record<string, unknown>> & { readonly image: { readonly width: number; readonly height: number } },
  names: readonly Names[],
  context: Pick<RunContext, 'stepName' | 'warn'>,
): ColoredBoxes<Names> | undefined {
  const drawing = readBoxes(manifest, inputs, names, context);
  if (!drawing) return undefined;
  return { ...drawing, colorOf: createColorLookup(drawing.parameters as unknown as ColorOptions, context) };
}

/**
 * The same start for blocks that draw no colors (blur, pixelate): the boxes on the image and the
 * parameters, or undefined when there is nothing to change.
 */
export function readBoxes<Names extends string>(
  manifest: Readonly<Record<Names, FieldSpec>>,
  inputs: Readonly<Record<string, unknown>> & { readonly image: { readonly width: number; readonly height: number } },
  names: readonly Names[],
  context: Pick<RunContext, 'stepName'>,
): Omit<ColoredBoxes<Names>, 'colorOf'> | undefined {
  const detections = requireDetections(inputs.predictions, { stepName: context.stepName, property: 'predictions' });
  const { image } = inputs;
  const boxes = pixelBoxes(detections, image.width, image.height);
  if (boxes.length === 0) return undefined;
  return { boxes, parameters: readParameters(manifest, inputs, names, context.stepName) };
}

/** Roboflow's anchor `position` parameter (dot, triangle), with its default. */
export function positionField(defaultPosition: AnchorPosition, description: string) {
  return field.parameter(z.enum(anchorPositions).default(defaultPosition), ['string'], { description });
}
