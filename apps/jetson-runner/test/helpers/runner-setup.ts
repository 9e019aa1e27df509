import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { coreBlocks, createBlockRegistry } from '@vad/core';
import { resolveConfig } from '../../src/index.js';
import type { RawRunnerConfig, RunnerConfig } from '../../src/index.js';
import { intensityWorkflow, meanIntensity } from '../fixtures/intensity-plugin.mjs';

export const intensityRegistry = () => createBlockRegistry([...coreBlocks(), meanIntensity]);

/** Writes the intensity workflow into `folder` and returns a validated config that runs it. */
export function intensityConfig(folder: string, raw: Omit<RawRunnerConfig, 'workflow' | 'anomaly'> & Partial<RawRunnerConfig>, workflow: { delayMs?: number; threshold?: number } = {}): RunnerConfig {
  const workflowFile = path.join(folder, 'intensity-workflow.json');
  if (!raw.workflow) writeFileSync(workflowFile, JSON.stringify(intensityWorkflow(workflow), null, 2));
  return resolveConfig({ workflow: workflowFile, anomaly: { output: 'bright' }, ...raw }, { baseDir: folder });
}
