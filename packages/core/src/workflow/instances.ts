import type { BlockInstance, HostContext } from '../blocks.js';
import type { CompiledStep } from '../compile.js';
import { StepExecutionError } from '../errors.js';
import { messageOf } from './message-of.js';

type Pool = Map<string, Promise<BlockInstance>>;

/** The block instances of one workflow: one per step, and one per step and stream for stateful blocks. */
export interface Instances {
  /** Creates the step's instance on first use; a failed creation is forgotten, so the next run tries again. */
  instanceFor(step: CompiledStep, streamId: string): Promise<BlockInstance>;
  /** Disposes the stateful instances of one stream. */
  resetStream(streamId: string): Promise<void>;
  disposeAll(): Promise<void>;
}

export function createInstances(host: HostContext): Instances {
  const shared: Pool = new Map();
  const perStream = new Map<string, Pool>();

  return {
    instanceFor(step, streamId) {
      const pool = step.block.stateful ? (perStream.get(streamId) ?? perStream.set(streamId, new Map()).get(streamId)!) : shared;
      let instance = pool.get(step.name);
      if (!instance) {
        instance = Promise.resolve()
          .then(() => step.block.create({ stepName: step.name, properties: step.literals, host }))
          .catch((cause: unknown) => {
            pool.delete(step.name);
            throw new StepExecutionError({ message: `step "${step.name}" (${step.block.type}) could not be created: ${messageOf(cause)}`, stepName: step.name, cause });
          });
        pool.set(step.name, instance);
      }
      return instance;
    },
    async resetStream(streamId) {
      const pool = perStream.get(streamId);
      if (!pool) return;
      perStream.delete(streamId);
      await disposePool(pool);
    },
    async disposeAll() {
      await disposePool(shared);
      for (const pool of perStream.values()) await disposePool(pool);
      perStream.clear();
    },
  };
}

async function disposePool(pool: Pool): Promise<void> {
  const instances = await Promise.allSettled(pool.values());
  pool.clear();
  await Promise.allSettled(instances.map((r) => (r.status === 'fulfilled' ? r.value.dispose?.() : undefined)));
}
