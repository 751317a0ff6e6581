/**
 * What a run did, for IT to read in the morning: written into the library as JSON (for scripts),
 * a short text summary (for mail) and an HTML page (for a browser), and recorded in the catalog's
 * runs for `acervo status`.
 *
 *     LIBRARY/reports/20261201T020000-3f9a1c.{json,txt,html}   (the run id)
 */
import path from 'node:path';
import type { Catalog, ReviewCounts } from '../catalog/catalog.js';
import type { Library } from '../library.js';
import { STAGES, type IngestOutcome, type StageTimings } from '../model.js';
import { writeReportFiles } from './report-files.js';
import { reviewSummary } from './review-summary.js';
import { pageRange, splitSummary, type SplitSummary } from './split-summary.js';

export type StoppedBy = 'completed' | 'window' | 'signal' | 'error' | 'interrupted';

export interface RunReport {
  runId: string;
  command: string;
  library: string;
  startedAt: string;
  finishedAt: string;
  stoppedBy: StoppedBy;
  /** Why a run ended before its work did, or failed ("the window closed at 06:00"). */
  note: string | null;
  totals: { documents: number; indexed: number; skipped: number; failed: number; pages: number; remaining: number };
  elapsedSeconds: number;
  pagesPerMinute: number;
  /** Seconds spent in each stage over the run (summed over documents). */
  stageSeconds: Partial<Record<(typeof STAGES)[number], number>>;
  /** OCRed documents per band of mean page confidence. */
  confidence: { mean: number | null; bands: Array<{ band: string; documents: number }> };
  slowest: Array<{ file: string; pages: number; seconds: number }>;
  leastConfident: Array<{ file: string; pages: number; confidence: number }>;
  failures: Array<{ file: string; code: string; message: string }>;
  /** Documents converted from a file cut short (INPUT_TRUNCATED): what could be read is searchable, the rest is missing. */
  incomplete: Array<{ file: string; code: string; message: string; pages: number }>;
  /** Coded warnings (a split that found no document), one row each. */
  warnings: Array<{ file: string; code: string; message: string }>;
  documents: Array<{ file: string; status: string; pages: number; seconds: number | null; confidence: number | null; pdf: string | null }>;
  /** Batch scans cut into documents in this run, with each part's pages and each separator. */
  splits: Array<{ file: string } & SplitSummary>;
  /** What is left for archive staff to review in the whole library once the run ended (acervo review); set when saved. */
  review: ReviewCounts | null;
}

const BANDS = [
  { band: '90–100', min: 90 },
  { band: '80–90', min: 80 },
  { band: '70–80', min: 70 },
  { band: '50–70', min: 50 },
  { band: '0–50', min: 0 },
];
const TOP = 10;

export interface RunInput {
  runId: string;
  command: string;
  library: Library;
  startedAt: Date;
  finishedAt: Date;
  stoppedBy: StoppedBy;
  note?: string | null;
  outcomes: readonly IngestOutcome[];
  /** Files seen but not taken (the window closed, or a stop). */
  remaining: number;
}

