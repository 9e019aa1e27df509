import { defineBlock, field, InvalidInputError, isDetections, kinds, roundHalfEven, z, type Detections } from '@vad/core';

export const readingDirections = ['left_to_right', 'right_to_left', 'vertical_top_to_bottom', 'vertical_bottom_to_top', 'auto'] as const;
export type ReadingDirection = (typeof readingDirections)[number];

export interface StitchOcrOptions {
  readingDirection: ReadingDirection;
  /** Largest gap (pixels) between neighbouring detections' leading edges on one line. */
  tolerance: number;
  /** Put between every two pieces, line breaks included (Roboflow joins its whole list with it). */
  delimiter?: string;
}

/** `auto`: horizontal text when boxes are on average wider than tall, else vertical top to bottom (Roboflow's rule). */
export function detectReadingDirection(detections: Detections): Exclude<ReadingDirection, 'auto'> {
  const { predictions } = detections;
  if (predictions.length === 0) return 'left_to_right';
  const meanWidth = predictions.reduce((sum, p) => sum + p.width, 0) / predictions.length;
  const meanHeight = predictions.reduce((sum, p) => sum + p.height, 0) / predictions.length;
  return meanWidth > meanHeight ? 'left_to_right' : 'vertical_top_to_bottom';
}

/**
 * Reads OCR detections (one class name per character or word) as text (Roboflow's
 * `stitch_ocr_detections@v1`). Boxes are rounded to whole pixels; for vertical text x and y swap
 * roles. Detections are sorted by their top edge and a new line starts where the gap to the
 * previous one exceeds `tolerance`; lines go top to bottom (vertical: left to right, or right to
 * left for bottom-to-top), pieces within a line by their left edge (reversed for right-to-left and
 * bottom-to-top). Lines are separated by a newline (horizontal) or a space (vertical).
 */
export function stitchOcrDetections(detections: Detections, options: StitchOcrOptions): string {
  const direction = options.readingDirection === 'auto' ? detectReadingDirection(detections) : options.readingDirection;
  const vertical = direction === 'vertical_top_to_bottom' || direction === 'vertical_bottom_to_top';
  const pieces = detections.predictions.map((p, index) => {
    // numpy's round: halves to even.
    const x1 = roundHalfEven(p.x - p.width / 2);
    const y1 = roundHalfEven(p.y - p.height / 2);
    return { along: vertical ? y1 : x1, across: vertical ? x1 : y1, text: String(p.class), index };
  });
  if (pieces.length === 0) return '';
  const byLine = [...pieces].sort((a, b) => a.across - b.across || a.index - b.index);
  const lines: (typeof pieces)[] = [];
  let previous: number | undefined;
  for (const piece of byLine) {
    if (previous === undefined || piece.across - previous > options.tolerance) lines.push([]);
    lines[lines.length - 1]!.push(piece);
    previous = piece.across;
  }
  if (direction === 'vertical_bottom_to_top') lines.reverse();
  const reversed = direction === 'right_to_left' || direction === 'vertical_bottom_to_top';
  const separator = vertical ? ' ' : '\n';
  const ordered: string[] = [];
  lines.forEach((line, i) => {
    line.sort((a, b) => (reversed ? b.along - a.along : a.along - b.along) || a.index - b.index);
    for (const piece of line) ordered.push(piece.text);
    if (i < lines.length - 1) ordered.push(separator);
  });
  return ordered.join(options.delimiter ?? '');
}

/** Roboflow's Stitch OCR Detections: the class names of an OCR model's detections, read in order, as one string. */
export const stitchOcrDetectionsBlock = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/stitch_ocr_detections@v1',
  aliases: ['roboflow_core/stitch_ocr_detections@v1'],
  title: 'Stitch OCR Detections',
  description:
    "Joins the class names of an OCR model's character or word detections into text: grouped into lines by their leading edges (within tolerance pixels), each line read in reading_direction; lines separated by a newline (horizontal) or a space (vertical), and every piece by delimiter.",
  manifest: {
    predictions: field.selector<Detections>([kinds.objectDetectionPrediction], { description: "The OCR model's detections; each class name is a character or word." }),
    reading_direction: field.literal(z.enum(readingDirections)),
    tolerance: field.parameter(z.number().int().positive().default(10), [kinds.integer], { description: 'Pixels by which the leading edges of detections on one line may differ (> 0).' }),
    delimiter: field.parameter(z.string().default(''), [kinds.string], { description: 'Put between every two pieces of text (default none).' }),
  },
  outputs: { ocr_text: { kinds: [kinds.string] } },
  create: ({ stepName }) => ({
    run: (inputs) => {
      if (!isDetections(inputs.predictions)) throw new InvalidInputError({ message: 'expected detections ({image, predictions})', stepName, property: 'predictions' });
      if (!Number.isInteger(inputs.tolerance) || inputs.tolerance <= 0) {
        throw new InvalidInputError({ message: `tolerance must be an integer greater than zero, got ${JSON.stringify(inputs.tolerance)}`, stepName, property: 'tolerance' });
      }
      return { ocr_text: stitchOcrDetections(inputs.predictions, { readingDirection: inputs.reading_direction, tolerance: inputs.tolerance, delimiter: inputs.delimiter }) };
    },
  }),
});
