import { z } from 'zod';
import { defineBlock, field } from '../blocks.js';
import { InvalidInputError } from '../errors.js';
import { isDetections, type Detection } from '../values.js';

/**
 * A subset of Roboflow's query-language operations, applied in order. Unsupported operations are
 * rejected when the workflow compiles, not silently ignored.
 */
const detectionProperties = ['class_name', 'class_id', 'confidence', 'x_min', 'y_min', 'x_max', 'y_max', 'size', 'center'] as const;
export const operation = z.discriminatedUnion('type', [
  z.object({ type: z.literal('SequenceLength') }),
  z.object({ type: z.literal('DetectionsPropertyExtract'), property_name: z.enum(detectionProperties) }),
  z.object({ type: z.literal('NumberRound'), decimal_digits: z.number().int().min(0).max(12).default(0) }),
  z.object({ type: z.literal('ToString') }),
  z.object({ type: z.literal('Multiply'), other: z.number() }),
]);
export type Operation = z.infer<typeof operation>;

function extract(detection: Detection, property: (typeof detectionProperties)[number]): unknown {
  switch (property) {
    case 'class_name': return detection.class;
    case 'class_id': return detection.class_id;
    case 'confidence': return detection.confidence;
    case 'x_min': return detection.x - detection.width / 2;
    case 'y_min': return detection.y - detection.height / 2;
    case 'x_max': return detection.x + detection.width / 2;
    case 'y_max': return detection.y + detection.height / 2;
    case 'size': return detection.width * detection.height;
    case 'center': return [detection.x, detection.y];
  }
}

/** Applies a chain of operations in order. */
export function applyOperations(value: unknown, operations: readonly Operation[]): unknown {
  return operations.reduce<unknown>(apply, value);
}

function apply(value: unknown, op: Operation): unknown {
  switch (op.type) {
    case 'SequenceLength':
      if (isDetections(value)) return value.predictions.length;
      if (Array.isArray(value) || typeof value === 'string') return value.length;
      if (value && typeof value === 'object') return Object.keys(value).length;
      break;
    case 'DetectionsPropertyExtract':
      if (isDetections(value)) return value.predictions.map((d) => extract(d, op.property_name));
      break;
    case 'NumberRound':
      if (typeof value === 'number') return Number(value.toFixed(op.decimal_digits));
      break;
    case 'ToString':
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'Multiply':
      if (typeof value === 'number') return value * op.other;
      break;
  }
  throw new InvalidInputError({ message: `operation ${op.type} cannot apply to ${Array.isArray(value) ? 'a list' : typeof value}` });
}

export const propertyDefinition = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/property_definition@v1',
  aliases: ['roboflow_core/property_definition@v1', 'PropertyDefinition', 'PropertyExtraction'],
  title: 'Property Definition',
  description: 'Extracts a value from data (a count of detections, their classes, a rounded number) with a chain of operations.',
  manifest: {
    data: field.selector(['*'], { description: 'The value to operate on' }),
    operations: field.literal(z.array(operation).min(1), { description: 'Operations applied in order' }),
  },
  outputs: { output: { kinds: ['*'] } },
  create: ({ properties }) => {
    const operations = properties.operations ?? [];
    return { run: ({ data }) => ({ output: applyOperations(data, operations) }) };
  },
});