export function buildRunReport(input: RunInput): RunReport {
  const { outcomes } = input;
  const elapsedSeconds = (input.finishedAt.getTime() - input.startedAt.getTime()) / 1000;
  const converted = outcomes.filter((o) => o.status === 'indexed');
  const pages = converted.reduce((n, o) => n + o.pages, 0);
  const stageMs: StageTimings = {};
  for (const o of outcomes) for (const [stage, ms] of Object.entries(o.timings)) stageMs[stage as keyof StageTimings] = (stageMs[stage as keyof StageTimings] ?? 0) + ms;
  const confident = converted.filter((o): o is IngestOutcome & { confidence: number } => typeof o.confidence === 'number');
  const relative = (file: string) => path.relative(input.library.root, file) || file;
  return {
    runId: input.runId,
    command: input.command,
    library: input.library.root,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    stoppedBy: input.stoppedBy,
    note: input.note ?? null,
    totals: {
      documents: outcomes.length,
      indexed: converted.length,
      skipped: outcomes.filter((o) => o.status === 'skipped').length,
      failed: outcomes.filter((o) => o.status === 'failed').length,
      pages,
      remaining: input.remaining,
    },
    elapsedSeconds: round(elapsedSeconds, 1),
    pagesPerMinute: elapsedSeconds > 0 ? round(pages / (elapsedSeconds / 60), 1) : 0,
    stageSeconds: Object.fromEntries(STAGES.filter((s) => stageMs[s] !== undefined).map((s) => [s, round(stageMs[s]! / 1000, 1)])),
    confidence: {
      mean: confident.length > 0 ? round(confident.reduce((n, o) => n + o.confidence, 0) / confident.length, 1) : null,
      bands: BANDS.map(({ band, min }, i) => ({
        band,
        documents: confident.filter((o) => o.confidence >= min && (i === 0 || o.confidence < BANDS[i - 1]!.min)).length,
      })),
    },
    slowest: [...converted]
      .sort((a, b) => (b.seconds ?? 0) - (a.seconds ?? 0))
      .slice(0, TOP)
      .map((o) => ({ file: o.source, pages: o.pages, seconds: round(o.seconds ?? 0, 1) })),
    leastConfident: [...confident]
      .sort((a, b) => a.confidence - b.confidence)
      .slice(0, TOP)
      .map((o) => ({ file: o.source, pages: o.pages, confidence: round(o.confidence, 1) })),
    failures: outcomes.filter((o) => o.status === 'failed').map((o) => ({ file: o.source, code: o.error?.code ?? 'INTERNAL', message: o.error?.message ?? '' })),
    incomplete: outcomes.filter((o) => o.incomplete).map((o) => ({ file: o.source, code: o.error?.code ?? 'INPUT_TRUNCATED', message: o.error?.message ?? '', pages: o.pages })),
    warnings: outcomes.flatMap((o) => (o.warnings ?? []).map((w) => ({ file: o.source, code: w.code, message: w.message }))),
    splits: outcomes.flatMap((o) => {
      const split = splitSummary(o, relative);
      return split ? [{ file: o.source, ...split }] : [];
    }),
    review: null,
    documents: outcomes.map((o) => ({
      file: o.source,
      status: o.incomplete ? `${o.status}, incomplete` : o.status,
      pages: o.pages,
      seconds: o.seconds === undefined ? null : round(o.seconds, 2),
      confidence: typeof o.confidence === 'number' ? round(o.confidence, 1) : null,
      pdf: o.pdf ? relative(o.pdf) : null,
    })),
  };
}

/**
 * Writes the report's three files (each whole or not at all) and records the run in the catalog.
 * The review queue's counts are the library's as the run leaves it (`personalDataCollections`:
 * config access.personalDataCollections), read from the kept counts.
 */
export async function saveRunReport(report: RunReport, library: Library, catalog: Catalog, options: { personalDataCollections: readonly string[] }): Promise<{ json: string; text: string; html: string }> {
  report = { ...report, review: catalog.review().counts(options.personalDataCollections) };
  const files = await writeReportFiles(library, report.runId, {
    json: { extension: 'json', text: `${JSON.stringify(report, null, 2)}\n` },
    text: { extension: 'txt', text: summaryText(report) },
    html: { extension: 'html', text: reportHtml(report) },
  });
  catalog.recordRun({
    runId: report.runId,
    command: report.command,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    stoppedBy: report.stoppedBy,
    ...report.totals,
    report: path.relative(library.root, files.json),
  });
  return files;
}

const STOPPED: Record<StoppedBy, string> = {
  completed: 'completed',
  window: 'stopped when its time window closed; the rest waits for the next run',
  signal: 'stopped by a signal; the rest waits for the next run',
  error: 'stopped by an error',
  interrupted: 'interrupted: its process ended without finishing it (killed or crashed); the next run takes what it left',
};

/** A few lines a person reads in a mail or a terminal. */
export function summaryText(report: RunReport): string {
  const t = report.totals;
  const lines = [
    `Acervo ${report.command} — run ${report.runId}`,
    `${report.startedAt} → ${report.finishedAt} (${formatDuration(report.elapsedSeconds)}), ${STOPPED[report.stoppedBy]}${report.note ? `: ${report.note}` : ''}.`,
    `${t.documents} document(s): ${t.indexed} converted, ${t.skipped} unchanged, ${t.failed} failed${t.remaining > 0 ? `, ${t.remaining} left for the next run` : ''}; ${t.pages} page(s), ${report.pagesPerMinute} pages/min.`,
  ];
  if (report.confidence.mean !== null) lines.push(`OCR confidence: mean ${report.confidence.mean}; ${report.confidence.bands.map((b) => `${b.band}: ${b.documents}`).join(', ')}.`);
  if (report.failures.length > 0) {
    lines.push('Failed:');
    for (const f of report.failures.slice(0, 20)) lines.push(`  ${f.file}: ${f.code}: ${f.message}`);
    if (report.failures.length > 20) lines.push(`  … and ${report.failures.length - 20} more (see the JSON report).`);
  }
  if (report.incomplete.length > 0) {
    lines.push('Incomplete (the file is cut short: copy it whole again, then acervo retry --failed):');
    for (const f of report.incomplete.slice(0, 20)) lines.push(`  ${f.file}: ${f.pages} page(s) kept; ${f.code}: ${f.message}`);
    if (report.incomplete.length > 20) lines.push(`  … and ${report.incomplete.length - 20} more (see the JSON report).`);
  }
  if (report.warnings.length > 0) {
    lines.push('Warnings:');
    for (const w of report.warnings.slice(0, 20)) lines.push(`  ${w.file}: ${w.code}: ${w.message}`);
    if (report.warnings.length > 20) lines.push(`  … and ${report.warnings.length - 20} more (see the JSON report).`);
  }
  const cut = report.splits.filter((s) => s.parts.length > 1);
  if (report.splits.length > 0) {
    lines.push(`Batches: ${report.splits.length} file(s) read for separators, ${cut.length} cut into ${cut.reduce((n, s) => n + s.parts.length, 0)} documents.`);
    for (const split of cut.slice(0, 20)) {
      lines.push(`  ${split.file}: ${split.parts.map((p) => `${p.part}) ${pageRange(p.sourcePages)}`).join(', ')}; separators on ${split.separators.map((s) => s.page).join(', ')}`);
      for (const warning of split.separators.flatMap((s) => s.warnings.map((w) => `page ${s.page}: ${w}`))) lines.push(`    ${warning}`);
    }
  }
  if (report.leastConfident.length > 0) lines.push(`Least confident: ${report.leastConfident.slice(0, 3).map((d) => `${path.basename(d.file)} (${d.confidence})`).join(', ')}.`);
  if (report.review) lines.push(`Review: ${reviewSummary(report.review)}.`);
  return `${lines.join('\n')}\n`;
}

