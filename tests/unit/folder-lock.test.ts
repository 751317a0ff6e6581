/**
 * The library lock: a run refuses at once (its --wait-lock 0) when another run holds the library,
 * but waits for a holder that keeps it only for moments (serve indexing a correction), so a
 * scheduled ingest does not fail because a clerk saved a correction at that second.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LIBRARY_LOCK_NAME, lockLibrary, lockLibraryBriefly } from '../../core/library-lock.js';

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

  it('does not give up on a brief holder in the moment it releases (its note gone, the lock not yet)', async () => {
    const root = library();
    const serve = await lockLibraryBriefly(root, 'acervo serve (a correction)');
    const events: string[] = [];
    // An ingest with --wait-lock 0 waits for serve past its own patience and past the note's grace.
    const ingest = lockLibrary(root, 'acervo ingest (run 4)', 0, ignoreLoss, 'run-4').then(
      (lock) => (events.push('ingest took the library'), lock),
      (error: unknown) => (events.push(`ingest refused: ${(error as { code?: string }).code}`), null),
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // serve releases: its note first, then, a moment later (a busy machine), the lock itself.
    rmSync(path.join(root, `${LIBRARY_LOCK_NAME}.owner`));
    await new Promise((resolve) => setTimeout(resolve, 600));
    events.push('serve released');
    await serve.release();
    const lock = await ingest;
    expect(events).toEqual(['serve released', 'ingest took the library']);
    await lock!.release();
  });
});
