import { defineBlock, field } from '../blocks.js';
import { valuesEqual } from '../query-language/index.js';

/**
 * Flow control: the steps in `next_steps` run only when `value` differs from the value this
 * step saw last. Roboflow keys the last value by the image's video identifier; vad keeps one
 * instance per stream, so the stream is the video.
 */
export const deltaFilter = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/delta_filter@v1',
  aliases: ['roboflow_core/delta_filter@v1'],
  title: 'Delta Filter',
  description: 'Runs the steps in next_steps only when value has changed since the previous frame of the stream (the first frame always counts as a change).',
  manifest: {
    image: field.image({ description: 'The frame; the stream it comes from is the video whose values are compared' }),
    value: field.selector(['*'], { description: 'The value watched for changes (compared by value, as Python\'s ==)' }),
    next_steps: field.stepList({ description: 'Steps that run only when value changed' }),
  },
  outputs: {},
  flowControl: true,
  stateful: true,
  create: () => {
    let seen = false;
    let previous: unknown;
    return {
      run: ({ value }) => {
        if (seen && valuesEqual(previous, value)) return { continue: false };
        seen = true;
        previous = value;
        return { continue: true };
      },
    };
  },
});
