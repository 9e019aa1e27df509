import { describe, expect, it } from 'vitest';
import { createFrameSlot } from './frame-slot.js';

describe('createFrameSlot', () => {
  it('latest: keeps only the newest frame when the consumer is slow, and counts the rest as dropped', async () => {
    const dropped: number[] = [];
    const slot = createFrameSlot<number>('latest', 1, (item) => dropped.push(item));
    for (let i = 0; i < 5; i++) await slot.push(i);
    expect(slot.size).toBe(1);
    expect(slot.dropped).toBe(4);
    expect(dropped).toEqual([0, 1, 2, 3]);
    expect(await slot.take()).toBe(4);
  });

  it('latest: hands a frame straight to a waiting consumer without dropping', async () => {
    const slot = createFrameSlot<string>('latest');
    const taken = slot.take();
    await slot.push('a');
    expect(await taken).toBe('a');
    expect(slot.dropped).toBe(0);
  });

  it('block: a push waits for room, so nothing is dropped and order is kept', async () => {
    const slot = createFrameSlot<number>('block');
    const order: string[] = [];
    await slot.push(1);
    const second = slot.push(2).then(() => order.push('pushed 2'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).toEqual([]);
    expect(await slot.take()).toBe(1);
    await second;
    expect(order).toEqual(['pushed 2']);
    expect(await slot.take()).toBe(2);
    expect(slot.dropped).toBe(0);
  });

  it('close: the consumer drains what is left, then gets undefined; clear drops what waits', async () => {
    const slot = createFrameSlot<number>('latest', 2);
    await slot.push(1);
    await slot.push(2);
    slot.close();
    expect(await slot.take()).toBe(1);
    expect(await slot.take()).toBe(2);
    expect(await slot.take()).toBeUndefined();
    const cleared = createFrameSlot<number>('block');
    await cleared.push(7);
    cleared.clear();
    expect(cleared.dropped).toBe(1);
    expect(await cleared.take()).toBeUndefined();
  });

  it('close: releases a waiting consumer', async () => {
    const slot = createFrameSlot<number>('block');
    const taken = slot.take();
    slot.close();
    expect(await taken).toBeUndefined();
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => createFrameSlot('latest', 0)).toThrow(/positive integer/);
  });
});
