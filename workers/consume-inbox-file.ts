/**
 * One inbox file, from taking it to settling its original, so that it is converted exactly once
 * whatever happens to the machine. The catalog's claim on the file records each step:
 *
 *     take (claim: working) → convert → document + claim `converted` (one transaction)
 *         → move / keep / delete the original → claim gone
 *     a failure that may pass → claim `retry` (tried again later, attempts counted)
 *     a lasting failure → claim `failing` + failed document → <name>.error.json → move to failed/
 *
 * A file cut short (INPUT_TRUNCATED) is most likely still arriving: it is tried again like any
 * failure that may pass, and on its last attempt what can be read is kept, searchable and marked
 * incomplete, as `acervo ingest` keeps it. Its original is moved or kept, never deleted: it is
 * what `retry --failed` reads once a whole copy is put in its place, and the whole file dropped
 * again takes its place and its document (incomplete-original.ts).
 *
 * After a crash the claim says what is left: `converted` and `failing` only settle the original
 * (never convert again); `working` and `retry` convert again, into the same document.
 */
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Catalog, InboxClaim } from '../core/catalog/catalog.js';
import { AppError, errorRecord, toAppError, type ErrorCode, type ErrorRecord } from '../core/errors.js';
import type { IngestOutcome } from '../core/model.js';
import { ingestFile, isLibraryWide, type IngestFileDeps } from '../core/pipeline/ingest-file.js';
import { inspectInput, type InspectedInput } from '../core/pipeline/intake.js';
import { relativeToInbox, type Inbox, type WatchSettings } from './inbox.js';
import { continues, isIncompleteSource } from './incomplete-original.js';
import { freeDestination, moveOriginal } from './move-original.js';

export type ConsumeResult =
  /** `outcome` is null when a crashed run had converted it and only the original was left to settle. */
  | { kind: 'indexed'; documentId: number; outcome: IngestOutcome | null; original: string | null }
  /** Kept in place and unchanged since it was converted; `outcome` the skip's (still incomplete, its warnings). */
  | { kind: 'unchanged'; documentId: number; outcome?: IngestOutcome }
  /** The same bytes as an original the library already holds. */
  | { kind: 'duplicate'; of: number; original: string | null }
  | { kind: 'retry'; error: ErrorRecord; attempts: number; retryAt: Date }
  | { kind: 'failed'; error: ErrorRecord; attempts: number; original: string }
  /** Gone before it could be taken (moved or deleted by someone else). */
  | { kind: 'gone' };

export interface ConsumeDeps {
  catalog: Catalog;
  ingest: IngestFileDeps;
  settings: Pick<WatchSettings, 'onSuccess' | 'maxAttempts' | 'retryDelaySeconds'>;
  /** Files in hand, by the original's checksum: a copy dropped at the same time waits for its twin. */
  converting: Map<string, Promise<void>>;
  now?: () => Date;
}

/** Failures that may pass: the file was still being written or locked, or a worker was overloaded. */
const TRANSIENT: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['INPUT_UNREADABLE', 'INPUT_EMPTY', 'INPUT_TRUNCATED', 'IMAGE_CORRUPT', 'PDF_CORRUPT', 'OCR_FAILED', 'OCR_TIMEOUT', 'INTERNAL']);
const BACKOFF_FACTOR = 4;

export async function consumeInboxFile(inbox: Inbox, inboxPath: string, deps: ConsumeDeps): Promise<ConsumeResult> {
  const { catalog } = deps;
  const relativePath = relativeToInbox(inbox, inboxPath);
  let claim = catalog.claim(inboxPath);

  let inspected: InspectedInput;
  try {
    inspected = await inspectInput(inboxPath);
  } catch (error) {
    if (isLibraryWide(error)) throw error;
    const appError = toAppError(error);
    if (appError.code === 'INPUT_NOT_FOUND') {
      if (claim && (claim.state === 'working' || claim.state === 'retry')) catalog.deleteClaim(inboxPath);
      return { kind: 'gone' };
    }
    return failed(inbox, claim ?? newClaim(inboxPath, relativePath, null), appError, null, deps);
  }

  // One file with these bytes at a time: a copy dropped beside it waits, then finds it done.
  for (let twin = deps.converting.get(inspected.sha256); twin; twin = deps.converting.get(inspected.sha256)) await twin;
  let finished!: () => void;
  deps.converting.set(inspected.sha256, new Promise<void>((resolve) => (finished = resolve)));
  try {
    return await consumeInspected(inbox, inboxPath, relativePath, claim, inspected, deps);
  } finally {
    deps.converting.delete(inspected.sha256);
    finished();
  }
}

