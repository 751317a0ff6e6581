/**
 * The library lock: a run refuses at once (its --wait-lock 0) when another run holds the library,
 * but waits for a holder that keeps it only for moments (serve indexing a correction), so a
 * scheduled ingest does not fail because a clerk saved a correction at that second.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockLibrary, lockLibraryBriefly } from '../../core/library-lock.js';

const libraries: string[] = [];
function library(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'acervo-lock-'));
  libraries.push(root);
  return root;
}
afterEach(() => {
  for (const root of libraries.splice(0)) rmSync(root, { recursive: true, force: true });
});

const ignoreLoss = () => {};

describe('the library lock', () => {
  it('refuses a run at once while another run holds the library, naming the holder', async () => {
    const root = library();
    const ingest = await lockLibrary(root, 'acervo ingest (run 1)', 0, ignoreLoss, 'run-1');
    try {
      await expect(lockLibrary(root, 'acervo ingest (run 2)', 0, ignoreLoss, 'run-2')).rejects.toMatchObject({
        code: 'LIBRARY_LOCKED',
        message: expect.stringMatching(/in use by acervo ingest \(run 1\) \(process \d+ on /),
      });
    } finally {
      await ingest.release();
    }
    // Free again: taken at once.
    const next = await lockLibrary(root, 'acervo ingest (run 2)', 0, ignoreLoss, 'run-2');
    await next.release();
  });

  it('lets a run with --wait-lock 0 wait for serve indexing a correction, then take the library', async () => {
    const root = library();
    const serve = await lockLibraryBriefly(root, 'acervo serve (a correction)');
    let released = false;
    const releasing = new Promise<void>((resolve) =>
      setTimeout(() => {
        released = true;
        void serve.release().then(resolve);
      }, 1500),
    );
    const ingest = await lockLibrary(root, 'acervo ingest (run 3)', 0, ignoreLoss, 'run-3');
    expect(released).toBe(true);
    await releasing;
    // The ingest holds it now: serve's next correction is not indexed at once (it waits in the outbox).
    await expect(lockLibraryBriefly(root, 'acervo serve (a correction)')).rejects.toMatchObject({ code: 'LIBRARY_LOCKED' });
    await ingest.release();
  });
});
