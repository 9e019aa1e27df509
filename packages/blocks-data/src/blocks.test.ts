import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { coreBlocks, createBlockRegistry, createWorkflow, type WorkflowDefinition } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { dataBlocks } from './index.js';

const registry = createBlockRegistry([...coreBlocks(), ...dataBlocks()]);
const one = (step: Record<string, unknown>, outputs: Record<string, string>, inputs: string[] = []): WorkflowDefinition => ({
  version: '1.0',
  inputs: inputs.map((name) => ({ type: 'WorkflowParameter', name })),
  steps: [{ name: 'step', ...step } as WorkflowDefinition['steps'][number]],
  outputs: Object.entries(outputs).map(([name, selector]) => ({ type: 'JsonField', name, selector })),
});

describe('json_parser', () => {
  const definition = one({ type: 'roboflow_core/json_parser@v1', raw_json: '$inputs.text', expected_fields: ['a', 'b'] }, { all: '$steps.step.*' }, ['text']);
  it('gives each field, null and error_status true when one is missing or the text is not JSON', async () => {
    const workflow = createWorkflow(definition, { registry });
    expect((await workflow.run({ inputs: { text: '{"a": 1, "b": [2]}' } })).outputs[0]!.all).toEqual({ error_status: false, a: 1, b: [2] });
    expect((await workflow.run({ inputs: { text: '{"a": 1}' } })).outputs[0]!.all).toEqual({ error_status: true, a: 1, b: null });
    const broken = await workflow.run({ inputs: { text: 'not json' } });
    expect(broken.outputs[0]!.all).toEqual({ error_status: true, a: null, b: null });
    expect(broken.warnings.join()).toMatch(/could not parse JSON/);
  });
  it('refuses error_status as an expected field, naming the property', () => {
    const bad = one({ type: 'roboflow_core/json_parser@v1', raw_json: '{}', expected_fields: ['error_status'] }, {});
    expect(() => createWorkflow(bad, { registry })).toThrow(/property "expected_fields".*reserved/);
  });
});

describe('string_template', () => {
  it('takes a list from an input and joins it with SequenceJoin, as Roboflow\'s prompt builder does', async () => {
    const definition = one(
      { type: 'roboflow_core/string_template@v1', template: 'Find: {skus}.', data: { skus: '$inputs.skus' }, data_operations: { skus: [{ type: 'SequenceJoin', separator: ' / ' }] } },
      { text: '$steps.step.output' },
      ['skus'],
    );
    const workflow = createWorkflow(definition, { registry });
    expect((await workflow.run({ inputs: { skus: ['a-1', 'b-2'] } })).outputs[0]!.text).toBe('Find: a-1 / b-2.');
  });
});

describe('local_file_sink', () => {
  it('reports a failed write with the path, and writes no partial file', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'vad-sink-'));
    try {
      const blocker = path.join(directory, 'not-a-directory');
      await writeFile(blocker, 'x');
      const definition = one({ type: 'roboflow_core/local_file_sink@v1', content: '$inputs.text', output_mode: 'separate_files', target_directory: blocker, file_type: 'txt' }, { error: '$steps.step.error_status', message: '$steps.step.message' }, ['text']);
      const workflow = createWorkflow(definition, { registry });
      const result = await workflow.run({ inputs: { text: 'hello' } });
      expect(result.outputs[0]!.error).toBe(true);
      expect(result.outputs[0]!.message).toContain(path.join(blocker, 'workflow_output_'));
      expect(await readdir(directory)).toEqual(['not-a-directory']);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('append_log of JSON writes one line per entry to a .jsonl file, and refuses invalid JSON', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'vad-sink-'));
    try {
      const definition = one({ type: 'roboflow_core/local_file_sink@v1', content: '$inputs.text', output_mode: 'append_log', target_directory: directory, file_type: 'json' }, { message: '$steps.step.message' }, ['text']);
      const workflow = createWorkflow(definition, { registry });
      await workflow.run({ inputs: { text: '{\n  "a": 1\n}' } });
      expect((await workflow.run({ inputs: { text: '{oops' } })).outputs[0]!.message).toBe('Invalid JSON content');
      await workflow.run({ inputs: { text: '[2, 3]' } });
      await workflow.dispose();
      const [file] = await readdir(directory);
      expect(file).toMatch(/^workflow_output_.*\.jsonl$/);
      expect(await readFile(path.join(directory, file!), 'utf8')).toBe('{"a":1}\n[2,3]\n');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
