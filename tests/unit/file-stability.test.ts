import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStability } from '../../workers/file-stability.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'acervo-stability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('file stability', () => {
  it('hands out a file only once it has not changed for the stable time', async () => {
    const file = path.join(dir, 'growing.png');
    writeFileSync(file, 'a');
    const stability = new FileStability(1000);
    stability.note(file);
    const t0 = Date.now();
    expect(await stability.takeStable(10, t0)).toEqual([]);
    expect(await stability.takeStable(10, t0 + 600)).toEqual([]);
    appendFileSync(file, 'more'); // it grew: the clock starts again
    expect(await stability.takeStable(10, t0 + 1200)).toEqual([]);
    expect(await stability.takeStable(10, t0 + 1900)).toEqual([]);
    expect(await stability.takeStable(10, t0 + 2300)).toEqual([file]);
    expect(stability.size).toBe(0);
  });

  it('leaves a file that a process holds open for writing, however long it has been still', async () => {
    const file = path.join(dir, 'open.png');
    const handle = await open(file, 'w');
    try {
      await handle.write('partial');
      const stability = new FileStability(0);
      stability.note(file);
      expect(await stability.takeStable(10)).toEqual([]);
      expect(stability.has(file)).toBe(true);
    } finally {
      await handle.close();
    }
    const stability = new FileStability(0);
    stability.note(file);
    expect(await stability.takeStable(10)).toEqual([file]);
  });

  it('hands out no more than asked, keeps the rest, and drops files that vanished', async () => {
    const files = ['a', 'b', 'c'].map((name) => path.join(dir, `${name}.png`));
    files.forEach((file) => writeFileSync(file, 'x'));
    const stability = new FileStability(0);
    files.forEach((file) => stability.note(file));
    stability.note(path.join(dir, 'gone.png'));
    expect(await stability.takeStable(2)).toHaveLength(2);
    expect(stability.size).toBe(1);
    expect(await stability.takeStable(2)).toHaveLength(1);
  });
});
