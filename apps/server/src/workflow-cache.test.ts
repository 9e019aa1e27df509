import { coreBlocks, createBlockRegistry, defineBlock, field, type WorkflowDefinition } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { canonicalJson, createWorkflowCache, definitionHash } from './workflow-cache.js';

const disposed: string[] = [];
const tracked = defineBlock({
  specificationVersion: 'v1',
  type: 'test/tracked@v1',
  title: 'Tracked',
  description: 'Records when its instance is disposed.',
  manifest: { image: field.image() },
  outputs: { width: { kinds: ['integer'] } },
  // Disposal takes a moment, as closing a session to a server does.
  create: ({ stepName }) => ({ run: ({ image }) => ({ width: image.width }), dispose: () => new Promise<void>((resolve) => setTimeout(() => resolve(void disposed.push(stepName)), 20)) }),
});
const registry = createBlockRegistry([...coreBlocks(), tracked]);
const definition = (stepName: string): WorkflowDefinition => ({
  version: '1.0',
  inputs: [{ type: 'WorkflowImage', name: 'image' }],
  steps: [{ type: 'test/tracked@v1', name: stepName, image: '$inputs.image' }],
  outputs: [{ type: 'JsonField', name: 'width', selector: `$steps.${stepName}.width` }],
});

describe('workflow cache', () => {
  it('hashes definitions independently of key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
    expect(definitionHash({ x: 1, y: 2 })).toBe(definitionHash({ y: 2, x: 1 }));
  });

  it('reuses a compiled workflow for an equal definition', () => {
    const cache = createWorkflowCache({ registry, host: {}, capacity: 2 });
    const first = cache.acquire(definition('a'));
    const second = cache.acquire(JSON.parse(JSON.stringify(definition('a'))));
    expect(second.workflow).toBe(first.workflow);
    first.release();
    second.release();
  });

  it('evicts the least recently used and disposes it once its last user releases it', async () => {
    disposed.length = 0;
    const cache = createWorkflowCache({ registry, host: {}, capacity: 1 });
    const a = cache.acquire(definition('a'));
    await a.workflow.prepare(); // creates the block instance
    const b = cache.acquire(definition('b')); // evicts "a", which is still in use
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(disposed).toEqual([]);
    a.release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(disposed).toEqual(['a']);
    expect(cache.size).toBe(1);
    b.release();
    await cache.clear();
  });

  it('clear() resolves once the workflows no request uses are disposed', async () => {
    disposed.length = 0;
    const cache = createWorkflowCache({ registry, host: {}, capacity: 2 });
    const a = cache.acquire(definition('a'));
    await a.workflow.prepare();
    a.release();
    await cache.clear();
    expect(disposed).toEqual(['a']);
    expect(cache.size).toBe(0);
  });
});
