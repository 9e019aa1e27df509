/**
 * The hand-over between a source and the workflow: holds at most `capacity` items.
 *
 * - `latest`: `push` never waits; when full, the oldest item is dropped (and counted), so a
 *   workflow slower than the camera always sees the newest frame and memory stays bounded.
 * - `block`: `push` waits for room, so a file or folder is read at the workflow's pace and
 *   every frame is processed.
 */
export type FramePolicy = 'latest' | 'block';

export interface FrameSlot<T> {
  /** Resolves when the item is accepted (at once under `latest`). */
  push(item: T): Promise<void>;
  /** The next item, or undefined once the slot is closed and empty. */
  take(): Promise<T | undefined>;
  /** No more pushes; `take` drains what is left, then returns undefined. */
  close(): void;
  /** Drops what is waiting (counted as dropped) and closes. */
  clear(): void;
  readonly dropped: number;
  readonly size: number;
}

export function createFrameSlot<T>(policy: FramePolicy, capacity = 1, onDrop?: (item: T) => void): FrameSlot<T> {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`frame slot capacity must be a positive integer (got ${capacity})`);
  const items: T[] = [];
  let closed = false;
  let dropped = 0;
  let waitingTaker: ((item: T | undefined) => void) | undefined;
  const waitingPushers: Array<() => void> = [];

  const drop = (item: T) => {
    dropped++;
    onDrop?.(item);
  };

  return {
    get dropped() {
      return dropped;
    },
    get size() {
      return items.length;
    },
    async push(item) {
      if (closed) {
        drop(item);
        return;
      }
      if (waitingTaker) {
        const taker = waitingTaker;
        waitingTaker = undefined;
        taker(item);
        return;
      }
      if (policy === 'latest') {
        if (items.length >= capacity) drop(items.shift()!);
        items.push(item);
        return;
      }
      while (items.length >= capacity && !closed) await new Promise<void>((resolve) => waitingPushers.push(resolve));
      if (closed) {
        drop(item);
        return;
      }
      items.push(item);
    },
    take() {
      if (items.length > 0) {
        const item = items.shift()!;
        waitingPushers.shift()?.();
        return Promise.resolve(item);
      }
      if (closed) return Promise.resolve(undefined);
      return new Promise((resolve) => {
        waitingTaker = resolve;
      });
    },
    close() {
      closed = true;
      for (const resolve of waitingPushers.splice(0)) resolve();
      if (items.length === 0 && waitingTaker) {
        const taker = waitingTaker;
        waitingTaker = undefined;
        taker(undefined);
      }
    },
    clear() {
      for (const item of items.splice(0)) drop(item);
      this.close();
    },
  };
}
