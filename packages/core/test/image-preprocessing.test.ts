import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sharedPath } from '@vad/testing';
import type { Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { coreBlocks } from '../src/core-blocks/index.js';
import { loadSharp, VadImage } from '../src/image.js';
import { createBlockRegistry } from '../src/registry.js';
import { createWorkflow } from '../src/workflow.js';

const photos = sharedPath('datasets/photos');
const registry = createBlockRegistry(coreBlocks());
const photo = async (name: string) => VadImage.fromBytes(await readFile(path.join(photos!, name)));

function preprocessing(step: Record<string, unknown>, parameters: string[] = []) {
  return createWorkflow(
    {
      version: '1.0',
      inputs: [{ type: 'WorkflowImage', name: 'image' }, ...parameters.map((name) => ({ type: 'WorkflowParameter' as const, name }))],
      steps: [{ type: 'roboflow_core/image_preprocessing@v1', name: 'pre', image: '$inputs.image', ...step } as never],
      outputs: [{ type: 'JsonField', name: 'image', selector: '$steps.pre.image' }],
    },
    { registry },
  );
}

async function run(image: VadImage, step: Record<string, unknown>, parameters: Record<string, unknown> = {}): Promise<VadImage> {
  const [record] = (await preprocessing(step, Object.keys(parameters)).run({ inputs: { image, ...parameters } })).outputs;
  return record!.image as VadImage;
}

/** The photo's pixels put through sharp directly, to compare with. */
async function bySharp(image: VadImage, apply: (pipeline: Sharp) => Sharp): Promise<Buffer> {
  const sharp = await loadSharp();
  const { data, width, height } = await image.pixels();
  return apply(sharp(data, { raw: { width, height, channels: 3 } })).raw().toBuffer();
}

const pixelsOf = async (image: VadImage) => Buffer.from((await image.pixels()).data);
const pixelAt = (data: Uint8Array, width: number, x: number, y: number) => [...data.subarray((y * width + x) * 3, (y * width + x) * 3 + 3)];

describe.skipIf(!photos)('image_preprocessing on real photos', () => {
  it('rotate 90 swaps width and height and turns counter-clockwise, pixel for pixel', async () => {
    const dog = await photo('dog.jpg');
    const turned = await run(dog, { task_type: 'rotate', rotation_degrees: 90 });
    expect([turned.width, turned.height]).toEqual([dog.height, dog.width]);
    const [source, rotated] = [(await dog.pixels()).data, (await turned.pixels()).data];
    // Counter-clockwise: the top-right corner comes to the top-left, the top-left to the bottom-left.
    expect(pixelAt(rotated, turned.width, 0, 0)).toEqual(pixelAt(source, dog.width, dog.width - 1, 0));
    expect(pixelAt(rotated, turned.width, 0, turned.height - 1)).toEqual(pixelAt(source, dog.width, 0, 0));
    expect((await pixelsOf(turned)).equals(await bySharp(dog, (p) => p.rotate(270)))).toBe(true);
    expect(turned.id).toBe(dog.id);
  });

  it('rotate −90 turns clockwise; 45 grows the canvas to Roboflow’s truncated size', async () => {
    const eagle = await photo('eagle.jpg');
    const clockwise = await run(eagle, { task_type: 'rotate', rotation_degrees: -90 });
    expect((await pixelsOf(clockwise)).equals(await bySharp(eagle, (p) => p.rotate(90)))).toBe(true);
    // 773×512 at 45°: int(512·0.7071 + 773·0.7071) = 908 both ways (libvips alone makes 909).
    const tilted = await run(eagle, { task_type: 'rotate', rotation_degrees: 45 });
    expect([tilted.width, tilted.height]).toEqual([908, 908]);
    const corner = pixelAt((await tilted.pixels()).data, tilted.width, 0, 0);
    expect(corner).toEqual([0, 0, 0]);
  });

  it.each([
    ['vertical', (p: Sharp) => p.flip()],
    ['horizontal', (p: Sharp) => p.flop()],
    ['both', (p: Sharp) => p.flip().flop()],
  ] as const)('flip %s equals sharp’s flip of the same photo', async (flip_type, apply) => {
    const horses = await photo('horses.jpg');
    const flipped = await run(horses, { task_type: 'flip', flip_type });
    expect([flipped.width, flipped.height]).toEqual([horses.width, horses.height]);
    const expected = await bySharp(horses, apply);
    expect((await pixelsOf(flipped)).equals(expected)).toBe(true);
    expect((await pixelsOf(flipped)).equals(await pixelsOf(horses))).toBe(false);
  });

  it('flip defaults to vertical, as Roboflow’s flip_type does', async () => {
    const kite = await photo('kite.jpg');
    expect((await pixelsOf(await run(kite, { task_type: 'flip' }))).equals(await bySharp(kite, (p) => p.flip()))).toBe(true);
  });

  it('resize stretches to width × height (the same path as vad/image_resize); a null side keeps the aspect', async () => {
    const dog = await photo('dog.jpg');
    const stretched = await run(dog, { task_type: 'resize', width: 300, height: 100 });
    expect([stretched.width, stretched.height]).toEqual([300, 100]);
    expect((await pixelsOf(stretched)).equals(await bySharp(dog, (p) => p.resize(300, 100, { fit: 'fill', kernel: 'lanczos3' })))).toBe(true);
    // 768×576 to width 320: height int(576 · 320 / 768) = 240; to height 100: width int(768 · 100 / 576) = 133.
    const byWidth = await run(dog, { task_type: 'resize', width: 320, height: '$inputs.h' }, { h: null });
    expect([byWidth.width, byWidth.height]).toEqual([320, 240]);
    const byHeight = await run(dog, { task_type: 'resize', width: '$inputs.w', height: 100 }, { w: null });
    expect([byHeight.width, byHeight.height]).toEqual([133, 100]);
    expect(await run(dog, { task_type: 'resize' })).toMatchObject({ width: 640, height: 640 });
  });

  it('the result keeps the image id (a classification still pairs with its crop) but not the crop’s offset', async () => {
    const crop = await (await photo('giraffe.jpg')).crop({ x: 100, y: 50, width: 200, height: 100 });
    const resized = await run(crop, { task_type: 'resize', width: 50, height: 25 });
    expect(resized.id).toBe(crop.id);
    expect(resized.lineage).toBeUndefined();
  });
});

describe('image_preprocessing definitions', () => {
  it('reads the image under "images" too', () => {
    expect(() => createWorkflow({ inputs: [{ type: 'WorkflowImage', name: 'image' }], steps: [{ type: 'roboflow_core/image_preprocessing@v1', name: 'pre', images: '$inputs.image', task_type: 'flip' }], outputs: [] }, { registry })).not.toThrow();
  });

  it.each([
    [{ task_type: 'shear' }, /property "task_type": invalid value "shear"/],
    [{ task_type: undefined }, /property "task_type": missing required property/],
    [{ task_type: '$inputs.task' }, /property "task_type", selector "\$inputs.task": this property must be written literally/],
    [{ task_type: 'rotate', rotation_degrees: 361 }, /property "rotation_degrees": invalid value 361/],
    [{ task_type: 'rotate', rotation_degrees: 12.5 }, /property "rotation_degrees"/],
    [{ task_type: 'flip', flip_type: 'diagonal' }, /property "flip_type": invalid value "diagonal"/],
    [{ task_type: 'resize', width: 0 }, /property "width": invalid value 0/],
    [{ task_type: 'resize', height: -5 }, /property "height"/],
  ])('refuses %j, naming the property', (step, message) => {
    expect(() => preprocessing(step, ['task'])).toThrow(message);
  });

  it('names the property when a parameter given at run time is invalid', async () => {
    const workflow = preprocessing({ task_type: 'rotate', rotation_degrees: '$inputs.degrees' }, ['degrees']);
    await expect(workflow.run({ inputs: { image: VadImage.fromPixels({ data: new Uint8Array(12), width: 2, height: 2 }), degrees: 400 } })).rejects.toThrow(/property "rotation_degrees"/);
  });
});
