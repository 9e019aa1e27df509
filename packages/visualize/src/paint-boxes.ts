import type { FieldSpec, RunContext, VadImage } from '@vad/core';
import { readColoredBoxes, type ColoredBoxes } from './common-fields.js';
import { RgbCanvas } from './render/canvas.js';

/**
 * The run of the blocks that paint on their detections' boxes (box, corner, circle, dot, color):
 * the image as it was when no box lies on it, else a copy with `paint` applied.
 */
export async function paintBoxes<Names extends string>(
  manifest: Readonly<Record<Names, FieldSpec>>,
  inputs: Readonly<Record<string, unknown>> & { readonly image: VadImage },
  names: readonly Names[],
  context: Pick<RunContext, 'stepName' | 'warn'>,
  paint: (canvas: RgbCanvas, drawing: ColoredBoxes<Names>) => void | Promise<void>,
): Promise<{ image: VadImage }> {
  const drawing = readColoredBoxes(manifest, inputs, names, context);
  if (!drawing) return { image: inputs.image };
  const canvas = await RgbCanvas.fromImage(inputs.image);
  await paint(canvas, drawing);
  return { image: canvas.toImage() };
}
