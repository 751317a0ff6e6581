/**
 * `acervo review`: the review queue (core/catalog/review-queue.ts) — pages and documents where the
 * machine was unsure — for scripts (--json) and a terminal: filtered by collection, box and
 * reason, a page at a time (--after the cursor the last page gave), with how many are left. The
 * same access rules as `acervo search`: personal numbers masked and restricted collections left
 * out unless asked, and each listing recorded in the access log. Accepting and fixing are done on
 * the Revisão page or through the API (docs/web-server.md#review-queue).
 */
import { Command, Option } from 'commander';
import { loadConfig } from '../../config/load.js';
import { AccessPolicy } from '../../core/access/policy.js';
import { Catalog, REVIEW_REASONS, type ReviewDetails, type ReviewReason } from '../../core/catalog/catalog.js';
import { AppError } from '../../core/errors.js';
import { existingLibrary } from '../../core/library.js';
import { reviewSummary } from '../../core/reports/review-summary.js';
import { operatorName, recordAccess } from '../operator.js';
import { printJson, printLine } from '../output.js';
import { requireLibrary } from './library-option.js';
import { configOption, jsonOption, libraryOption } from '../options.js';

interface ReviewFlags {
  library?: string;
  config?: string;
  json?: boolean;
  collection?: string;
  box?: string;
  reason?: ReviewReason;
  limit: number;
  after?: string;
  showPersonalData?: boolean;
  includeRestricted?: boolean;
}

export function reviewCommand(): Command {
  return new Command('review')
    .description('list what the machine was unsure of, for archive staff to accept or fix: pages read with low confidence, documents without a date or a type, with several candidate dates, or with personal data in a collection not expected to hold it')
    .addOption(libraryOption())
    .option('--collection <name>', 'only this collection')
    .option('--box <name>', 'only this box (of the collection named)')
    .addOption(new Option('--reason <code>', 'only this reason').choices(REVIEW_REASONS))
    .addOption(new Option('-n, --limit <n>', 'items to show').default(50).argParser(parseLimit))
    .option('--after <cursor>', 'the items after this one: the `next` a listing gave (paging)')
    .option('--show-personal-data', 'show personal numbers in titles as written instead of masked; recorded in the access log')
    .option('--include-restricted', "also list the config's restricted collections (access.restrictedCollections); recorded in the access log")
    .addOption(jsonOption())
    .addOption(configOption())
    .action(async (flags: ReviewFlags) => {
      process.exitCode = await runReview(flags);
    });
}

function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 500) throw new AppError('USAGE', `--limit must be a whole number from 1 to 500, not "${value}".`);
  return n;
}

async function runReview(flags: ReviewFlags): Promise<number> {
  if (flags.box !== undefined && flags.collection === undefined) throw new AppError('USAGE', 'A box is named within its collection: give --collection too.');
  const config = loadConfig({ file: flags.config, flags: { library: flags.library } });
  const library = existingLibrary(requireLibrary(config.library));
  const operator = { name: operatorName(), role: 'cli', personalData: flags.showPersonalData === true };
  const catalog = Catalog.open(library.catalogFile);
  try {
    const restricted = flags.includeRestricted ? [] : config.access.restrictedCollections;
    const view = new AccessPolicy(restricted, () => catalog.collections().map((entry) => entry.collection)).view(operator);
    // Personal-data items say only that a document holds a number, never its digits: listed for the operator.
    const scope = { maySeeCollection: view.maySeeCollection, personalData: true, personalDataCollections: config.access.personalDataCollections };
    const filter = { ...(flags.collection !== undefined ? { collection: flags.collection } : {}), ...(flags.box !== undefined ? { box: flags.box } : {}), ...(flags.reason ? { reason: flags.reason } : {}) };
    const queue = catalog.review();
    const page = queue.list(filter, scope, { limit: flags.limit, ...(flags.after ? { after: flags.after } : {}) });
    const overview = queue.overview(filter, scope);
    const details = queue.details(page.items);
    // Recorded before anything is shown: a listing that reveals what is masked or restricted is refused unrecorded.
    await recordListing(library, operator, flags, details);
    const text = (value: string | null) => view.optionalText(value);
    const items = details.map((entry) => ({
      documentId: entry.item.documentId,
      page: entry.pdfPage,
      reason: entry.item.reason,
      collection: text(entry.item.collection),
      box: text(entry.item.box),
      title: text(entry.title ?? entry.file),
      documentType: entry.documentType,
      date: entry.date,
      confidence: entry.confidence === null ? null : Math.round(entry.confidence * 10) / 10,
      dates: entry.dates,
      acceptedBefore: entry.acceptedBefore,
      file: text(entry.file),
      cursor: entry.item.cursor,
    }));
    if (flags.json) {
      printJson({
        library: library.root,
        filters: { collection: flags.collection ?? null, box: flags.box ?? null, reason: flags.reason ?? null },
        counts: { total: overview.total, reasons: overview.reasons },
        personalData: view.showPersonalData ? 'shown' : 'masked',
        items,
        next: page.next,
      });
      return 0;
    }
    const where = flags.collection === undefined ? '' : ` in ${flags.collection}${flags.box !== undefined ? `, box ${flags.box}` : ''}`;
    printLine(`Review${where}: ${reviewSummary(overview)}`);
    items.forEach((item, i) => {
      const place = [item.collection, item.box && `box ${item.box}`].filter(Boolean).join(', ');
      const about =
        item.reason === 'low-confidence'
          ? `page ${item.page}, confidence ${item.confidence ?? 'none'}`
          : item.reason === 'several-dates'
            ? item.dates.map((d) => `${d.date}${d.main ? ' (chosen)' : ''}`).join(', ')
            : '';
      printLine(`${String(i + 1).padStart(3)}. [${item.reason}] ${item.title}${place ? ` — ${place}` : ''}${about ? ` — ${about}` : ''}`);
      printLine(`     document ${item.documentId}, ${item.file}${item.acceptedBefore ? `; accepted by ${item.acceptedBefore.by} before, read otherwise since` : ''}`);
    });
    if (page.next) printLine(`More: acervo review … --after ${page.next}`);
    return 0;
  } finally {
    catalog.close();
  }
}

async function recordListing(library: ReturnType<typeof existingLibrary>, operator: { name: string; role: string; personalData: boolean }, flags: ReviewFlags, details: readonly ReviewDetails[]): Promise<void> {
  const revealing = operator.personalData || flags.includeRestricted === true;
  const failed = await recordAccess(library, {
    action: 'cli.review',
    user: operator.name,
    role: operator.role,
    ip: null,
    detail: {
      channel: 'cli',
      filters: { collection: flags.collection ?? null, box: flags.box ?? null, reason: flags.reason ?? null },
      items: details.map((entry) => [entry.item.documentId, entry.pdfPage, entry.item.reason]),
      personalData: operator.personalData ? 'shown' : 'masked',
      includeRestricted: flags.includeRestricted === true,
    },
  });
  if (failed === null) return;
  if (revealing) throw new AppError('ACCESS_LOG_UNWRITABLE', `This listing cannot be recorded in the access log (${failed.message}), so it is not shown with personal data or restricted collections.`, { cause: failed });
  process.stderr.write(`acervo: warning: this listing is not recorded in the access log (${failed.message}).\n`);
}
