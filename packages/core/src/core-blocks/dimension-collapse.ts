import { defineBlock, field } from '../blocks.js';

/**
 * Collapses one dimensionality level into a list (Roboflow's `dimension_collapse@v1`): the
 * per-slice or per-crop values of one image become one list on that image, in level order.
 */
export const dimensionCollapse = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/dimension_collapse@v1',
  aliases: ['roboflow_core/dimension_collapse@v1', 'DimensionCollapse'],
  title: 'Dimension Collapse',
  description: 'Gathers the values of one nested level (slices, crops) into one list per parent element.',
  dimensionality: 'collapse',
  manifest: {
    data: field.selector<unknown[]>(['*'], { collapse: true, description: 'the values of the nested level' }),
  },
  outputs: { output: { kinds: ['list_of_values'] } },
  create: () => ({ run: ({ data }) => ({ output: [...data] }) }),
});
