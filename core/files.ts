/** File-system helpers that keep the library consistent whatever happens mid-write. */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes `bytes` to a temporary file in `tempDir` (same file system as `target`), flushes it,
 * then renames it into place: readers see the old file or the new one, never half of one.
 */
export async function writeFileAtomic(target: string, bytes: Uint8Array, tempDir: string): Promise<void> {
  await mkdir(tempDir, { recursive: true });
  await mkdir(path.dirname(target), { recursive: true });
  const temp = path.join(tempDir, `${process.pid}-${randomBytes(6).toString('hex')}.partial`);
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
