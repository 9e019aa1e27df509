import { z } from 'zod';
import { defineBlock, field } from '../blocks.js';

/**
 * Roboflow's first_non_empty_or_default: the first of `data` that has a value (a step skipped by
 * flow control gives none), else `default`. Typical after a gate: "no dog detected" becomes `[]`.
 */
export const firstNonEmptyOrDefault = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/first_non_empty_or_default@v1',
  aliases: ['roboflow_core/first_non_empty_or_default@v1', 'FirstNonEmptyOrDefault'],
  title: 'First Non Empty Or Default',
  description: 'The first of several values that is not null (e.g. the output of a step that may be skipped), or a default.',
  manifest: {
    data: field.list(z.unknown(), ['*'], { minItems: 1, description: 'values in order of preference' }),
    default: field.literal(z.unknown(), { optional: true, description: 'the value when every entry is null (default null)' }),
  },
  outputs: { output: { kinds: ['*'] } },
  create: ({ properties }) => ({
    run: ({ data }) => ({ output: data.find((value) => value !== null && value !== undefined) ?? properties.default ?? null }),
  }),
});
