import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { WorkflowDefinition } from '@vad/core';
import { HttpProblem } from './http-errors.js';

/** Workspace and workflow ids: letters, digits, `_` and `-` only, so no id can name a path outside its folder. */
const idPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export function checkId(value: string, what: 'workspace' | 'workflow id'): string {
  if (!idPattern.test(value)) {
    throw new HttpProblem(400, 'InvalidIdentifierError', `${what} ${JSON.stringify(value.slice(0, 200))} is not valid: use letters, digits, "_" and "-" (at most 128), starting with a letter or digit`, what);
  }
  return value;
}

export interface SavedWorkflow {
  workspace: string;
  id: string;
  file: string;
  definition: WorkflowDefinition;
  /** Optional `description` written beside the definition in the file. */
  description: string | undefined;
  /** Optional `requires`: models the user must provide before the workflow runs. */
  requires: WorkflowRequirement[];
}

/** A model a saved workflow needs: a file in the models folder (`file`) or a fitted model (`model`). */
export interface WorkflowRequirement {
  kind: 'detector' | 'anomaly_model';
  /** The file (detector) or model name (fitted anomaly model) looked for in the models folder. */
  name: string;
  /** The exact steps to provide it, shown on the web page. */
  how: string;
}

export interface WorkflowStore {
  get(workspace: string, id: string, options?: { fresh?: boolean }): Promise<SavedWorkflow>;
  list(): Promise<SavedWorkflow[]>;
  readonly directories: readonly string[];
}

/**
 * Saved workflows from directories laid out as `<dir>/<workspace>/<id>.json`. A file holds either
 * the definition or `{description?, specification}`. Earlier directories win on equal names.
 * Definitions are cached and re-read when the file's modification time changes.
 */
export function createWorkflowStore(directories: readonly string[]): WorkflowStore {
  const cache = new Map<string, { mtimeMs: number; saved: SavedWorkflow }>();

  async function read(file: string, workspace: string, id: string, fresh: boolean): Promise<SavedWorkflow | undefined> {
    let stat;
    try {
      stat = await fs.stat(file);
    } catch {
      return undefined;
    }
    const cached = cache.get(file);
    if (!fresh && cached && cached.mtimeMs === stat.mtimeMs) return cached.saved;
    let parsed: unknown;
    try {
      parsed = JSON.parse(await fs.readFile(file, 'utf8'));
    } catch (cause) {
      throw new HttpProblem(500, 'WorkflowFileError', `saved workflow ${workspace}/${id} (${file}) is not valid JSON: ${(cause as Error).message}`);
    }
    const wrapped = parsed as { specification?: WorkflowDefinition; description?: string; requires?: WorkflowRequirement[] };
    const definition = (wrapped.specification ?? parsed) as WorkflowDefinition;
    const requires = Array.isArray(wrapped.requires) ? wrapped.requires : [];
    const saved: SavedWorkflow = { workspace, id, file, definition, description: wrapped.description, requires };
    cache.set(file, { mtimeMs: stat.mtimeMs, saved });
    return saved;
  }

  function fileFor(directory: string, workspace: string, id: string): string {
    const root = path.resolve(directory);
    const file = path.resolve(root, workspace, `${id}.json`);
    // Belt and braces: the id pattern already forbids separators and dots.
    if (!file.startsWith(root + path.sep)) throw new HttpProblem(400, 'InvalidIdentifierError', `workflow ${workspace}/${id} lies outside ${root}`);
    return file;
  }

  return {
    directories,
    async get(workspace, id, options = {}) {
      checkId(workspace, 'workspace');
      checkId(id, 'workflow id');
      for (const directory of directories) {
        const saved = await read(fileFor(directory, workspace, id), workspace, id, options.fresh ?? false);
        if (saved) return saved;
      }
      throw new HttpProblem(404, 'NotFoundError', `no saved workflow "${workspace}/${id}": looked for ${workspace}/${id}.json in ${directories.join(', ')}`, 'workflow');
    },
    async list() {
      const found = new Map<string, SavedWorkflow>();
      for (const directory of directories) {
        let workspaces: string[] = [];
        try {
          workspaces = (await fs.readdir(directory, { withFileTypes: true })).filter((d) => d.isDirectory() && idPattern.test(d.name)).map((d) => d.name);
        } catch {
          continue;
        }
        for (const workspace of workspaces.sort()) {
          const files = (await fs.readdir(path.join(directory, workspace))).filter((f) => f.endsWith('.json')).sort();
          for (const file of files) {
            const id = file.slice(0, -'.json'.length);
            const key = `${workspace}/${id}`;
            if (!idPattern.test(id) || found.has(key)) continue;
            try {
              const saved = await read(path.join(directory, workspace, file), workspace, id, false);
              if (saved) found.set(key, saved);
            } catch {
              // A broken file is reported when it is asked for, not when listing.
            }
          }
        }
      }
      return [...found.values()];
    },
  };
}
