/**
 * The one logger factory: structured logs (pino, one JSON object per line) for every command
 * that runs on its own (ingest, watch, worker, schedule, serve, retry …), to stderr when asked,
 * and to a file that rotates (pino-roll: <name>.<n>.log, a new one each day or past the size, the
 * oldest removed past the count) when one is configured. Lines are written synchronously: a
 * process killed a moment later has still logged what it did.
 */
import path from 'node:path';
import pino, { type Logger } from 'pino';
import type { Config } from '../config/schema.js';

export interface CommandLog {
  log: Logger;
  /** Flushes and closes the file. */
  close(): Promise<void>;
}

export interface LogOptions {
  /** The command, on every line ("ingest", "watch", "worker"). */
  command: string;
  /** The run, on every line, when the command is a run. */
  runId?: string;
  /** JSON lines on stderr too (for journald, or a supervisor that reads them). */
  stderr: boolean;
  /** The file the lines also go to, rotated as `logging` says; null: none. */
  file: string | null;
  rotation: Config['logging'];
}

/** pino-roll's stream (a SonicBoom). */
interface RollingFile {
  write(chunk: string): boolean;
  end(): void;
  once(event: 'close', listener: () => void): void;
}

export async function openLog(options: LogOptions): Promise<CommandLog> {
  const streams: pino.StreamEntry[] = [];
  if (options.stderr) streams.push({ stream: pino.destination({ fd: 2, sync: true }) });
  let rolling: RollingFile | null = null;
  if (options.file) {
    // @ts-expect-error pino-roll ships no types
    const { default: roll } = (await import('pino-roll')) as { default: (options: object) => Promise<RollingFile> };
    rolling = await roll({ file: path.resolve(options.file), frequency: 'daily', size: options.rotation.rotateSize, limit: { count: options.rotation.keepFiles }, mkdir: true, sync: true });
    streams.push({ stream: rolling });
  }
  const base = { pid: process.pid, command: options.command, ...(options.runId ? { runId: options.runId } : {}) };
  const log = streams.length > 0 ? pino({ base, timestamp: pino.stdTimeFunctions.isoTime }, pino.multistream(streams)) : pino({ level: 'silent' });
  return {
    log,
    close: async () => {
      const file = rolling;
      rolling = null;
      if (!file) return;
      await new Promise<void>((resolve) => {
        file.once('close', () => resolve());
        file.end();
      });
    },
  };
}
