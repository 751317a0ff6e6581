/**
 * A fixity pass: re-hash every PDF the catalog lists (and, when asked, the originals they were
 * made from) and compare with the SHA-256 recorded when each was written; then look for PDFs no
 * document owns. Only reads the library's files; its progress is checkpointed in the catalog
 * after every document, so a run stopped by a signal, a time window or a crash is resumed by the
 * next one, which hashes nothing twice.
 *
 * It takes no writer's lock: ingest, watch and apply-corrections may run meanwhile. A document
 * they convert or rewrite while it is checked is compared with what the catalog says after
 * hashing, not before (and with a rewrite's recorded checksum while that is settling).
 */
import path from 'node:path';
import type { Catalog, FixityFinding, FixityRecord, VerifyPass } from '../catalog/catalog.js';
import type { Library } from '../library.js';
import { CheckpointWriter } from './checkpoint-writer.js';
import { hashFile } from './hash-file.js';
import type { ReadThrottle } from './read-throttle.js';
import { findUnexpectedPdfs } from './unexpected-files.js';

export interface VerifyOptions {
  /** Re-hash the originals too (at their source paths). */
  originals: boolean;
  /** Set aside an unfinished pass and start over. */
  restart: boolean;
  throttle: ReadThrottle | null;
  signal?: AbortSignal;
  events?: VerifyEvents;
}

export interface VerifyEvents {
  /** What this run has to check: the pass's remaining documents and their PDFs' bytes. */
  onStart?(remaining: { documents: number; bytes: number }, resumed: boolean): void;
  onBytes?(bytes: number): void;
  onDocument?(findings: readonly FixityFinding[]): void;
}

export interface VerifyOutcome {
  pass: { id: number; startedAt: string; resumed: boolean; runs: number; complete: boolean; originals: boolean };
  /** Why an unfinished pass was not resumed. */
  note: string | null;
  /** This run's share of the pass. */
  thisRun: { documents: number; files: number; bytes: number };
  /** The whole pass so far (earlier runs included). */
  totals: { documents: number; files: number; ok: number; missing: number; changed: number; unreadable: number; unexpected: number; bytes: number; remaining: number };
  findings: FixityFinding[];
}

const BATCH = 200;

export async function verifyLibrary(library: Library, catalog: Catalog, options: VerifyOptions): Promise<VerifyOutcome> {
  const { pass, resumed, note } = choosePass(catalog, options);
  catalog.joinVerifyPass(pass.id);
  const checkpoints = new CheckpointWriter(catalog, pass.id);
  const thisRun = { documents: 0, files: 0, bytes: 0 };
  let after = pass.lastDocumentId;
  options.events?.onStart?.(catalog.fixityRemaining(after), resumed);

  let stopped = false;
  try {
    for (let batch = catalog.fixityRecordsAfter(after, BATCH); batch.length > 0 && !stopped; batch = catalog.fixityRecordsAfter(after, BATCH)) {
      for (const record of batch) {
        if (options.signal?.aborted) {
          stopped = true;
          break;
        }
        const checked = await checkDocument(library, catalog, record, options);
        checkpoints.add({ lastDocumentId: record.id, documents: 1, files: checked.files, ok: checked.ok, bytes: checked.bytes, findings: checked.findings });
        thisRun.documents++;
        thisRun.files += checked.files;
        thisRun.bytes += checked.bytes;
        after = record.id;
        options.events?.onDocument?.(checked.findings);
      }
    }
  } catch (error) {
    // Stopped in the middle of a file: that document is checked again next time.
    if (!options.signal?.aborted) throw error;
    stopped = true;
  } finally {
    checkpoints.flush();
  }

  const complete = !stopped && !options.signal?.aborted;
  if (complete) {
    const unexpected = await findUnexpectedPdfs(library, catalog);
    checkpoints.add({
      lastDocumentId: after,
      documents: 0,
      files: 0,
      ok: 0,
      bytes: 0,
      findings: unexpected.map((file) => ({ kind: 'unexpected', file: 'pdf', documentId: null, path: file, expectedSha256: null, actualSha256: null, message: null })),
    });
    checkpoints.flush();
    catalog.finishVerifyPass(pass.id, 'completed');
  }
  return summarise(catalog, pass, { resumed, complete, note, thisRun, after });
}

