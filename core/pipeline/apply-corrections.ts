/**
 * Staff's corrections written into the library's PDFs, without OCR (issue 25, point 1): every
 * document whose PDF does not yet say its newest correction (core/catalog/pdf-rewrites.ts) gets
 * its PDF written again (core/pdf/pdf-rewrite.ts): the corrected page texts in the text layers,
 * the corrected record in the document information and XMP. Run by `acervo apply-corrections`,
 * and by `acervo serve` for a document just corrected; both hold the library lock, as every
 * writer of the library's files does.
 *
 * Safe to stop at any point, and idempotent:
 * - the new PDF is written to a temporary file and renamed over the old one (never half a PDF);
 *   the catalog records the rewrite (old and new checksums) before the rename and takes the new
 *   checksum after it, so a crash in between leaves a record the next run settles by the file it
 *   finds, and that fixity checks meanwhile recognise (the file is the rewrite's, not damage);
 * - a PDF that is not what the catalog recorded is not written again (its damage would be hidden
 *   under a new checksum): it is reported and keeps waiting;
 * - a document corrected again while its PDF was rewritten keeps waiting (the rewrite records the
 *   newest correction it read, not the newest there is).
 *
 * Originals are never read or touched: only the library's PDF is.
 */
import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Catalog, RewritePlan } from '../catalog/catalog.js';
import { AppError, errorRecord, isAppError, toAppError, type ErrorRecord } from '../errors.js';
import { hashFile } from '../fixity/hash-file.js';
import type { Library } from '../library.js';
import type { PdfFormat } from '../model.js';
import { rewritePdf, type RewriteRequest, type TextPlacement } from '../pdf/pdf-rewrite.js';
import { shownRecord } from '../pdf/record-metadata.js';
import { isLibraryWide } from './ingest-file.js';

export interface ApplyCorrectionsDeps {
  library: Library;
  catalog: Catalog;
  /** Identifies the software in the PDFs it writes. */
  producer: string;
  runId?: string | null;
  signal?: AbortSignal;
}

/** One document's PDF, as a run left it. */
export interface AppliedPdf {
  documentId: number;
  outputPath: string;
  /** rewritten: the PDF says its corrections; refused: it is not the file the catalog recorded; failed: it could not be written. */
  outcome: 'rewritten' | 'refused' | 'failed';
  /** The newest correction the PDF says now. */
  correctionsSeq: number | null;
  sha256: string | null;
  bytes: number | null;
  /** Corrected pages (by page of the PDF; null: left out of it), and how their text went in. */
  pages: Array<{ pdfPage: number | null; placement: TextPlacement | 'not-written'; why?: string }>;
  error: ErrorRecord | null;
}

export interface ApplyOutcome {
  documents: AppliedPdf[];
  /** Rewrites an earlier run left between the rename and the catalog, settled now. */
  settled: Array<{ documentId: number; outcome: 'written' | 'abandoned' }>;
  /** Documents still waiting when the run ended (stopped, refused or failed ones included). */
  remaining: number;
  stopped: boolean;
}

const BATCH = 100;

/** Writes the corrections into every waiting PDF (or only `documentIds`' when given). */
export async function applyCorrections(deps: ApplyCorrectionsDeps, documentIds?: readonly number[]): Promise<ApplyOutcome> {
  const rewrites = deps.catalog.pdfRewrites();
  const settled = await settleUnfinished(deps);
  const documents: AppliedPdf[] = [];
  let stopped = false;
  const work = async (id: number) => {
    if (deps.signal?.aborted) return (stopped = true), false;
    const applied = await applyOne(deps, id);
    if (applied === 'stopped') return (stopped = true), false;
    if (applied) documents.push(applied);
    return true;
  };
  if (documentIds) {
    for (const id of documentIds) if (rewrites.isPending(id) && !(await work(id))) break;
  } else {
    // Each batch after the last document taken: one that failed or was refused is not taken again this run.
    let after = 0;
    for (let batch = rewrites.pending(after, BATCH); batch.length > 0 && !stopped; batch = rewrites.pending(after, BATCH)) {
      for (const pending of batch) {
        if (!(await work(pending.id))) break;
        after = pending.id;
      }
    }
  }
  return { documents, settled, remaining: rewrites.pendingCount(), stopped };
}

