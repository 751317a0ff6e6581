/**
 * The page scheduler alone: pages read several at once within the process's page slots, handed
 * on in order, and every slot given back however a document ends.
 */
import { describe, expect, it } from 'vitest';
import { readInOrder } from '../../core/pipeline/page-scheduler.js';
import { PageSlots } from '../../core/pipeline/page-slots.js';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A document of `count` pages, numbered from 1, decoded one at a time. */
function pages(count: number): () => Promise<IteratorResult<number>> {
  let next = 1;
  return async () => (next <= count ? { done: false, value: next++ } : { done: true, value: undefined });
}

/** How many slots are free: takes them all, then gives them back. */
function freeSlots(slots: PageSlots): number {
  let free = 0;
  while (slots.tryAcquire()) free++;
  for (let i = 0; i < free; i++) slots.release();
  return free;
}

/** A reader that takes longer on earlier pages, so later pages are read first; it counts readings under way. */
function slowFirst(count: number) {
  const stats = { reading: 0, most: 0 };
  const read = async (page: number) => {
    stats.reading++;
    stats.most = Math.max(stats.most, stats.reading);
    await delay((count - page) * 3);
    stats.reading--;
    return `page ${page}`;
  };
  return { read, stats };
}

describe('readInOrder', () => {
  it('reads several pages at once, never more than the slots, and hands them on in order', async () => {
    const slots = new PageSlots(3);
    const { read, stats } = slowFirst(8);
    const handed: string[] = [];
    for await (const { page, reading } of readInOrder(slots, pages(8), read)) {
      expect(reading).toBe(`page ${page}`);
      handed.push(reading);
    }
    expect(handed).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => `page ${n}`));
    expect(stats.most).toBeGreaterThan(1);
    expect(stats.most).toBeLessThanOrEqual(3);
    expect(freeSlots(slots)).toBe(3);
  });

  it('lets two documents share too few slots without either waiting for ever', async () => {
    const slots = new PageSlots(2);
    const both = await Promise.all(
      [5, 7].map(async (count) => {
        const handed: number[] = [];
        for await (const { page } of readInOrder(slots, pages(count), slowFirst(count).read)) handed.push(page);
        return handed;
      }),
    );
    expect(both).toEqual([[1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6, 7]]);
    expect(freeSlots(slots)).toBe(2);
  });

  it('hands on the pages before a failed reading, then its error, and gives back every slot', async () => {
    const slots = new PageSlots(4);
    const handed: number[] = [];
    const read = async (page: number) => {
      await delay(page === 3 ? 1 : 10);
      if (page === 3) throw new Error('page 3 unreadable');
      return page;
    };
    await expect(
      (async () => {
        for await (const { page } of readInOrder(slots, pages(6), read)) handed.push(page);
      })(),
    ).rejects.toThrow('page 3 unreadable');
    expect(handed).toEqual([1, 2]);
    expect(freeSlots(slots)).toBe(4);
  });

  it('gives back every slot when the driver stops early or decoding fails', async () => {
    const slots = new PageSlots(3);
    for await (const { page } of readInOrder(slots, pages(6), async (page) => page)) {
      if (page === 2) break;
    }
    expect(freeSlots(slots)).toBe(3);

    const broken = async (): Promise<IteratorResult<number>> => {
      throw new Error('damaged page');
    };
    await expect(
      (async () => {
        for await (const _ of readInOrder(slots, broken, async (page) => page));
      })(),
    ).rejects.toThrow('damaged page');
    expect(freeSlots(slots)).toBe(3);
  });
});
