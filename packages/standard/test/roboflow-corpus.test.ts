import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileWorkflow, type WorkflowDefinition } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { createStandardRegistry } from '../src/index.js';

/**
 * Every Roboflow-format definition in test/roboflow-corpus/<area>/ compiles against the standard
 * registry. Each area's own test (roboflow-<area>.test.ts) runs its definitions and checks outputs;
 * this one only needs the files, so an area added later is covered without changes here.
 */
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), 'roboflow-corpus');

function definitionFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return definitionFiles(full);
    return entry.name.endsWith('.json') ? [full] : [];
  });
}

const files = definitionFiles(root).map((file) => path.relative(root, file)).sort();

describe('the Roboflow compatibility corpus', () => {
  it('has definitions', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s compiles against the standard registry', async (file) => {
    const definition = JSON.parse(readFileSync(path.join(root, file), 'utf8')) as WorkflowDefinition;
    const { registry } = await createStandardRegistry({ plugins: [] });
    const plan = compileWorkflow(definition, registry);
    expect(plan.steps.length + plan.outputs.length).toBeGreaterThan(0);
  });
});
