/**
 * Structured logs (pino, one JSON object per line) for the long-running commands: to stderr, and
 * to a file when one is configured. Lines are written synchronously: a watcher killed a moment
 * later has still logged what it did.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';

export function createLogger(options: { file: string | null; name: string }): Logger {
  const streams: pino.StreamEntry[] = [{ stream: pino.destination({ fd: 2, sync: true }) }];
  if (options.file) {
    mkdirSync(path.dirname(options.file), { recursive: true });
    streams.push({ stream: pino.destination({ dest: options.file, sync: true, append: true }) });
  }
  return pino({ name: options.name, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, pino.multistream(streams));
}
