import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PluginLoadError } from './errors.js';
import { loadPlugins, pluginNamesFromEnv } from './plugins.js';
import { createBlockRegistry } from './registry.js';
import { coreBlocks } from './core-blocks/index.js';
import { createWorkflow } from './workflow.js';
import { makePng } from './__fixtures__/test-blocks.js';

const repository = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** A project folder whose node_modules holds the given packages (name → entry source). */
function projectWith(packages: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'vad-plugins-'));
  for (const [name, source] of Object.entries(packages)) {
    const folder = path.join(root, 'node_modules', name);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name, type: 'module', exports: { '.': { import: './index.js' } } }));
    writeFileSync(path.join(folder, 'index.js'), source);
  }
  return root;
}

describe('loadPlugins', () => {
  it('loads the example plugin package, whose block then compiles and runs', async () => {
    const project = mkdtempSync(path.join(os.tmpdir(), 'vad-plugins-'));
    mkdirSync(path.join(project, 'node_modules'));
    symlinkSync(path.join(repository, 'examples/vad-block-brightness'), path.join(project, 'node_modules/vad-block-brightness'));
    const [plugin] = await loadPlugins(['vad-block-brightness'], { from: project });
    expect(plugin!.blocks.map((b) => b.type)).toEqual(['example/brightness@v1']);
    const registry = createBlockRegistry([...coreBlocks(), ...plugin!.blocks]);
    const workflow = createWorkflow(
      {
        inputs: [{ type: 'WorkflowImage', name: 'image' }],
        steps: [{ type: 'example/brightness@v1', name: 'light', image: '$inputs.image' }],
        outputs: [{ type: 'JsonField', name: 'dark', selector: '$steps.light.out_of_range' }, { type: 'JsonField', name: 'luma', selector: '$steps.light.brightness' }],
      },
      { registry },
    );
    const [record] = (await workflow.run({ inputs: { image: await makePng(8, 8, [10, 10, 10]) } })).outputs;
    expect(record!.dark).toBe(true);
    expect(record!.luma).toBeCloseTo(10, 5);
  });

  it('rejects a package without vadBlocks(), a missing package, and duplicate type names', async () => {
    const block = (type: string) => `export function vadBlocks() { return [{ specificationVersion: 'v1', type: '${type}', title: 't', description: 'd', manifest: {}, outputs: {}, create: () => ({ run: () => ({}) }) }]; }`;
    const project = projectWith({ 'no-entry': 'export const blocks = [];', first: block('acme/same@v1'), second: block('acme/same@v1') });
    const noEntry = await loadPlugins(['no-entry'], { from: project }).catch((e: unknown) => e);
    expect(PluginLoadError.isInstance(noEntry)).toBe(true);
    expect((noEntry as Error).message).toMatch(/"no-entry" does not export a function "vadBlocks\(\)"/);
    await expect(loadPlugins(['not-installed'], { from: project })).rejects.toThrow(/plugin "not-installed" could not be imported/);
    const plugins = await loadPlugins(['first', 'second'], { from: project });
    const sources = new Map(plugins.flatMap((p) => p.blocks.map((b) => [b, p.packageName] as const)));
    expect(() => createBlockRegistry(plugins.flatMap((p) => p.blocks), { source: (b) => sources.get(b)! })).toThrow(
      /two blocks answer to the type name "acme\/same@v1" \(from first and second\)/,
    );
  });

  it('imports a module file given by path, relative to `from`', async () => {
    const project = projectWith({});
    writeFileSync(path.join(project, 'local-blocks.mjs'), `export function vadBlocks() { return [{ specificationVersion: 'v1', type: 'local/thing@v1', title: 't', description: 'd', manifest: {}, outputs: {}, create: () => ({ run: () => ({}) }) }]; }`);
    const [plugin] = await loadPlugins(['./local-blocks.mjs'], { from: project });
    expect(plugin!.blocks.map((b) => b.type)).toEqual(['local/thing@v1']);
    await expect(loadPlugins(['./missing.mjs'], { from: project })).rejects.toThrow(/plugin ".\/missing.mjs" could not be imported/);
  });

  it('reads package names from VAD_PLUGINS', () => {
    expect(pluginNamesFromEnv('a, @scope/b  c')).toEqual(['a', '@scope/b', 'c']);
    expect(pluginNamesFromEnv('')).toEqual([]);
  });
});
