/** Long work in slices (web/portal/sliced-work.ts): the same result run at once or between turns of the event loop. */
import { describe, expect, it } from 'vitest';
import { runNow, runSliced, sortSliced } from '../../web/portal/sliced-work.js';

const byValue = (a: { v: number; i: number }, b: { v: number; i: number }) => a.v - b.v;

describe('sortSliced', () => {
  const items = Array.from({ length: 20_003 }, (_, i) => ({ v: (i * 7919) % 1013, i }));

  it('sorts as Array.sort does, keeping equal items in their order, run at once or sliced', async () => {
    const expected = [...items].sort(byValue);
    expect(runNow(sortSliced(items, byValue))).toEqual(expected);
    expect(await runSliced(sortSliced(items, byValue))).toEqual(expected);
    expect(runNow(sortSliced([], byValue))).toEqual([]);
  });

  it('lets the event loop turn while it sorts a big list', async () => {
    const big = Array.from({ length: 400_000 }, (_, i) => ({ v: (i * 7919) % 100_003, i }));
    let turns = 0;
    const timer = setInterval(() => turns++, 0);
    await runSliced(sortSliced(big, byValue));
    clearInterval(timer);
    expect(turns).toBeGreaterThan(0);
  });
});
