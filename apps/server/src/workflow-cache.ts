import { createHash } from 'node:crypto';
import { createWorkflow, type BlockRegistry, type HostContext, type Workflow, type WorkflowDefinition } from '@vad/core';

/** A stable JSON text (object keys sorted), so equal definitions hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function definitionHash(definition: unknown): string {
  return createHash('sha256').update(canonicalJson(definition)).digest('hex');
}

interface Entry {
  workflow: Workflow;
  users: number;
  evicted: boolean;
}

export interface LeasedWorkflow {
  readonly workflow: Workflow;
  readonly hash: string;
  /** Give the workflow back; an evicted one is disposed when its last user releases it. */
  release(): void;
}

export interface WorkflowCache {
  /** Compiles (or reuses) a workflow; throws WorkflowCompileError for a bad definition. */
  acquire(definition: WorkflowDefinition): LeasedWorkflow;
  /** Evicts every entry (e.g. after a model changed on disk); in-use ones are disposed when released. */
  clear(): Promise<void>;
  readonly size: number;
}

/**
 * Compiled workflows keyed by the hash of their definition, least recently used evicted first.
 * Compiled workflows hold block instances (ONNX sessions), so eviction disposes them — but only
 * once no request still runs them.
 */
export function createWorkflowCache(options: { registry: BlockRegistry; host: HostContext; capacity: number; onError?: (error: unknown) => void }): WorkflowCache {
  const entries = new Map<string, Entry>();
  const dispose = (entry: Entry): Promise<void> => entry.workflow.dispose().catch((error) => options.onError?.(error));
  const evict = (hash: string): Promise<void> | undefined => {
    const entry = entries.get(hash);
    if (!entry) return;
    entries.delete(hash);
    entry.evicted = true;
    if (entry.users === 0) return dispose(entry);
  };
  return {
    acquire(definition) {
      const hash = definitionHash(definition);
      let entry = entries.get(hash);
      if (entry) {
        entries.delete(hash); // re-insert: most recently used last
        entries.set(hash, entry);
      } else {
        entry = { workflow: createWorkflow(definition, { registry: options.registry, host: options.host }), users: 0, evicted: false };
        entries.set(hash, entry);
        while (entries.size > options.capacity) void evict(entries.keys().next().value!);
      }
      const leased = entry;
      leased.users++;
      let released = false;
      return {
        workflow: leased.workflow,
        hash,
        release() {
          if (released) return;
          released = true;
          leased.users--;
          if (leased.evicted && leased.users === 0) void dispose(leased);
        },
      };
    },
    async clear() {
      // Resolves once the unused workflows have released what they hold (sessions to OPC UA
      // servers included), so a server that closes hands them back before the process exits.
      await Promise.all([...entries.keys()].map(evict));
    },
    get size() {
      return entries.size;
    },
  };
}
