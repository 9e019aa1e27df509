import { z } from 'zod';
import { defineBlock, field, type AnyBlock } from '../blocks.js';
import { VadImage } from '../image.js';

/** Small blocks for engine tests: real images, no networks. */

export const numberSource = defineBlock({
  specificationVersion: 'v1',
  type: 'test/number@v1',
  title: 'Number',
  description: 'Emits a number',
  manifest: { value: field.parameter(z.number(), ['float']) },
  outputs: { value: { kinds: ['float'] } },
  create: () => ({ run: ({ value }) => ({ value }) }),
});

export const addOne = defineBlock({
  specificationVersion: 'v1',
  type: 'test/add_one@v1',
  aliases: ['someone_else/increment@v1'],
  title: 'Add one',
  description: 'Adds one',
  manifest: { value: field.selector<number>(['float']) },
  outputs: { value: { kinds: ['float'] } },
  create: () => ({ run: ({ value }) => ({ value: value + 1 }) }),
});

export const imageSize = defineBlock({
  specificationVersion: 'v1',
  type: 'test/image_size@v1',
  title: 'Image size',
  description: 'Width and height of an image',
  manifest: { image: field.image({ aliases: ['images'] }) },
  outputs: { width: { kinds: ['integer'] }, height: { kinds: ['integer'] }, parent_id: { kinds: ['string'] }, offset_x: { kinds: ['integer'] } },
  create: () => ({
    run: ({ image }) => ({ width: image.width, height: image.height, parent_id: image.lineage?.parentId ?? null, offset_x: image.lineage?.offsetX ?? null }),
  }),
});

/** A slicer in miniature: cuts an image into `columns` vertical strips (adds a level). */
export const stripSlicer = defineBlock({
  specificationVersion: 'v1',
  type: 'test/strip_slicer@v1',
  title: 'Strip slicer',
  description: 'Cuts an image into vertical strips',
  manifest: { image: field.image(), columns: field.literal(z.number().int().min(1).default(2)) },
  outputs: { slices: { kinds: ['image'] } },
  dimensionality: 'expand',
  create: ({ properties }) => ({
    async run({ image }) {
      const columns = properties.columns ?? 2;
      const width = Math.floor(image.width / columns);
      const slices: VadImage[] = [];
      for (let i = 0; i < columns; i++) slices.push(await image.crop({ x: i * width, y: 0, width, height: image.height }));
      return { slices };
    },
  }),
});

/** An aggregator in miniature: sums per-slice numbers back to one per image (removes a level). */
export const sumCollapse = defineBlock({
  specificationVersion: 'v1',
  type: 'test/sum@v1',
  title: 'Sum',
  description: 'Sums a per-slice number',
  manifest: { values: field.selector<number[]>(['float', 'integer'], { collapse: true }), image: field.image({ optional: true }) },
  outputs: { total: { kinds: ['float'] }, count: { kinds: ['integer'] } },
  dimensionality: 'collapse',
  create: () => ({ run: ({ values }) => ({ total: values.reduce((a, b) => a + b, 0), count: values.length }) }),
});

/** Counts the frames it has seen: state per stream. */
export function createCounterBlock(disposed: string[] = []) {
  return defineBlock({
    specificationVersion: 'v1',
    type: 'test/counter@v1',
    title: 'Counter',
    description: 'Counts runs per stream',
    manifest: { image: field.image() },
    outputs: { count: { kinds: ['integer'] } },
    stateful: true,
    create: ({ stepName }) => {
      let count = 0;
      return { run: () => ({ count: ++count }), dispose: () => void disposed.push(stepName) };
    },
  });
}

/** Waits for a barrier shared by the test, proving that two steps are in flight together. */
export function createBarrierBlock(barrier: { arrive(): Promise<void> }) {
  return defineBlock({
    specificationVersion: 'v1',
    type: 'test/barrier@v1',
    title: 'Barrier',
    description: 'Waits until every participant arrives',
    manifest: { value: field.parameter(z.number(), ['float']) },
    outputs: { value: { kinds: ['float'] } },
    create: () => ({
      async run({ value }) {
        await barrier.arrive();
        return { value };
      },
    }),
  });
}

export const failing = defineBlock({
  specificationVersion: 'v1',
  type: 'test/failing@v1',
  title: 'Failing',
  description: 'Always throws',
  manifest: { value: field.parameter(z.number(), ['float']) },
  outputs: { value: { kinds: ['float'] } },
  create: () => ({
    run() {
      throw new RangeError('sensor value out of range');
    },
  }),
});

export const testBlocks: AnyBlock[] = [numberSource, addOne, imageSize, stripSlicer, sumCollapse, failing];

/** A solid-colour PNG made with sharp. */
export async function makePng(width: number, height: number, rgb: [number, number, number] = [200, 100, 50]): Promise<Uint8Array> {
  const sharp = (await import('sharp')).default;
  return sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } }).png().toBuffer();
}
