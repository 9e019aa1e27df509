import { defineBlock, field, z, type AnyBlock } from '@vad/core/contract';

/**
 * Mean brightness of an image (0–255, Rec. 601 luma) and whether it lies outside [min, max]:
 * a camera covered, a light failed, a lens fogged.
 */
export const brightnessBlock = defineBlock({
  specificationVersion: 'v1',
  type: 'example/brightness@v1',
  title: 'Brightness',
  description: 'Mean luma of an image, and whether it is outside [min, max].',
  manifest: {
    image: field.image(),
    min: field.parameter(z.number().min(0).max(255).default(30), ['float']),
    max: field.parameter(z.number().min(0).max(255).default(225), ['float']),
  },
  outputs: { brightness: { kinds: ['float'] }, out_of_range: { kinds: ['boolean'] } },
  create: () => ({
    async run({ image, min, max }) {
      const { data } = await image.pixels();
      let sum = 0;
      for (let i = 0; i < data.length; i += 3) sum += 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
      const brightness = sum / (data.length / 3);
      return { brightness, out_of_range: brightness < min || brightness > max };
    },
  }),
});

/** The one entry point vad looks for: the blocks this package adds. */
export function vadBlocks(): AnyBlock[] {
  return [brightnessBlock];
}