function choosePass(catalog: Catalog, options: VerifyOptions): { pass: VerifyPass; resumed: boolean; note: string | null } {
  const unfinished = catalog.unfinishedVerifyPass();
  if (unfinished && !options.restart && unfinished.originals === options.originals) return { pass: unfinished, resumed: true, note: null };
  let note: string | null = null;
  if (unfinished) {
    catalog.finishVerifyPass(unfinished.id, 'abandoned');
    note = options.restart
      ? `the unfinished pass started ${unfinished.startedAt} was set aside (--restart)`
      : `the unfinished pass started ${unfinished.startedAt} ${unfinished.originals ? 'checked the originals too' : 'did not check the originals'}; started over`;
  }
  return { pass: catalog.startVerifyPass({ originals: options.originals }), resumed: false, note };
}

interface DocumentCheck {
  files: number;
  ok: number;
  bytes: number;
  findings: FixityFinding[];
}

async function checkDocument(library: Library, catalog: Catalog, first: FixityRecord, options: VerifyOptions): Promise<DocumentCheck> {
  const check: DocumentCheck = { files: 0, ok: 0, bytes: 0, findings: [] };
  let record = first;
  const pdf = await checkFile(path.join(library.root, record.outputPath), () => record.outputSha256, options);
  check.bytes += pdf.bytes;
  let finding = pdf.finding;
  if (finding) {
    // A writer may have converted the document again meanwhile: trust the catalog's latest word.
    const latest = catalog.fixityRecord(record.id);
    if (!latest) return check; // the document is gone from the catalog: nothing to check
    if (latest.outputPath !== record.outputPath || latest.outputSha256 !== record.outputSha256) {
      record = latest;
      const again = await checkFile(path.join(library.root, record.outputPath), () => record.outputSha256, options);
      check.bytes += again.bytes;
      finding = again.finding;
    }
  }
  // A PDF written again from staff's corrections and renamed into place, its new checksum not yet
  // the catalog's (a rewrite under way, or one a crash cut short there): exactly the file the
  // rewrite recorded before the rename is no damage. Any other bytes still are.
  if (finding?.kind === 'changed' && finding.actualSha256 !== null && catalog.pdfRewrites().unsettledSha256(record.id) === finding.actualSha256) finding = null;
  check.files++;
  if (finding) check.findings.push({ ...finding, file: 'pdf', documentId: record.id, path: record.outputPath });
  else check.ok++;

  // A failed later attempt keeps the earlier PDF, but its original has changed on purpose: only a converted document's original is checked.
  // A batch scan's original is checked once, with its first part.
  if (options.originals && record.status === 'done' && record.sha256 && record.partNo === 1) {
    const original = await checkFile(record.sourcePath, () => record.sha256!, options);
    check.files++;
    check.bytes += original.bytes;
    if (original.finding) check.findings.push({ ...original.finding, file: 'original', documentId: record.id, path: record.sourcePath });
    else check.ok++;
  }
  return check;
}

type PartialFinding = Pick<FixityFinding, 'kind' | 'expectedSha256' | 'actualSha256' | 'message'>;

async function checkFile(file: string, expected: () => string, options: VerifyOptions): Promise<{ bytes: number; finding: PartialFinding | null }> {
  try {
    const { sha256, bytes } = await hashFile(file, { throttle: options.throttle, ...(options.signal ? { signal: options.signal } : {}), ...(options.events?.onBytes ? { onBytes: options.events.onBytes } : {}) });
    if (sha256 === expected()) return { bytes, finding: null };
    return { bytes, finding: { kind: 'changed', expectedSha256: expected(), actualSha256: sha256, message: null } };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { bytes: 0, finding: { kind: 'missing', expectedSha256: expected(), actualSha256: null, message: null } };
    return { bytes: 0, finding: { kind: 'unreadable', expectedSha256: expected(), actualSha256: null, message: `${code ?? 'error'}: ${(error as Error).message}` } };
  }
}

function summarise(catalog: Catalog, pass: VerifyPass, run: { resumed: boolean; complete: boolean; note: string | null; thisRun: VerifyOutcome['thisRun']; after: number }): VerifyOutcome {
  const counts = catalog.verifyPass(pass.id) ?? pass;
  const findings = catalog.verifyFindings(pass.id);
  const count = (kind: FixityFinding['kind']) => findings.filter((f) => f.kind === kind).length;
  return {
    pass: { id: pass.id, startedAt: pass.startedAt, resumed: run.resumed, runs: counts.runs, complete: run.complete, originals: pass.originals },
    note: run.note,
    thisRun: run.thisRun,
    totals: {
      documents: counts.documents,
      files: counts.files,
      ok: counts.ok,
      missing: count('missing'),
      changed: count('changed'),
      unreadable: count('unreadable'),
      unexpected: count('unexpected'),
      bytes: counts.bytes,
      remaining: run.complete ? 0 : catalog.fixityRemaining(run.after).documents,
    },
    findings,
  };
}
