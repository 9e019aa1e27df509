import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWorkflowFile } from './workflow-file.js';

const folder = mkdtempSync(path.join(os.tmpdir(), 'vad-workflow-file-'));
const file = (name: string, text: string) => {
  writeFileSync(path.join(folder, name), text);
  return path.join(folder, name);
};
const definition = { version: '1.0', inputs: [], steps: [], outputs: [] };

describe('readWorkflowFile', () => {
  it('reads a bare definition and a saved workflow envelope', async () => {
    expect(await readWorkflowFile(file('bare.json', JSON.stringify(definition)))).toEqual(definition);
    expect(await readWorkflowFile(file('saved.json', JSON.stringify({ description: 'x', specification: definition })))).toEqual(definition);
  });

  it('names the file when it is missing, not JSON, or not a definition', async () => {
    await expect(readWorkflowFile(path.join(folder, 'absent.json'))).rejects.toThrow(/cannot read workflow file .*absent\.json/);
    await expect(readWorkflowFile(file('broken.json', '{"inputs": ['))).rejects.toThrow(/broken\.json is not valid JSON/);
    await expect(readWorkflowFile(file('other.json', '{"hello": 1}'))).rejects.toThrow(/other\.json is not a workflow definition/);
  });
});
