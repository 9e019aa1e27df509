import { describe, expect, it } from 'vitest';
import { createRunQueue } from './run-queue.js';

describe('run queue', () => {
  it('runs at most `concurrency` tasks at once, the rest in order, and reports the depth', async () => {
    const depths: number[] = [];
    const queue = createRunQueue({ concurrency: 2, maxWaiting: 10, onChange: (_active, waiting) => depths.push(waiting) });
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const task = (id: number) => async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push(id);
      running--;
      return id;
    };
    const results = await Promise.all([1, 2, 3, 4, 5].map((id) => queue.run(task(id))));
    expect(results).toEqual([1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
    expect(Math.max(...depths)).toBe(3);
    expect([queue.active, queue.waiting]).toEqual([0, 0]);
  });

  it('refuses work with 503 when the waiting list is full', async () => {
    const queue = createRunQueue({ concurrency: 1, maxWaiting: 1 });
    let release = () => {};
    const blocker = queue.run(() => new Promise<void>((resolve) => (release = resolve)));
    const waiting = queue.run(async () => 'second');
    await expect(queue.run(async () => 'third')).rejects.toMatchObject({ statusCode: 503, errorType: 'ServerBusyError' });
    release();
    await blocker;
    expect(await waiting).toBe('second');
  });

  it('drops a waiting task whose request was aborted', async () => {
    const queue = createRunQueue({ concurrency: 1, maxWaiting: 5 });
    let release = () => {};
    const blocker = queue.run(() => new Promise<void>((resolve) => (release = resolve)));
    const controller = new AbortController();
    const waiting = queue.run(async () => 'never', controller.signal);
    controller.abort(new Error('client left'));
    await expect(waiting).rejects.toThrow('client left');
    expect(queue.waiting).toBe(0);
    release();
    await blocker;
  });
});