/** One document's PDF written again; null when it no longer has one, 'stopped' when the run was stopped part-way (the PDF is as it was). */
export async function applyOne(deps: ApplyCorrectionsDeps, documentId: number): Promise<AppliedPdf | null | 'stopped'> {
  const { catalog, library } = deps;
  const rewrites = catalog.pdfRewrites();
  const plan = rewrites.plan(documentId);
  if (!plan) return null;
  const file = path.join(library.root, plan.outputPath);
  const { request, pages } = rewriteOf(plan, library, deps.producer, now());
  let begun: number | null = null;
  const base = { documentId, outputPath: plan.outputPath };
  try {
    const rewritten = await rewritePdf({
      ...request,
      target: file,
      ...(deps.signal ? { signal: deps.signal } : {}),
      beforeRename: (written) => {
        begun = rewrites.begin({
          documentId,
          outputPath: plan.outputPath,
          correctionsSeq: plan.seq,
          fromSha256: plan.outputSha256,
          fromBytes: plan.outputBytes,
          toSha256: written.sha256,
          toBytes: written.bytes,
          runId: deps.runId ?? null,
          startedAt: new Date().toISOString(),
        });
      },
    });
    const taken = rewrites.settle(begun!, 'written');
    if (!taken) throw new AppError('INTERNAL', `Document ${documentId}'s PDF was replaced while it was rewritten; it waits for the next run.`);
    for (const { pdfPage, placement } of rewritten.texts) pages.push({ pdfPage, placement });
    pages.sort((a, b) => (a.pdfPage ?? 0) - (b.pdfPage ?? 0));
    return { ...base, outcome: 'rewritten', correctionsSeq: plan.seq, sha256: rewritten.sha256, bytes: rewritten.bytes, pages, error: null };
  } catch (error) {
    // Not renamed: the old PDF is in place, and the record says so.
    if (begun !== null) rewrites.settle(begun, 'abandoned');
    if (deps.signal?.aborted) return 'stopped';
    if (isLibraryWide(error)) throw error;
    const appError = toAppError(error, 'PDF_CORRUPT');
    return { ...base, outcome: appError.code === 'FIXITY_CHANGED' ? 'refused' : 'failed', correctionsSeq: null, sha256: null, bytes: null, pages, error: errorRecord(appError) };
  }
}

const now = () => new Date();

/**
 * The document's PDF as it is to be read now: the library's file, or, while corrections wait for
 * it, that file rewritten with them into a temporary file read back and removed (the library's
 * file and the catalog do not change, so no lock is needed): what a redacted copy is made from,
 * so that a copy made after a correction says it even before the PDF is rewritten. A PDF that is
 * not what the catalog recorded is read as it is (a rewrite would refuse it).
 */
export async function currentPdf(library: Library, catalog: Catalog, documentId: number, producer: string): Promise<Uint8Array> {
  const plan = catalog.pdfRewrites().isPending(documentId) ? catalog.pdfRewrites().plan(documentId) : undefined;
  const document = plan ?? catalog.getDocument(documentId);
  if (!document?.outputPath) throw new AppError('DOCUMENT_NOT_FOUND', `The library has no PDF of document ${documentId}.`);
  const file = path.join(library.root, document.outputPath);
  if (!plan) return new Uint8Array(await readFile(file));
  const target = path.join(library.tempDir, `${process.pid}-${randomUUID()}.corrected.pdf`);
  try {
    await rewritePdf({ ...rewriteOf(plan, library, producer, now()).request, target });
    return new Uint8Array(await readFile(target));
  } catch (error) {
    if (isAppError(error) && error.code === 'FIXITY_CHANGED') return new Uint8Array(await readFile(file));
    throw error;
  } finally {
    await rm(target, { force: true });
  }
}

