/**
 * `acervo redact <document id | pdf> -o copy.pdf`: a redacted copy ("cópia tarjada") for handing
 * to a citizen: personal numbers, e-mail addresses and telephone numbers burned out of the pages
 * and gone from the text (core/redaction/). A library document's copy follows its archivists'
 * review (boxes they removed or drew on the search page); a PDF given by path gets every proposed
 * box. `--review` lists the boxes and writes nothing. Copies of library documents are recorded in
 * the access log.
 *
 * The original is never touched: the copy may not be written over it or into the library.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import type { Catalog } from '../../core/catalog/catalog.js';
import { AppError } from '../../core/errors.js';
import { existingLibrary, type Library } from '../../core/library.js';
import { maskedForCopy } from '../../core/redaction/copy-metadata.js';
import type { PageReview, RedactionMark } from '../../core/redaction/review.js';
import { operatorName, recordAccess } from '../operator.js';
import { printJson, printLine } from '../output.js';
import { PRODUCER } from '../runtime.js';
import { requireLibrary } from './library-option.js';
import { configOption, jsonOption, libraryOption } from '../options.js';

interface RedactFlags {
  output?: string;
  library?: string;
  config?: string;
  by?: string;
  review?: boolean;
  force?: boolean;
  json?: boolean;
}

/** What is being copied: a library document (with its review) or a PDF given by path. */
interface Original {
  pdf: Buffer;
  file: string;
  title: string;
  documentId: number | null;
  marks: RedactionMark[];
  library: Library | null;
}

export function redactCommand(): Command {
  return new Command('redact')
    .description('make a redacted copy ("cópia tarjada") of a document: personal numbers, e-mails and phones burned out of the pages and the text')
    .argument('<document>', "a library document's id (as search shows it), or a PDF file")
    .option('-o, --output <file>', 'the copy to write (a new PDF)')
    .addOption(libraryOption('library folder (for a document id)'))
    .option('--by <name>', 'who makes the copy, as the copy and the access log record it (default: your system account)')
    .option('--review', 'list the boxes the copy would have, page by page, and write nothing')
    .option('--force', 'overwrite the output file if it exists')
    .addOption(jsonOption())
    .addOption(configOption())
    .action(async (document: string, flags: RedactFlags) => {
      process.exitCode = await runRedact(document, flags);
    });
}

async function runRedact(argument: string, flags: RedactFlags): Promise<number> {
  if (!flags.review && !flags.output) throw new AppError('USAGE', 'Say where to write the copy: -o copy.pdf (or --review to list its boxes).');
  const original = await openOriginal(argument, flags);
  const { redactPdf, reviewPdf } = await import('../../core/redaction/redaction.js');
  if (flags.review) {
    const review = await reviewPdf(original.pdf, original.marks);
    if (flags.json) printJson({ documentId: original.documentId, file: original.file, pages: review });
    else printReview(review);
    return 0;
  }
  const target = outputFile(flags.output!, original, flags.force === true);
  const madeBy = flags.by?.trim() || operatorName();
  const started = performance.now();
  const copy = await redactPdf(original.pdf, original.marks, { title: original.title, documentId: original.documentId, madeBy, madeAt: new Date(), producer: PRODUCER });
  writeAtomically(target, copy.pdf);
  const seconds = (performance.now() - started) / 1000;
  const byKind = countByKind(copy.review);
  if (original.library) await recordCopy(original.library, madeBy, original.documentId, { boxes: copy.boxes, pages: copy.pages, output: target });
  if (flags.json) {
    printJson({ documentId: original.documentId, file: original.file, output: target, pages: copy.pages, burnedPages: copy.burnedPages, boxes: copy.boxes, byKind, charactersRemoved: copy.charactersRemoved, conformance: copy.conformance, seconds: Number(seconds.toFixed(2)) });
  } else {
    const kinds = Object.entries(byKind).map(([kind, count]) => `${kind} ${count}`).join(', ');
    printLine(`Wrote ${target}: ${copy.pages} page(s), ${copy.boxes} box(es)${kinds ? ` (${kinds})` : ''} burned into ${copy.burnedPages} page(s)${copy.conformance ? `, ${copy.conformance}` : ''}, in ${seconds.toFixed(1)} s.`);
    if (copy.boxes === 0) printLine('No personal data was found or marked: the copy shows every page as it is. Check it before handing it over.');
  }
  return 0;
}