async function consumeInspected(
  inbox: Inbox,
  inboxPath: string,
  relativePath: string,
  claim: InboxClaim | undefined,
  inspected: InspectedInput,
  deps: ConsumeDeps,
): Promise<ConsumeResult> {
  const { catalog, settings } = deps;
  // Another file now lies where the claimed one did: start afresh with it.
  if (claim && claim.sha256 !== inspected.sha256) claim = undefined;
  // The same file: finish what a crash interrupted.
  if (claim?.state === 'converted') return settleSuccess(claim, deps);
  if (claim?.state === 'failing') return settleFailure(inbox, claim, deps);

  // A copy of an original the library already holds (the same file dropped twice) is not a new document.
  const same = catalog.findDoneBySha256(inspected.sha256);
  if (same && !(settings.onSuccess !== 'move' && same.sourcePath === inboxPath)) {
    const settling: InboxClaim = { ...newClaim(inboxPath, relativePath, inspected), state: 'converted', documentId: same.id, finalPath: await originalDestination(inbox, inboxPath, relativePath, deps) };
    catalog.saveClaim(settling);
    const settled = await settleSuccess(settling, deps);
    return settled.kind === 'indexed' ? { kind: 'duplicate', of: same.id, original: settled.original } : settled;
  }

  claim = {
    ...(claim ?? newClaim(inboxPath, relativePath, inspected)),
    state: 'working',
    finalPath: claim?.finalPath ?? (await originalDestination(inbox, inboxPath, relativePath, deps)),
  };
  catalog.saveClaim(claim);

  const ingest = inbox.split ? { ...deps.ingest, convert: { ...deps.ingest.convert, split: inbox.split } } : deps.ingest;
  // Only the last attempt keeps a file cut short: the earlier ones leave it time to arrive whole.
  const lastAttempt = claim.attempts + 1 >= settings.maxAttempts;
  const outcome = await ingestFile({ readPath: inboxPath, sourcePath: claim.finalPath!, relativePath }, ingest, { recordFailure: false, claimedFrom: inboxPath, inspected, refuseIncomplete: !lastAttempt });
  if (outcome.status === 'failed') return failed(inbox, claim, new AppError(outcome.error!.code, outcome.error!.message), inspected, deps);
  if (outcome.status === 'skipped') {
    catalog.deleteClaim(inboxPath);
    return { kind: 'unchanged', documentId: outcome.documentId!, outcome };
  }
  const settled = await settleSuccess({ ...claim, state: 'converted', documentId: outcome.documentId }, deps);
  return settled.kind === 'indexed' ? { ...settled, outcome } : settled;
}

function newClaim(inboxPath: string, relativePath: string, inspected: InspectedInput | null): InboxClaim {
  return {
    inboxPath,
    relativePath,
    sha256: inspected?.sha256 ?? null,
    sizeBytes: inspected?.size ?? null,
    state: 'working',
    finalPath: null,
    documentId: null,
    attempts: 0,
    errorCode: null,
    errorMessage: null,
    retryAt: null,
  };
}

/**
 * Where the original is cataloged: its place in processed/ when it is moved there; where it lies
 * when it is kept (a new version of a kept file replaces the old one, as with `acervo ingest`);
 * where it lay when it is deleted, numbered when a deleted original of that name came before
 * (scanners reuse names: the new scan is a new document). The rest of a file kept incomplete goes
 * where that one lies.
 */
async function originalDestination(inbox: Inbox, inboxPath: string, relativePath: string, deps: ConsumeDeps): Promise<string> {
  switch (deps.settings.onSuccess) {
    case 'move': {
      // The rest of a copy kept incomplete in processed/: it replaces that original and its document.
      const kept = path.join(inbox.processedDir, ...relativePath.split('/'));
      if (isIncompleteSource(deps.catalog, kept) && (await continues(inboxPath, kept))) return kept;
      return freeDestination(inbox.processedDir, relativePath, (file) => deps.catalog.isSourceTaken(file));
    }
    case 'keep':
      return inboxPath;
    case 'delete':
      // An original kept incomplete lies here under its own name: what lies there now is its new version.
      if (isIncompleteSource(deps.catalog, inboxPath)) return inboxPath;
      for (let n = 1; ; n++) {
        const parsed = path.parse(inboxPath);
        const candidate = n === 1 ? inboxPath : path.join(parsed.dir, `${parsed.name} (${n})${parsed.ext}`);
        // A numbered name must be free on disk too: an incomplete original is kept under it (settleSuccess).
        if (!deps.catalog.isSourceTaken(candidate) && (n === 1 || !(await exists(candidate)))) return candidate;
      }
  }
}

