import { describe as group, expect, it } from 'vitest';
import { z } from 'zod';
import { field } from './blocks.js';
import { coreBlocks } from './core-blocks/index.js';
import { PluginLoadError } from './errors.js';
import { createBlockRegistry, describe } from './registry.js';
import { testBlocks } from './__fixtures__/test-blocks.js';

group('block registry', () => {
  it('finds blocks by type and alias and lists each once', () => {
    const registry = createBlockRegistry([...coreBlocks(), ...testBlocks]);
    expect(registry.get('roboflow_core/property_definition@v1')).toBe(registry.get('vad/property_definition@v1'));
    expect(registry.list()).toHaveLength(coreBlocks().length + testBlocks.length);
  });

  it('refuses a block of another contract version and an alias taken by another block', () => {
    expect(() => createBlockRegistry([{ ...testBlocks[0]!, specificationVersion: 'v2' } as never])).toThrow(/specificationVersion "v2"; this engine runs 'v1'/);
    const impostor = { ...testBlocks[0]!, type: 'test/other@v1', aliases: ['test/add_one@v1'] };
    const error = (() => {
      try {
        createBlockRegistry([...testBlocks, impostor]);
      } catch (e) {
        return e;
      }
    })();
    expect(PluginLoadError.isInstance(error)).toBe(true);
  });
});

group('describe', () => {
  it('gives each block as JSON Schema with its outputs and kinds', () => {
    const { blocks } = describe(createBlockRegistry(coreBlocks()));
    const resize = blocks.find((b) => b.manifest_type_identifier === 'vad/image_resize@v1')!;
    expect(resize.block_schema.required).toEqual(['type', 'name', 'image', 'width', 'height']);
    expect(resize.block_schema.properties.image).toMatchObject({ type: 'string', 'x-kinds': ['image'] });
    expect(resize.block_schema.properties.width).toMatchObject({ anyOf: [{ type: 'integer', minimum: 1, maximum: 16384 }, { 'x-kinds': ['integer'] }] });
    expect(resize.block_schema.properties.fit).toMatchObject({ enum: ['fill', 'inside', 'cover', 'contain'], default: 'fill' });
    expect(resize.outputs_manifest).toEqual([{ name: 'image', kind: [{ name: 'image' }] }]);
    const crop = blocks.find((b) => b.manifest_type_identifier === 'vad/absolute_static_crop@v1')!;
    expect(crop.block_schema.properties.type).toEqual({ type: 'string', enum: ['vad/absolute_static_crop@v1', 'roboflow_core/absolute_static_crop@v1', 'AbsoluteStaticCrop'] });
  });

  it('lists a property\'s aliases and requires it under any one of its names', () => {
    const size = describe(createBlockRegistry(testBlocks)).blocks.find((b) => b.manifest_type_identifier === 'test/image_size@v1')!;
    expect(size.block_schema.properties.images).toMatchObject({ type: 'string', 'x-kinds': ['image'], description: 'Another name for "image".' });
    expect(size.block_schema.required).toEqual(['type', 'name']);
    expect(size.block_schema).toMatchObject({ allOf: [{ anyOf: [{ required: ['image'] }, { required: ['images'] }] }] });
  });

  it('gives a list property as an array of literals or selectors', () => {
    const join = { ...testBlocks[0]!, type: 'test/join@v1', manifest: { values: field.list(z.number(), ['float'], { minItems: 1 }) } };
    const values = describe(createBlockRegistry([join])).blocks[0]!.block_schema.properties.values;
    expect(values).toEqual({ type: 'array', minItems: 1, items: { anyOf: [{ type: 'number' }, { type: 'string', pattern: '^\\$(inputs|steps)\\.', 'x-kinds': ['float'] }] } });
  });
});
