import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWorkflow, VadImage, type WorkflowDefinition } from '@vad/core';
import { sharedPath } from '@vad/testing';
import { createStandardRegistry } from '../src/index.js';

/** What the Roboflow corpus tests share: run a definition with the standard registry, read a photo, keep a picture. */
export const corpusDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'roboflow-corpus');
export const photosDir = sharedPath('datasets/photos');

/** Runs a definition once with the standard registry (no plugins) and returns its outputs, one record per image. */
export async function runDefinition(definition: WorkflowDefinition, inputs: Record<string, unknown>, modelsDir?: string) {
  const { registry } = await createStandardRegistry({ plugins: [] });
  const workflow = createWorkflow(definition, { registry, host: modelsDir ? { modelsDir } : undefined });
  try {
    return (await workflow.run({ inputs })).outputs;
  } finally {
    await workflow.dispose();
  }
}

/** A corpus definition, by its path under roboflow-corpus/. */
export async function readCorpus(file: string): Promise<WorkflowDefinition> {
  return JSON.parse(await readFile(path.join(corpusDir, file), 'utf8')) as WorkflowDefinition;
}

export async function runCorpus(file: string, inputs: Record<string, unknown>, modelsDir?: string) {
  return runDefinition(await readCorpus(file), inputs, modelsDir);
}

/** A photo of the shared data (callers skip their suite when photosDir is undefined). */
export async function readPhoto(name: string): Promise<VadImage> {
  return VadImage.fromBytes(await readFile(path.join(photosDir!, name)));
}

/** With VAD_WRITE_IMAGES=<folder>, writes the picture as <name>.png there, to look at it. */
export async function keepImage(image: VadImage, name: string): Promise<void> {
  const folder = process.env.VAD_WRITE_IMAGES;
  if (!folder) return;
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, `${name}.png`), await image.encode('png'));
}