/** The rewrite of a plan's PDF (its target aside), and its corrected pages that cannot go into it. */
function rewriteOf(plan: RewritePlan, library: Library, producer: string, at: Date): { request: Omit<RewriteRequest, 'target'>; pages: AppliedPdf['pages'] } {
  const { texts, pages } = pageTexts(plan);
  const settings = parseSettings(plan.settings);
  const request = {
    file: path.join(library.root, plan.outputPath),
    expectedSha256: plan.outputSha256,
    tempDir: library.tempDir,
    format: settings.pdfFormat,
    metadata: {
      ...shownRecord(plan.machine, plan.identifiers, plan.corrected),
      sourceFile: plan.relativePath,
      sourceSha256: plan.sourceSha256,
      ocrLanguages: settings.languages,
      creatorTool: producer,
      producer,
      // Made when the original was converted; modified now.
      createdAt: plan.convertedAt ? new Date(plan.convertedAt) : at,
      modifiedAt: at,
    },
    texts,
  };
  return { request, pages };
}

/** The corrected pages' texts by page of the PDF, and the pages whose text cannot go into it, with why. */
function pageTexts(plan: RewritePlan): { texts: Map<number, string>; pages: AppliedPdf['pages'] } {
  const texts = new Map<number, string>();
  const pages: AppliedPdf['pages'] = [];
  for (const page of plan.pages) {
    if (page.pdfPage === null) pages.push({ pdfPage: null, placement: 'not-written', why: `page ${page.pageNo} of the document is a blank page left out of the PDF` });
    else if (page.textSource === 'pdf-text') pages.push({ pdfPage: page.pdfPage, placement: 'not-written', why: "the page keeps its source PDF's own text, which Acervo does not draw" });
    else texts.set(page.pdfPage, page.text);
  }
  return { texts, pages };
}

/** The conversion settings a PDF was written with (ingest-file.ts conversionSettings): its languages and PDF format. */
function parseSettings(json: string | null): { languages: string[]; pdfFormat: PdfFormat } {
  let settings: { languages?: unknown; pdfFormat?: unknown } = {};
  try {
    settings = json ? (JSON.parse(json) as typeof settings) : {};
  } catch {
    // An unreadable record of settings: the defaults a conversion had then.
  }
  const languages = Array.isArray(settings.languages) && settings.languages.every((l) => typeof l === 'string') ? (settings.languages as string[]) : ['por'];
  // Absent: plain PDF (libraries converted before PDF/A, or with --pdf-format pdf).
  const pdfFormat: PdfFormat = settings.pdfFormat === 'pdfa-1b' || settings.pdfFormat === 'pdfa-2b' ? settings.pdfFormat : 'pdf';
  return { languages, pdfFormat };
}

/**
 * Rewrites an earlier run began and did not settle (it died between recording the new checksum
 * and recording that the file took its place): settled by the file there is now. The new file:
 * written. The old one, or none: abandoned. Anything else is neither's, and left for fixity
 * checks to report (the record is abandoned, so they no longer take that file for the rewrite's).
 */
async function settleUnfinished(deps: ApplyCorrectionsDeps): Promise<ApplyOutcome['settled']> {
  const rewrites = deps.catalog.pdfRewrites();
  const settled: ApplyOutcome['settled'] = [];
  for (const rewrite of rewrites.unsettled()) {
    const file = path.join(deps.library.root, rewrite.outputPath);
    const found = await hashFile(file).then(
      (hash) => hash.sha256,
      () => null,
    );
    const outcome = found === rewrite.toSha256 ? 'written' : 'abandoned';
    rewrites.settle(rewrite.id, outcome);
    settled.push({ documentId: rewrite.documentId, outcome });
  }
  return settled;
}
