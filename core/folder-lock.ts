/**
 * One Acervo run at a time on a folder (a library, an inbox). The lock is a folder created
 * atomically and refreshed every few seconds by its holder (proper-lockfile), so it also works on
 * a share several machines mount; a lock not refreshed for STALE_MS was left by a crashed run and
 * is taken over — at once when its owner was a process of this machine that is gone. Who holds it
 * is written beside it (not inside: that would change the folder's time, which is how the lock is
 * refreshed), for the message the next run prints.
 *
 * A holder may say it holds the lock only for moments (`brief`: serve indexing a correction the
 * moment a clerk saves it). A run that finds such a holder waits for it whatever its own
 * --wait-lock, up to BRIEF_HOLD_MS: a nightly ingest scheduled with --wait-lock 0 must not fail
 * because an archivist saved a correction at that second.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import lockfile from 'proper-lockfile';
import { AppError, type ErrorCode } from './errors.js';

export const STALE_MS = 30_000;
const RETRY_MS = 1000;
/** How long a run waits past its own patience for a brief holder (a bulk change's index sync takes ~11 s per 10,000 documents). */
export const BRIEF_HOLD_MS = 120_000;
/**
 * A lock without a note is given this long: a new holder writes its note just after taking the
 * lock, and a holder releasing removes its note just before the lock (so a note gone is, for this
 * long, a lock about to be free, not one to give up on).
 */
const NOTE_GRACE_MS = 1000;

export interface FolderLock {
  release(): Promise<void>;
  /** Removes the lock at once, for a process about to exit (no wait for the refresh timer). */
  releaseNow(): void;
  /** Who held the lock before and never released it (killed, crashed): taken over by this one. */
  takenOver: LockOwner | null;
}

export interface LockOptions {
  /** The folder being locked (must exist). */
  folder: string;
  /** The lock's own path (a folder that proper-lockfile creates). */
  lockPath: string;
  /** What the holder is doing, for the next one's message ("acervo ingest", "acervo watch"). */
  holder: string;
  /** The holder's run, so that the run taking a crashed run's lock over can record it as interrupted. */
  runId?: string;
  /** The holder keeps the lock for moments only: others wait for it rather than give up (see above). */
  brief?: boolean;
  /** The code and wording of the refusal. */
  code: Extract<ErrorCode, 'INBOX_LOCKED' | 'LIBRARY_LOCKED'>;
  what: string;
  /** Wait this long for the lock before giving up (0: give up at once). */
  waitMs?: number;
  /** Called if the lock is taken away (the folder was unreachable longer than STALE_MS). */
  onLost: (error: Error) => void;
}

export interface LockOwner {
  host?: string;
  pid?: number;
  holder?: string;
  runId?: string;
  brief?: boolean;
  since?: string;
}

export async function lockFolder(options: LockOptions): Promise<FolderLock> {
  const { lockPath } = options;
  const take = () => lockfile.lock(options.folder, { lockfilePath: lockPath, stale: STALE_MS, realpath: false, retries: 0, onCompromised: options.onLost });
  const started = Date.now();
  const deadline = started + (options.waitMs ?? 0);
  let release: () => Promise<void>;
  /** When a holder's note was last seen (at first, the start of the wait). */
  let noteSeenAt = started;
  for (;;) {
    try {
      release = await take().catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ELOCKED' || !leftByDeadProcess(lockPath)) throw error;
        rmSync(lockPath, { recursive: true, force: true });
        return take();
      });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') {
        throw new AppError('LIBRARY_UNUSABLE', `Cannot lock ${options.what} (${(error as Error).message}); check that the folder is writable.`, { cause: error });
      }
      const owner = readOwner(lockPath);
      if (owner !== null) noteSeenAt = Date.now();
      if (Date.now() >= deadline && !worthWaitingFor(owner, Date.now() - started, Date.now() - noteSeenAt)) {
        throw new AppError(options.code, `${capitalise(options.what)} is in use${describeOwner(lockPath)}; try again when it is done (a crashed run's lock is taken over within ${STALE_MS / 1000} s), or wait for it with --wait-lock.`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(RETRY_MS, Math.max(100, deadline - Date.now()))));
    }
  }
  const ownerFile = `${lockPath}.owner`;
  // A holder that releases removes its note first: a note still there was left by one that did not.
  const takenOver = readOwner(lockPath);
  try {
    const owner: LockOwner = { host: os.hostname(), pid: process.pid, holder: options.holder, runId: options.runId, ...(options.brief ? { brief: true } : {}), since: new Date().toISOString() };
    writeFileSync(ownerFile, JSON.stringify(owner));
  } catch {
    // The owner note only improves the next message; the lock itself holds.
  }
  let released = false;
  return {
    takenOver,
    release: async () => {
      if (released) return;
      released = true;
      rmSync(ownerFile, { force: true });
      await release();
    },
    releaseNow: () => {
      if (released) return;
      released = true;
      rmSync(ownerFile, { force: true });
      rmSync(lockPath, { recursive: true, force: true });
    },
  };
}

/**
 * Past its own patience, a run still waits for a brief holder, for a new holder to write its note,
 * and for a holder that removed its note to remove the lock (a run that waited out a brief holder
 * must not give up in that last moment).
 */
function worthWaitingFor(owner: LockOwner | null, waitedMs: number, sinceNoteMs: number): boolean {
  if (owner === null) return sinceNoteMs < NOTE_GRACE_MS;
  return owner.brief === true && waitedMs < BRIEF_HOLD_MS;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
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
  return owner ? ` by ${owner.holder ?? 'acervo'} (process ${owner.pid} on ${owner.host}, since ${owner.since})` : ' by another acervo';
}
