import { HttpProblem } from './http-errors.js';

/**
 * Limits how many workflow runs execute at once; the rest wait in order. When the queue is full
 * new work is refused with 503 instead of piling up memory.
 */
export interface RunQueue {
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  readonly active: number;
  readonly waiting: number;
}

export function createRunQueue(options: { concurrency: number; maxWaiting: number; onChange?: (active: number, waiting: number) => void }): RunQueue {
  let active = 0;
  const waiting: Array<{ start: () => void; cancel: (reason: unknown) => void }> = [];
  const changed = () => options.onChange?.(active, waiting.length);
  const next = () => {
    while (active < options.concurrency && waiting.length > 0) waiting.shift()!.start();
    changed();
  };
  return {
    get active() {
      return active;
    },
    get waiting() {
      return waiting.length;
    },
    async run(task, signal) {
      if (active >= options.concurrency) {
        if (waiting.length >= options.maxWaiting) {
          throw new HttpProblem(503, 'ServerBusyError', `the server is busy: ${active} runs executing and ${waiting.length} waiting (VAD_MAX_QUEUED_RUNS); retry later`);
        }
        await new Promise<void>((resolve, reject) => {
          const entry = {
            start: () => {
              signal?.removeEventListener('abort', onAbort);
              active++; // taken here, synchronously, so `next()` never starts more than it frees
              resolve();
            },
            cancel: reject,
          };
          const onAbort = () => {
            const index = waiting.indexOf(entry);
            if (index >= 0) waiting.splice(index, 1);
            changed();
            reject(signal!.reason);
          };
          signal?.addEventListener('abort', onAbort, { once: true });
          waiting.push(entry);
          changed();
        });
      } else {
        active++;
      }
      changed();
      try {
        return await task();
      } finally {
        active--;
        next();
      }
    },
  };
}
