/**
 * What every writing run (ingest, watch, reindex, retry) shares: a run id, structured logs with
 * that id on every line (pino; JSON on stderr with --log-format json, for journald; and/or a log
 * file that rotates), and the library lock, waited for as long as --wait-lock or lock.waitSeconds says.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { FolderLock } from '../core/folder-lock.js';
import { lockLibrary } from '../core/library-lock.js';

export interface RunContext {
  runId: string;
  command: string;
  log: Logger;
  /** Flushes and closes the log destinations. */
  close(): Promise<void>;
}

export type LogFormat = 'text' | 'json';

/** pino-roll's stream (a SonicBoom). */
interface RollingFile {
  write(chunk: string): boolean;
  end(): void;
  once(event: 'close', listener: () => void): void;
}

/** `20261201T020000-3f9a1c`: sorts by time, unique across machines. */
export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
}

export async function startRun(command: string, config: Config, flags: { logFormat?: LogFormat; logFile?: string }): Promise<RunContext> {
  const runId = newRunId();
  const streams: pino.StreamEntry[] = [];
  if (flags.logFormat === 'json') streams.push({ stream: pino.destination({ fd: 2, sync: true }) });
  const file = flags.logFile ? path.resolve(flags.logFile) : config.logging.file;
  let rolling: RollingFile | null = null;
  if (file) {
    // pino-roll: file.<n>.log, a new one each day or past the size, the oldest removed past the count.
    // @ts-expect-error pino-roll ships no types
    const { default: roll } = (await import('pino-roll')) as { default: (options: object) => Promise<RollingFile> };
    rolling = await roll({ file, frequency: 'daily', size: config.logging.rotateSize, limit: { count: config.logging.keepFiles }, mkdir: true, sync: true });
    streams.push({ stream: rolling });
  }
  const log = streams.length > 0 ? pino({ base: { pid: process.pid, runId, command }, timestamp: pino.stdTimeFunctions.isoTime }, pino.multistream(streams)) : pino({ level: 'silent' });
  return {
    runId,
    command,
    log,
    close: async () => {
      if (!rolling) return;
      const file = rolling;
      await new Promise<void>((resolve) => {
        file.once('close', () => resolve());
        file.end();
      });
    },
  };
}

export function holdLibrary(root: string, run: Pick<RunContext, 'runId' | 'command' | 'log'>, waitSeconds: number, onLost: () => void): Promise<FolderLock> {
  return lockLibrary(root, `acervo ${run.command} (run ${run.runId})`, waitSeconds * 1000, (error) => {
    run.log.error({ event: 'run.lock-lost', message: error.message }, 'lost the library lock');
    onLost();
  });
}