async function settleSuccess(claim: InboxClaim, deps: ConsumeDeps): Promise<ConsumeResult> {
  let original: string | null = claim.inboxPath;
  // Read from the catalog, not the outcome: after a crash only the claim and the document are left.
  // (A duplicate's document has its own original elsewhere: the copy is settled as any other.)
  const document = claim.documentId === null ? undefined : deps.catalog.getDocument(claim.documentId);
  const incomplete = document?.errorCode === 'INPUT_TRUNCATED' && document.sourcePath === claim.finalPath;
  if (deps.settings.onSuccess === 'move' || (incomplete && claim.finalPath !== claim.inboxPath)) {
    // (An incomplete original in a deleting inbox is kept, under the name its document records.)
    await moveOriginal(claim.inboxPath, claim.finalPath!);
    original = claim.finalPath;
  } else if (deps.settings.onSuccess === 'delete' && !incomplete) {
    await rm(claim.inboxPath, { force: true });
    original = null;
  }
  deps.catalog.deleteClaim(claim.inboxPath);
  return { kind: 'indexed', documentId: claim.documentId!, outcome: null, original };
}

async function failed(inbox: Inbox, claim: InboxClaim, error: AppError, inspected: InspectedInput | null, deps: ConsumeDeps): Promise<ConsumeResult> {
  const attempts = claim.attempts + 1;
  const record = errorRecord(error);
  const now = deps.now?.() ?? new Date();
  if (TRANSIENT.has(error.code) && attempts < deps.settings.maxAttempts) {
    const retryAt = new Date(now.getTime() + deps.settings.retryDelaySeconds * 1000 * BACKOFF_FACTOR ** (attempts - 1));
    deps.catalog.saveClaim({ ...claim, state: 'retry', attempts, errorCode: record.code, errorMessage: record.message, retryAt: retryAt.toISOString() });
    return { kind: 'retry', error: record, attempts, retryAt };
  }
  const failedPath = await freeDestination(inbox.failedDir, claim.relativePath, (file) => deps.catalog.isSourceTaken(file));
  const failing: InboxClaim = { ...claim, state: 'failing', attempts, finalPath: failedPath, errorCode: record.code, errorMessage: record.message, retryAt: null };
  deps.catalog.saveClaim(failing);
  deps.catalog.recordFailure(
    { sourcePath: failedPath, relativePath: claim.relativePath, mediaType: inspected?.mediaType ?? null, sha256: inspected?.sha256 ?? null, sizeBytes: inspected?.size ?? null, error: record },
    claim.inboxPath,
  );
  return settleFailure(inbox, failing, deps);
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** `<name>.error.json` first, then the original beside it: whatever lands in failed/ says why. */
async function settleFailure(inbox: Inbox, claim: InboxClaim, deps: ConsumeDeps): Promise<ConsumeResult> {
  const failedPath = claim.finalPath!;
  const error: ErrorRecord = { code: (claim.errorCode ?? 'INTERNAL') as ErrorCode, message: claim.errorMessage ?? '' };
  const report = {
    file: claim.relativePath,
    inbox: inbox.root,
    code: error.code,
    message: error.message,
    time: (deps.now?.() ?? new Date()).toISOString(),
    attempts: claim.attempts,
    sha256: claim.sha256,
  };
  await mkdir(path.dirname(failedPath), { recursive: true });
  const reportFile = `${failedPath}.error.json`;
  await writeFile(`${reportFile}.partial`, `${JSON.stringify(report, null, 2)}\n`);
  await rename(`${reportFile}.partial`, reportFile);
  await moveOriginal(claim.inboxPath, failedPath);
  deps.catalog.deleteClaim(claim.inboxPath);
  return { kind: 'failed', error, attempts: claim.attempts, original: failedPath };
}
