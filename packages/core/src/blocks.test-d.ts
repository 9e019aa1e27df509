import { expectTypeOf, test } from 'vitest';
import { z } from 'zod';
import { defineBlock, field } from './blocks.js';
import type { VadImage } from './image.js';

test('run() receives inputs typed from the manifest', () => {
  defineBlock({
    specificationVersion: 'v1',
    type: 'test/typed@v1',
    title: 'Typed',
    description: 'Types flow from the manifest',
    manifest: {
      image: field.image(),
      threshold: field.parameter(z.number().default(0.5), ['float']),
      mode: field.literal(z.enum(['fast', 'exact'])),
      sizes: field.list(z.number(), ['float']),
    },
    outputs: { score: { kinds: ['float'] } },
    create: () => ({
      run(inputs) {
        expectTypeOf(inputs.image).toEqualTypeOf<VadImage>();
        expectTypeOf(inputs.threshold).toEqualTypeOf<number>();
        expectTypeOf(inputs.mode).toEqualTypeOf<'fast' | 'exact'>();
        expectTypeOf(inputs.sizes).toEqualTypeOf<number[]>();
        return { score: 1 };
      },
    }),
  });
});
