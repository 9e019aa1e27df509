import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createWorkflow, InvalidInputError, readWorkflowFile, serializeValue, VadImage } from '@vad/core';
import { createStandardRegistry } from '@vad/standard';
import { parseParameters } from '../parse-parameters.js';


export interface RunCommandOptions {
  workflow: string;
  images: string[];
  /** Name of the workflow's image input; default: its first WorkflowImage. */
  input?: string;
  params: string[];
  out?: string;
  modelsDir?: string;
  profile?: boolean;
}

/**
 * Runs a workflow on image files. Output images are written to `out` as files and referenced by
 * path in `outputs.json`; without `out`, images are summarised and JSON goes to stdout.
 */
export async function runCommand(options: RunCommandOptions, print: (text: string) => void): Promise<void> {
  const definition = await readWorkflowFile(options.workflow);
  const { registry } = await createStandardRegistry();
  const workflow = createWorkflow(definition, { registry, host: { modelsDir: options.modelsDir ?? process.env.VAD_MODELS_DIR } });
  try {
    const imageInputs = workflow.plan.inputs.filter((input) => input.type === 'image');
    const inputName = options.input ?? imageInputs[0]?.name;
    const inputs: Record<string, unknown> = parseParameters(options.params);
    if (options.images.length > 0) {
      if (!inputName) throw new InvalidInputError({ message: `${options.workflow} declares no WorkflowImage input, but --image was given` });
      inputs[inputName] = await Promise.all(
        options.images.map(async (file) => {
          const bytes = await readFile(file).catch((cause: Error) => {
            throw new InvalidInputError({ message: `cannot read image ${file}: ${cause.message}`, path: file, cause });
          });
          return VadImage.fromBytes(bytes, { name: file });
        }),
      );
    }
    const result = await workflow.run({ inputs, profile: options.profile });
    if (options.out) await mkdir(options.out, { recursive: true });
    const outputs = await serializeValue(result.outputs, {
      image: async (image, where) => {
        if (!options.out) return { type: 'image', width: image.width, height: image.height };
        const file = `${where.replace(/^\[(\d+)\]\.?/, 'image$1-').replace(/[^\w.-]+/g, '_')}.jpg`;
        await writeFile(path.join(options.out, file), await image.encode('jpeg'));
        return { type: 'file', path: file, width: image.width, height: image.height };
      },
    });
    const document = JSON.stringify({ outputs, warnings: result.warnings, ...(result.profile && { profile: result.profile }) }, null, 2);
    if (options.out) {
      await writeFile(path.join(options.out, 'outputs.json'), `${document}\n`);
      print(`wrote ${path.join(options.out, 'outputs.json')}`);
    } else print(document);
  } finally {
    await workflow.dispose();
  }
}
