import { defineBlock, field, InvalidInputError, kinds, z, type Detections } from '@vad/core';
import { bilateralFilter } from './bilateral.js';
import { enhanceContrast } from './contrast.js';
import { toGrayscale } from './grayscale.js';
import { morphology, morphologyOperations, parseMorphologyOperation } from './morphology-graph.js';
import { imageLike } from './pixels.js';
import { tenengradFocus } from './tenengrad.js';

const image = () => field.image({ aliases: ['images'], description: 'The input image' });

export const contrastEnhancement = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/contrast_enhancement@v1',
  aliases: ['roboflow_core/contrast_enhancement@v1'],
  title: 'Contrast Enhancement',
  description:
    'Stretches each band from its range (or its clip_limit-th to (100 − clip_limit)-th percentile) to 0–255 (GIMP’s Auto Levels), scales the contrast about 128 and optionally brightens the midtones (gamma 1/1.3).',
  manifest: {
    image: image(),
    clip_limit: field.parameter(z.number().int().min(0).max(50).default(0), [kinds.integer], { description: 'Percent of pixels skipped at the dark and the bright end (0–50)' }),
    contrast_multiplier: field.parameter(z.number().min(0.1).max(5).default(1), [kinds.float], { description: 'Contrast scale about 128 after the stretch (0.1–5)' }),
    normalize_brightness: field.parameter(z.boolean().default(false), [kinds.boolean], { description: 'Brighten the midtones (gamma 1/1.3) after the stretch' }),
  },
  outputs: { image: { kinds: [kinds.image] } },
  create: () => ({ async run({ image, clip_limit, contrast_multiplier, normalize_brightness }) {
    return { image: await enhanceContrast(image, { clipLimit: clip_limit ?? 0, contrastMultiplier: contrast_multiplier ?? 1, normalizeBrightness: normalize_brightness ?? false }) };
  } }),
});

export const bilateralFilterBlock = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/bilateral_filter@v1',
  aliases: ['roboflow_core/bilateral_filter@v1'],
  title: 'Bilateral Filter',
  description: 'OpenCV’s bilateralFilter: smooths while keeping edges (spatial and colour Gaussians), as one ONNX graph.',
  manifest: {
    image: image(),
    diameter: field.parameter(z.number().int().min(3).max(51).default(9), [kinds.integer], { description: 'Neighbourhood diameter in pixels (3–51; an even one is made odd)' }),
    sigma_color: field.parameter(z.number().min(1).max(255).default(75), [kinds.float], { description: 'Standard deviation of the colour (range) Gaussian (1–255)' }),
    sigma_space: field.parameter(z.number().min(1).max(255).default(75), [kinds.float], { description: 'Standard deviation of the spatial Gaussian (1–255)' }),
  },
  outputs: { image: { kinds: [kinds.image] } },
  create: () => ({ async run({ image, diameter, sigma_color, sigma_space }) {
    let d = diameter ?? 9;
    if (d % 2 === 0) d += 1;
    const { data, width, height } = await image.pixels();
    return { image: imageLike(image, await bilateralFilter(data, width, height, d, sigma_color ?? 75, sigma_space ?? 75)) };
  } }),
});

const morphologyManifest = (defaultOperation: string, operations: readonly string[]) => ({
  image: image(),
  kernel_size: field.parameter(z.number().int().min(1).max(255).default(5), [kinds.integer], { description: 'Side of the square structuring element (1–255)' }),
  operation: field.parameter(z.string().default(defaultOperation), [kinds.string], { description: operations.join(', ') }),
});

function morphologyOperation(name: string, allowed: readonly string[], stepName: string) {
  const operation = parseMorphologyOperation(name);
  if (!operation || !allowed.includes(operation)) {
    throw new InvalidInputError({ message: `step "${stepName}": operation ${JSON.stringify(name)} is not one of ${allowed.join(', ')}`, stepName, property: 'operation' });
  }
  return operation;
}

const v1Operations = morphologyOperations.filter((operation) => operation !== 'Opening then Closing');

