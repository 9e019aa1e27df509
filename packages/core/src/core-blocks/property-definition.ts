import { z } from 'zod';
import { defineBlock, field } from '../blocks.js';
import { applyOperations, operation } from '../query-language/index.js';

/** Roboflow's property_definition: a value put through a chain of query-language operations. */
export const propertyDefinition = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/property_definition@v1',
  aliases: ['roboflow_core/property_definition@v1', 'PropertyDefinition', 'PropertyExtraction'],
  title: 'Property Definition',
  description: 'Extracts a value from data (a count of detections, their classes, a rounded number) with a chain of operations.',
  manifest: {
    data: field.selector(['*'], { description: 'The value to operate on' }),
    operations: field.literal(z.array(operation).min(1), { description: 'Roboflow query-language operations, applied in order' }),
  },
  outputs: { output: { kinds: ['*'] } },
  create: ({ properties }) => {
    const operations = properties.operations ?? [];
    return { run: ({ data }) => ({ output: applyOperations(data, operations) }) };
  },
});
