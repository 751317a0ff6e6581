/**
 * What a verify run found, for IT: LIBRARY/reports/<run id>.json (for scripts) and .txt (a
 * short summary for mail), and a row in the catalog's runs for `acervo status` (documents
 * checked, "unchanged" = files that matched, "failed" = problems found, "left" = documents the
 * pass has still to check).
 */
import path from 'node:path';
import type { Catalog, FixityFinding } from '../catalog/catalog.js';
import type { Library } from '../library.js';
import { writeReportFiles } from '../reports/report-files.js';
import type { StoppedBy } from '../reports/run-report.js';
import type { VerifyOutcome } from './verify-library.js';

export interface VerifyReport extends VerifyOutcome {
  runId: string;
  command: string;
  library: string;
  startedAt: string;
  finishedAt: string;
  stoppedBy: StoppedBy;
  /** The read rate cap, in MB (10^6 bytes) per second; null when reading at full speed. */
  rateMBps: number | null;
  elapsedSeconds: number;
  /** Problems the pass found so far: missing + changed + unreadable + unexpected. */
  problems: number;
  /** Each kind's files, for scripts that read one list. */
  missing: FixityFinding[];
  changed: FixityFinding[];
  unreadable: FixityFinding[];
  unexpected: FixityFinding[];
}

export function buildVerifyReport(outcome: VerifyOutcome, run: { runId: string; command: string; library: Library; startedAt: Date; finishedAt: Date; stoppedBy: StoppedBy; rateMBps: number | null }): VerifyReport {
  const of = (kind: FixityFinding['kind']) => outcome.findings.filter((f) => f.kind === kind);
  return {
    runId: run.runId,
    command: run.command,
    library: run.library.root,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt.toISOString(),
    stoppedBy: run.stoppedBy,
    rateMBps: run.rateMBps,
    elapsedSeconds: Math.round((run.finishedAt.getTime() - run.startedAt.getTime()) / 10) / 100,
    ...outcome,
    problems: outcome.findings.length,
    missing: of('missing'),
    changed: of('changed'),
    unreadable: of('unreadable'),
    unexpected: of('unexpected'),
  };
}

export async function saveVerifyReport(report: VerifyReport, library: Library, catalog: Catalog): Promise<{ json: string; text: string }> {
  const files = await writeReportFiles(library, report.runId, {
    json: { extension: 'json', text: `${JSON.stringify(report, null, 2)}\n` },
    text: { extension: 'txt', text: verifySummary(report) },
  });
  catalog.recordRun({
    runId: report.runId,
    command: report.command,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    stoppedBy: report.stoppedBy,
    documents: report.thisRun.documents,
    indexed: 0,
    skipped: report.totals.ok,
    failed: report.problems,
    pages: 0,
    remaining: report.totals.remaining,
    report: path.relative(library.root, files.json),
  });
  return files;
}

const LABEL: Record<FixityFinding['kind'], string> = { missing: 'MISSING', changed: 'CHANGED', unreadable: 'UNREADABLE', unexpected: 'UNEXPECTED' };
const SHOWN = 50;

/** A few lines a person reads in a mail or a terminal, naming every problem (the first 50). */
export function verifySummary(report: VerifyReport): string {
  const t = report.totals;
  const how = report.pass.complete ? 'Verified' : report.stoppedBy === 'signal' ? 'Interrupted' : report.stoppedBy === 'window' ? 'Stopped (the time window closed)' : 'Stopped';
  const lines = [
    `${how}: ${t.documents} document(s), ${t.files} file(s), ${formatBytes(t.bytes)}${report.pass.resumed ? ` (resumed the pass started ${report.pass.startedAt}; ${report.thisRun.documents} document(s) in this run)` : ''}: ` +
      `${t.ok} ok, ${t.changed} changed, ${t.missing} missing, ${t.unreadable} unreadable, ${t.unexpected} unexpected.`,
  ];
  if (!report.pass.complete) lines.push(`${t.remaining} document(s) left: the next acervo verify resumes where this one stopped (--restart starts over).`);
  if (report.note) lines.push(`Note: ${report.note}.`);
  for (const f of report.findings.slice(0, SHOWN)) lines.push(`  ${LABEL[f.kind].padEnd(10)} ${f.file === 'original' ? 'original ' : ''}${f.path}${describe(f)}`);
  if (report.findings.length > SHOWN) lines.push(`  … and ${report.findings.length - SHOWN} more (see the JSON report).`);
  return `${lines.join('\n')}\n`;
}

function describe(f: FixityFinding): string {
  if (f.kind === 'changed') return ` (SHA-256 was ${f.expectedSha256?.slice(0, 12)}…, is ${f.actualSha256?.slice(0, 12)}…)`;
  if (f.kind === 'unreadable') return ` (${f.message})`;
  if (f.kind === 'unexpected') return ' (no catalog document owns it)';
  return '';
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} B`;
}
