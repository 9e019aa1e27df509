import type { WorkflowDefinition } from '../definition.js';
import { fail } from './fail.js';

/** Pass 0: the definition is an object of a version this engine reads, with its three arrays. */
export function checkShape(definition: WorkflowDefinition): void {
  if (typeof definition !== 'object' || definition === null) fail('the workflow definition must be a JSON object', { property: 'specification' });
  checkVersion(definition.version);
  for (const key of ['inputs', 'steps', 'outputs'] as const) {
    if (!Array.isArray(definition[key])) fail(`the definition needs an array "${key}"`, { property: key });
  }
}

/**
 * Roboflow's engine runs a definition whose `version` is at or below its own and of the same
 * major: every 1.x definition is read here (what later minors added is additive: blocks and
 * inputs, which are checked one by one in the passes); another major is refused, naming what is read.
 */
function checkVersion(version: unknown): void {
  if (version === undefined) return;
  const match = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(String(version).trim());
  if (!match) fail(`workflow version ${JSON.stringify(version)} is not a version number like "1.0" or "1.3.0"`, { property: 'version' });
  if (match[1] !== '1') fail(`unsupported workflow version "${String(version)}"; this engine reads 1.x ("1.0" up to any "1.<minor>.<patch>")`, { property: 'version' });
}