export const morphologicalTransformation = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/morphological_transformation@v1',
  aliases: ['roboflow_core/morphological_transformation@v1'],
  title: 'Morphological Transformation',
  description: 'Converts to grey (OpenCV’s weights), then erosion, dilation, opening, closing, gradient, top hat or black hat with a square kernel; the result is grey.',
  manifest: morphologyManifest('Closing', v1Operations),
  outputs: { image: { kinds: [kinds.image] } },
  create: ({ stepName }) => ({ async run({ image, kernel_size, operation }) {
    const chosen = morphologyOperation(operation ?? 'Closing', v1Operations, stepName);
    const { data, width, height } = await (await toGrayscale(image)).pixels();
    return { image: imageLike(image, await morphology(data, width, height, chosen, kernel_size ?? 5)) };
  } }),
});

export const morphologicalTransformationV2 = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/morphological_transformation@v2',
  aliases: ['roboflow_core/morphological_transformation@v2'],
  title: 'Morphological Transformation',
  description: 'Erosion, dilation, opening, closing, opening then closing, gradient, top hat or black hat with a square kernel on every colour band.',
  manifest: morphologyManifest('Opening then Closing', morphologyOperations),
  outputs: { image: { kinds: [kinds.image] } },
  create: ({ stepName }) => ({ async run({ image, kernel_size, operation }) {
    const chosen = morphologyOperation(operation ?? 'Opening then Closing', morphologyOperations, stepName);
    const { data, width, height } = await image.pixels();
    return { image: imageLike(image, await morphology(data, width, height, chosen, kernel_size ?? 5)) };
  } }),
});

const gridDivisions = { None: 0, '2x2': 2, '3x3': 3, '4x4': 4, '5x5': 5 } as const;
const percent = (value: number) => z.number().min(0).max(100).default(value);

export const cameraFocusV2 = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/camera_focus@v2',
  aliases: ['roboflow_core/camera_focus@v2'],
  title: 'Camera Focus',
  description:
    'Tenengrad focus measure (mean of Sobel gx² + gy² on the grey image), its mean inside each detection box, and the image with zebra exposure warnings, focus peaking, a composition grid and a centre cross (Roboflow’s HUD is not drawn).',
  manifest: {
    image: image(),
    underexposed_threshold_percent: field.literal(percent(3), { description: 'Brightness percent under which pixels get blue zebra stripes' }),
    overexposed_threshold_percent: field.literal(percent(97), { description: 'Brightness percent over which pixels get red zebra stripes' }),
    show_zebra_warnings: field.literal(z.boolean().default(true), { description: 'Zebra stripes on under- and overexposed pixels' }),
    grid_overlay: field.literal(z.enum(['None', '2x2', '3x3', '4x4', '5x5']).default('3x3'), { description: 'Composition grid' }),
    show_hud: field.literal(z.boolean().default(true), { description: 'Accepted; vad does not draw Roboflow’s HUD' }),
    show_focus_peaking: field.literal(z.boolean().default(true), { description: 'Green on the sharpest 70 % of the measure’s range' }),
    show_center_marker: field.literal(z.boolean().default(true), { description: 'White cross at the centre' }),
    detections: field.selector<Detections>([kinds.objectDetectionPrediction, kinds.instanceSegmentationPrediction], { optional: true, description: 'Boxes to measure focus in' }),
  },
  outputs: { image: { kinds: [kinds.image] }, focus_measure: { kinds: [kinds.float] }, bbox_focus_measures: { kinds: [kinds.listOfValues] } },
  create: () => ({ async run(input) {
    const boxes = (input.detections?.predictions ?? []).map((p): [number, number, number, number] => [p.x - p.width / 2, p.y - p.height / 2, p.x + p.width / 2, p.y + p.height / 2]);
    const result = await tenengradFocus(input.image, boxes, {
      underexposedThreshold: Math.trunc(((input.underexposed_threshold_percent ?? 3) * 255) / 100),
      overexposedThreshold: Math.trunc(((input.overexposed_threshold_percent ?? 97) * 255) / 100),
      showZebraWarnings: input.show_zebra_warnings ?? true,
      showFocusPeaking: input.show_focus_peaking ?? true,
      gridDivisions: gridDivisions[input.grid_overlay ?? '3x3'],
      showCenterMarker: input.show_center_marker ?? true,
    });
    return { image: result.image, focus_measure: result.focusMeasure, bbox_focus_measures: result.bboxFocusMeasures };
  } }),
});

/** The blocks of this file, for cvBlocks(). */
export const preprocessingBlocks = [contrastEnhancement, bilateralFilterBlock, morphologicalTransformation, morphologicalTransformationV2, cameraFocusV2];
