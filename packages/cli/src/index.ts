export { createProgram, main, exitCodes } from './program.js';
export type { Io } from './program.js';
export { runCommand } from './commands/run.js';
export type { RunCommandOptions } from './commands/run.js';
export { validateCommand } from './commands/validate.js';
export { blocksCommand } from './commands/blocks.js';
export { parseParameters } from './parse-parameters.js';