async function openOriginal(argument: string, flags: RedactFlags): Promise<Original> {
  if (/^\d{1,15}$/.test(argument) && !existsSync(argument)) return openDocument(Number(argument), flags);
  const file = path.resolve(argument);
  if (!existsSync(file) || !statSync(file).isFile()) throw new AppError('INPUT_NOT_FOUND', `${argument} is neither a library document's id nor a file.`);
  const title = path.basename(file, path.extname(file));
  return { pdf: readFileSync(file), file, title: maskedForCopy(title), documentId: null, marks: [], library: null };
}

async function openDocument(id: number, flags: RedactFlags): Promise<Original> {
  const config = loadConfig({ file: flags.config, flags: { library: flags.library } });
  const library = existingLibrary(requireLibrary(config.library));
  const { Catalog } = await import('../../core/catalog/catalog.js');
  const catalog: Catalog = Catalog.open(library.catalogFile);
  try {
    const document = catalog.getDocument(id);
    if (!document || document.status !== 'done' || !document.outputPath) throw new AppError('DOCUMENT_NOT_FOUND', `The library has no converted document ${id}; \`acervo search\` shows documents' ids.`);
    const file = path.resolve(library.root, document.outputPath);
    if (!existsSync(file)) throw new AppError('INPUT_NOT_FOUND', `The PDF of document ${id} is missing from the library (${document.outputPath}); run acervo verify.`);
    // As corrected: while staff's corrections wait for the library's file, the copy still says them.
    const { currentPdf } = await import('../../core/pipeline/apply-corrections.js');
    const pdf = Buffer.from(await currentPdf(library, catalog, id, PRODUCER));
    return { pdf, file, title: maskedForCopy(document.title ?? path.basename(document.relativePath)), documentId: id, marks: catalog.redactionMarks().of(id), library };
  } finally {
    catalog.close();
  }
}

/** The copy's path, refused where it would replace the original or a library file, or an existing file without --force. */
function outputFile(output: string, original: Original, force: boolean): string {
  const target = path.resolve(output);
  const real = (file: string) => (existsSync(file) ? realpathSync(file) : path.join(realpathSync(path.dirname(file)), path.basename(file)));
  if (!existsSync(path.dirname(target))) throw new AppError('OUTPUT_REFUSED', `The folder of ${output} does not exist.`);
  if (real(target) === realpathSync(original.file)) throw new AppError('OUTPUT_REFUSED', 'The copy cannot be written over the original; name another file with -o.');
  if (original.library) {
    const relative = path.relative(realpathSync(original.library.root), real(target));
    if (!relative.startsWith('..') && !path.isAbsolute(relative)) throw new AppError('OUTPUT_REFUSED', 'The copy cannot be written into the library folder; name a file outside it with -o.');
  }
  if (existsSync(target) && !force) throw new AppError('OUTPUT_REFUSED', `${output} exists; pass --force to overwrite it.`);
  return target;
}

/** Written beside the target and renamed: an interrupted run leaves no half copy under the asked name. */
function writeAtomically(target: string, bytes: Uint8Array): void {
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temporary, bytes);
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new AppError('INPUT_UNREADABLE', `The copy cannot be written to ${target} (${(error as Error).message}).`, { cause: error });
  }
}

function countByKind(review: readonly PageReview[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const page of review) for (const box of page.boxes) if (box.covered) counts[box.kind ?? 'drawn'] = (counts[box.kind ?? 'drawn'] ?? 0) + 1;
  return counts;
}

function printReview(review: readonly PageReview[]): void {
  const pct = (value: number) => `${(100 * value).toFixed(1)}%`;
  for (const page of review) {
    if (page.boxes.length === 0) continue;
    printLine(`page ${page.page}:`);
    for (const box of page.boxes) {
      const what = box.source === 'drawn' ? `drawn${box.label ? ` (${box.label})` : ''}` : box.kind;
      printLine(`  ${box.covered ? 'covered' : 'removed'}  ${what}  at ${pct(box.x0)}, ${pct(box.y0)} to ${pct(box.x1)}, ${pct(box.y1)} of the page`);
    }
  }
  const covered = review.reduce((sum, page) => sum + page.boxes.filter((box) => box.covered).length, 0);
  printLine(`${covered} box(es) would be burned into the copy, on ${review.filter((page) => page.boxes.some((box) => box.covered)).length} of ${review.length} page(s).`);
}


/** A copy of a library document is recorded in its access log; a log that cannot be written only warns (the copy hides, it reveals nothing). */
async function recordCopy(library: Library, user: string, documentId: number | null, detail: Record<string, unknown>): Promise<void> {
  const failed = await recordAccess(library, { action: 'cli.redact', user, role: 'cli', ip: null, documentId, detail: { channel: 'cli', ...detail } });
  if (failed) process.stderr.write(`acervo: warning: this copy is not recorded in the access log (${failed.message}).\n`);
}
