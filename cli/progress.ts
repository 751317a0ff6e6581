/**
 * Ingest progress on stderr: a live bar on a terminal (documents, pages, rate, ETA), plain
 * one-line-per-document logs otherwise (cron mail, journald, CI).
 */
import cliProgress from 'cli-progress';
import path from 'node:path';
import type { IngestOutcome } from '../core/model.js';
import type { IngestEvents } from '../core/pipeline/ingest-batch.js';
import { logLine } from './output.js';

/** Acervo's progress bars on stderr, one look for every command; `format` should fit 80 columns (the bar cuts off what passes the edge). */
export function barOptions(format: string): cliProgress.Options {
  return { stream: process.stderr, format, barsize: 16, hideCursor: true, clearOnComplete: false, etaBuffer: 20, fps: 5 };
}

export interface ProgressReporter extends IngestEvents {
  /** A message that must not be garbled by the bar. */
  log(line: string): void;
  finish(): void;
}

export function describeOutcome(outcome: IngestOutcome, libraryRoot: string): string {
  const pages = `${outcome.pages} page${outcome.pages === 1 ? '' : 's'}`;
  switch (outcome.status) {
    case 'indexed':
      if (outcome.incomplete) return `INCOMPLETE ${outcome.source} (${pages} kept) → ${path.relative(libraryRoot, outcome.pdf ?? '')}: ${outcome.error?.code}: ${outcome.error?.message}`;
      return `indexed  ${outcome.source} (${pages}) → ${path.relative(libraryRoot, outcome.pdf ?? '')}${outcome.indexPending ? ' [index update pending]' : ''}`;
    case 'skipped':
      return `skipped  ${outcome.source} (unchanged)${outcome.incomplete ? `, still INCOMPLETE: ${outcome.error?.code}: ${outcome.error?.message}` : ''}`;
    case 'failed':
      return `FAILED   ${outcome.source}: ${outcome.error?.code}: ${outcome.error?.message}`;
  }
}

export function createProgress(options: { libraryRoot: string; interactive: boolean; quiet: boolean }): ProgressReporter {
  if (options.quiet) {
    return { onDocument: (o) => { if (o.status === 'failed' || o.incomplete) logLine(describeOutcome(o, options.libraryRoot)); }, log: logLine, finish() {} };
  }
  if (!options.interactive) {
    return { onDocument: (o) => logLine(describeOutcome(o, options.libraryRoot)), log: logLine, finish() {} };
  }

  const bars = new cliProgress.MultiBar(barOptions(' {bar} {value}/{total} documents | {pages} pages | {rate} pages/min | ETA {eta_formatted}{failures}'), cliProgress.Presets.shades_classic);
  const started = Date.now();
  let pages = 0;
  let failed = 0;
  let bar: cliProgress.SingleBar | undefined;
  const payload = () => {
    const minutes = (Date.now() - started) / 60_000;
    return { pages, failures: failed > 0 ? ` | ${failed} failed` : '', rate: minutes > 0 ? (pages / minutes).toFixed(1) : '0.0' };
  };
  return {
    onStart(total) {
      bar = bars.create(total, 0, payload());
    },
    onPage() {
      pages++;
      bar?.update(payload());
    },
    onDocument(outcome) {
      if (outcome.status === 'failed') {
        failed++;
        bars.log(`${describeOutcome(outcome, options.libraryRoot)}\n`);
      }
      bar?.increment(1, payload());
    },
    log(line) {
      bars.log(`${line}\n`);
    },
    finish() {
      bars.stop();
    },
  };
}
