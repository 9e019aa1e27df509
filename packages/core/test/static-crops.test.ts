import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sharedPath } from '@vad/testing';
import { describe, expect, it } from 'vitest';
import { coreBlocks } from '../src/core-blocks/index.js';
import { loadSharp, VadImage } from '../src/image.js';
import { createBlockRegistry } from '../src/registry.js';
import { createWorkflow } from '../src/workflow.js';

const photos = sharedPath('datasets/photos');
const registry = createBlockRegistry(coreBlocks());

type Crop = VadImage | null;

async function cropOf(photo: string, step: Record<string, unknown>, inputs: Record<string, unknown> = {}): Promise<{ crop: Crop; image: VadImage }> {
  const image = await VadImage.fromBytes(await readFile(path.join(photos!, photo)));
  const workflow = createWorkflow(
    {
      version: '1.0',
      inputs: [{ type: 'WorkflowImage', name: 'image' }, ...Object.keys(inputs).map((name) => ({ type: 'WorkflowParameter' as const, name }))],
      steps: [{ name: 'crop', images: '$inputs.image', ...step } as never],
      outputs: [{ type: 'JsonField', name: 'crop', selector: '$steps.crop.crops' }],
    },
    { registry },
  );
  const [record] = (await workflow.run({ inputs: { image, ...inputs } })).outputs;
  return { crop: record!.crop as Crop, image };
}

/** The same region cut by libvips from the decoded photo, to compare pixels with. */
async function sharpExtract(image: VadImage, region: { left: number; top: number; width: number; height: number }): Promise<Buffer> {
  const sharp = await loadSharp();
  const { data, width, height } = await image.pixels();
  return sharp(data, { raw: { width, height, channels: 3 } }).extract(region).raw().toBuffer();
}

describe.skipIf(!photos)('static crops on real photos', () => {
  it('relative_static_crop rounds as Roboflow (halves to even) and keeps the offset; pixels are the photo’s', async () => {
    // eagle.jpg is 773×512: x_center round(386.5) = 386, width round(386.5) = 386, x_min round(386 − 193) = 193.
    const { crop, image } = await cropOf('eagle.jpg', { type: 'roboflow_core/relative_statoic_crop@v1', x_center: 0.5, y_center: 0.5, width: 0.5, height: 0.5 });
    expect([image.width, image.height]).toEqual([773, 512]);
    expect([crop!.width, crop!.height]).toEqual([386, 256]);
    expect(crop!.lineage).toEqual({ parentId: image.id, offsetX: 193, offsetY: 128, parentWidth: 773, parentHeight: 512 });
    const expected = await sharpExtract(image, { left: 193, top: 128, width: 386, height: 256 });
    expect(Buffer.from((await crop!.pixels()).data).equals(expected)).toBe(true);
  });

  it('relative_static_crop over the right edge is clipped to the image (short literal)', async () => {
    // dog.jpg is 768×576: x_center round(691.2) = 691, width round(307.2) = 307, x_min round(537.5) = 538, x_max 845 → 768.
    const { crop, image } = await cropOf('dog.jpg', { type: 'RelativeStaticCrop', x_center: 0.9, y_center: 0.25, width: 0.4, height: 0.5 });
    expect([crop!.width, crop!.height]).toEqual([230, 288]);
    expect(crop!.lineage).toMatchObject({ parentId: image.id, offsetX: 538, offsetY: 0 });
    expect(Buffer.from((await crop!.pixels()).data).equals(await sharpExtract(image, { left: 538, top: 0, width: 230, height: 288 }))).toBe(true);
  });

  it('relative_static_crop of zero width is empty (null), as Roboflow returns None', async () => {
    const { crop } = await cropOf('dog.jpg', { type: 'roboflow_core/relative_statoic_crop@v1', x_center: 0.5, y_center: 0.5, width: 0, height: 0.5 });
    expect(crop).toBeNull();
  });

  it('absolute_static_crop takes the same path: an odd width rounds its corner half to even', async () => {
    // x_min = round(100 − 25.5) = round(74.5) = 74; y_min = round(60 − 20) = 40.
    const { crop, image } = await cropOf('giraffe.jpg', { type: 'roboflow_core/absolute_static_crop@v1', x_center: 100, y_center: 60, width: 51, height: 40 });
    expect([crop!.width, crop!.height]).toEqual([51, 40]);
    expect(crop!.lineage).toMatchObject({ offsetX: 74, offsetY: 40 });
    expect(Buffer.from((await crop!.pixels()).data).equals(await sharpExtract(image, { left: 74, top: 40, width: 51, height: 40 }))).toBe(true);
  });

  it('absolute_static_crop clips a region over the top-left edge, and a region wholly outside is empty (null)', async () => {
    const { crop, image } = await cropOf('giraffe.jpg', { type: 'AbsoluteStaticCrop', x_center: 10, y_center: 5, width: 40, height: 30 });
    expect([crop!.width, crop!.height]).toEqual([30, 20]);
    expect(crop!.lineage).toMatchObject({ offsetX: 0, offsetY: 0 });
    expect(Buffer.from((await crop!.pixels()).data).equals(await sharpExtract(image, { left: 0, top: 0, width: 30, height: 20 }))).toBe(true);
    expect((await cropOf('giraffe.jpg', { type: 'AbsoluteStaticCrop', x_center: 5000, y_center: 60, width: 40, height: 30 })).crop).toBeNull();
  });

  it('takes fractions from selectors, and names the property when one is out of 0–1', async () => {
    const step = { type: 'roboflow_core/relative_statoic_crop@v1', x_center: '$inputs.x', y_center: 0.5, width: 0.25, height: 0.25 };
    const { crop } = await cropOf('person.jpg', step, { x: 0.25 });
    // person.jpg is 640×424: x_center 160, width 160, x_min 80; y_center 212, height 106, y_min 159.
    expect(crop!.lineage).toMatchObject({ offsetX: 80, offsetY: 159 });
    expect([crop!.width, crop!.height]).toEqual([160, 106]);
    await expect(cropOf('person.jpg', step, { x: 1.5 })).rejects.toThrow(/property "x_center"/);
  });
});

describe('relative_static_crop definitions', () => {
  const compile = (step: Record<string, unknown>) =>
    createWorkflow({ inputs: [{ type: 'WorkflowImage', name: 'image' }], steps: [{ type: 'RelativeStaticCrop', name: 'crop', images: '$inputs.image', x_center: 0.5, y_center: 0.5, width: 0.5, height: 0.5, ...step } as never], outputs: [] }, { registry });

  it('names the property that is out of range or missing', () => {
    expect(() => compile({ width: 2 })).toThrow(/step "crop", property "width": invalid value 2/);
    expect(() => compile({ height: -0.1 })).toThrow(/property "height"/);
    expect(() => compile({ y_center: undefined })).toThrow(/property "y_center": missing required property/);
  });
});