function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s} s` : `${s} s`;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]!);

function table(headers: string[], rows: unknown[][]): string {
  if (rows.length === 0) return '<p>None.</p>';
  return `<table><thead><tr>${headers.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((cell) => `<td>${esc(cell)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** A self-contained page (no scripts, no external files). */
export function reportHtml(report: RunReport): string {
  const t = report.totals;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acervo ${esc(report.command)} — ${esc(report.startedAt)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;margin:1.5rem;max-width:70rem}table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #c9d1db;padding:.25rem .6rem;text-align:left}th{background:#f3f5f8}.failed{color:#a4161a}</style>
</head><body>
<h1>Acervo ${esc(report.command)}: ${esc(STOPPED[report.stoppedBy])}</h1>
<p>Run <code>${esc(report.runId)}</code>, library <code>${esc(report.library)}</code>, ${esc(report.startedAt)} → ${esc(report.finishedAt)} (${esc(formatDuration(report.elapsedSeconds))}).${report.note ? ` ${esc(report.note)}.` : ''}</p>
<h2>Totals</h2>
${table(['documents', 'converted', 'unchanged', 'failed', 'left for the next run', 'pages', 'pages/min'], [[t.documents, t.indexed, t.skipped, t.failed, t.remaining, t.pages, report.pagesPerMinute]])}
<h2>Time per stage (seconds)</h2>
${table(Object.keys(report.stageSeconds), [Object.values(report.stageSeconds)])}
<h2>OCR confidence</h2>
<p>Mean ${esc(report.confidence.mean ?? '—')}.</p>
${table(['band', 'documents'], report.confidence.bands.map((b) => [b.band, b.documents]))}
<h2 class="failed">Failed (${report.failures.length})</h2>
${table(['file', 'code', 'message'], report.failures.map((f) => [f.file, f.code, f.message]))}
<h2 class="failed">Incomplete: file cut short (${report.incomplete.length})</h2>
${table(['file', 'pages kept', 'code', 'message'], report.incomplete.map((f) => [f.file, f.pages, f.code, f.message]))}
<h2>Warnings (${report.warnings.length})</h2>
${table(['file', 'code', 'message'], report.warnings.map((w) => [w.file, w.code, w.message]))}
<h2>Batches split (${report.splits.length})</h2>
${table(
  ['file', 'part', 'pages of the batch', 'PDF', 'title', 'separator before it'],
  report.splits.flatMap((split) =>
    split.parts.map((p) => {
      const separator = split.separators.find((s) => s.page === p.separatorPage);
      const note = separator ? `page ${separator.page}: ${separator.text ?? 'blank'}${separator.warnings.length > 0 ? ` (${separator.warnings.join('; ')})` : ''}` : '—';
      return [split.file, `${p.part} of ${split.parts.length}`, pageRange(p.sourcePages), p.pdf, p.title, note];
    }),
  ),
)}
<h2>Left to review</h2>
<p>${esc(report.review ? reviewSummary(report.review) : '—')}.</p>
${report.review ? table(['reason', 'items'], Object.entries(report.review.reasons).map(([reason, items]) => [reason, items])) : ''}
<h2>Slowest</h2>
${table(['file', 'pages', 'seconds'], report.slowest.map((d) => [d.file, d.pages, d.seconds]))}
<h2>Least confident</h2>
${table(['file', 'pages', 'confidence'], report.leastConfident.map((d) => [d.file, d.pages, d.confidence]))}
</body></html>
`;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
