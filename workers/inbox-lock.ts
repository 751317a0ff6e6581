/**
 * One watcher per inbox. The lock is a folder inside the inbox (`.acervo-watch.lock`), created
 * atomically and refreshed every few seconds by its holder (proper-lockfile), so it works on a
 * share that several machines mount; a lock not refreshed for STALE_MS was left by a crashed
 * watcher and is taken over, at once when its owner was a process of this machine that is gone. Who holds it is written beside it (not inside: that would change the
 * folder's time, which is how the lock is refreshed), for the message the next watcher prints.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { AppError } from '../core/errors.js';

export const LOCK_NAME = '.acervo-watch.lock';
const STALE_MS = 30_000;

export interface InboxLock {
  release(): Promise<void>;
}

/** `onLost` is called if the lock is taken away (the share was unreachable longer than STALE_MS). */
export async function lockInbox(inboxRoot: string, library: string, onLost: (error: Error) => void): Promise<InboxLock> {
  const lockPath = path.join(inboxRoot, LOCK_NAME);
  const take = () => lockfile.lock(inboxRoot, { lockfilePath: lockPath, stale: STALE_MS, realpath: false, retries: 0, onCompromised: onLost });
  let release: () => Promise<void>;
  try {
    release = await take().catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ELOCKED' || !leftByDeadProcess(lockPath)) throw error;
      rmSync(lockPath, { recursive: true, force: true });
      return take();
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') {
      throw new AppError('INBOX_NOT_FOUND', `Cannot lock the inbox ${inboxRoot} (${(error as Error).message}); check that the folder is writable.`, { cause: error });
    }
    throw new AppError('INBOX_LOCKED', `The inbox ${inboxRoot} is already watched${describeOwner(lockPath)}; stop that watcher first (a crashed one's lock expires within ${STALE_MS / 1000} s).`, { cause: error });
  }
  const ownerFile = `${lockPath}.owner`;
  try {
    writeFileSync(ownerFile, JSON.stringify({ host: os.hostname(), pid: process.pid, library, since: new Date().toISOString() }));
  } catch {
    // The owner note only improves the next message; the lock itself holds.
  }
  return {
    release: async () => {
      rmSync(ownerFile, { force: true });
      await release();
    },
  };
}

interface LockOwner {
  host?: string;
  pid?: number;
  library?: string;
  since?: string;
}

function readOwner(lockPath: string): LockOwner | null {
  try {
    return JSON.parse(readFileSync(`${lockPath}.owner`, 'utf8')) as LockOwner;
  } catch {
    return null;
  }
}

/** The lock's owner was a process on this machine, and it no longer runs (killed, crashed). */
function leftByDeadProcess(lockPath: string): boolean {
  const owner = readOwner(lockPath);
  if (!owner || owner.host !== os.hostname() || !Number.isInteger(owner.pid)) return false;
  try {
    process.kill(owner.pid!, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function describeOwner(lockPath: string): string {
  const owner = readOwner(lockPath);
  return owner ? ` by acervo (process ${owner.pid} on ${owner.host}, library ${owner.library}, since ${owner.since})` : ' by another acervo';
}
