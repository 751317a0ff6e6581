/**
 * `acervo search <query>`: page-level hits from the library's index, under the same access policy
 * as the search page (core/access/policy.ts): personal numbers masked and restricted collections
 * left out unless the operator asks otherwise, and each search recorded in the access log.
 */
import path from 'node:path';
import { Command, Option } from 'commander';
import { loadConfig } from '../../config/load.js';
import { AppError } from '../../core/errors.js';
import { existingLibrary } from '../../core/library.js';
import { AccessPolicy, type AccessView } from '../../core/access/policy.js';
import type { Library } from '../../core/library.js';
import { typedPersonalNumbers } from '../../core/privacy/personal-numbers.js';
import { FACET_FIELDS, type Facets, type SearchFilters, type SearchHit, type SearchSort } from '../../core/search/search-backend.js';
import { maskFacets, maskSnippet } from '../../web/mask.js';
import { operatorName, recordAccess } from '../operator.js';
import { printJson, printLine, useColour } from '../output.js';
import { openSearchBackend } from '../runtime.js';
import { requireLibrary } from './library-option.js';
import { configOption, jsonOption, libraryOption } from '../options.js';

interface SearchFlags {
  library?: string;
  config?: string;
  json?: boolean;
  limit: number;
  offset: number;
  collection?: string[];
  type?: string[];
  language?: string[];
  personalData?: 'yes' | 'no';
  year?: string;
  sort: SearchSort;
  facets?: boolean;
  showPersonalData?: boolean;
  includeRestricted?: boolean;
}

export function searchCommand(): Command {
  return new Command('search')
    .description('search the library: accents and case never matter, the last word matches as a prefix')
    .argument('<query...>', 'words to find ("quoted phrase" for exact phrases)')
    .addOption(libraryOption())
    .addOption(new Option('-n, --limit <n>', 'hits to show').default(10).argParser(parseCount))
    .addOption(new Option('--offset <n>', 'hits to skip (paging)').default(0).argParser(parseOffset))
    .option('--collection <name...>', 'only these collections')
    .option('--type <type...>', 'only these document types (alvara, decreto, certidao, ...)')
    .option('--language <code...>', 'only these languages (pt, es, en)')
    .addOption(new Option('--personal-data <yes|no>', 'only documents with (yes) or without (no) people\'s numbers (CPF, RG, PIS, título, CUIL, DNI; a company\'s CNPJ or CUIT does not count)').choices(['yes', 'no']))
    .option('--year <year|from-to>', 'only this year or range, e.g. 1987 or 1980-1990')
    .addOption(new Option('--sort <order>', 'order of the hits').choices(['relevance', 'date-desc', 'date-asc', 'title']).default('relevance'))
    .option('--facets', 'also count the matching pages per collection, type, year, language and personal data')
    .option('--show-personal-data', 'show personal numbers (CPF, RG, DNI, PIS, título, CUIL) as written instead of masked; recorded in the access log')
    .option('--include-restricted', "also search the config's restricted collections (access.restrictedCollections); recorded in the access log")
    .addOption(jsonOption())
    .addOption(configOption())
    .action(async (words: string[], flags: SearchFlags) => {
      process.exitCode = await runSearch(words.join(' '), flags);
    });
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new AppError('USAGE', `--limit must be a whole number from 1 to 1000, not "${value}".`);
  return n;
}

function parseOffset(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new AppError('USAGE', `--offset must be a whole number, 0 or more, not "${value}".`);
  return n;
}

export function parseYearFilter(value: string): Pick<SearchFilters, 'yearFrom' | 'yearTo'> {
  const match = /^\s*(\d{4})\s*(?:[-–]\s*(\d{4})\s*)?$/.exec(value);
  if (!match) throw new AppError('USAGE', `--year takes a year (1987) or a range (1980-1990), not "${value}".`);
  const from = Number(match[1]);
  const to = match[2] ? Number(match[2]) : from;
  if (to < from) throw new AppError('USAGE', `--year range ${value} ends before it starts.`);
  return { yearFrom: from, yearTo: to };
}

async function runSearch(query: string, flags: SearchFlags): Promise<number> {
  const config = loadConfig({ file: flags.config, flags: { library: flags.library } });
  const library = existingLibrary(requireLibrary(config.library));
  const operator = { name: operatorName(), role: 'cli', personalData: flags.showPersonalData === true };
  const restricted = flags.includeRestricted ? [] : config.access.restrictedCollections;
  const catalog = restricted.length > 0 || operator.personalData ? await openCatalogReader(library) : null;
  const view = new AccessPolicy(restricted, () => catalog?.collections().map((entry) => entry.collection) ?? []).view(operator);
  // Recorded before anything is shown: a search that cannot be recorded with personal data shown is refused.
  await recordSearch(library, operator, query, flags);
  const backend = await openSearchBackend(config, library);
  try {
    const filters: SearchFilters = {
      ...(flags.collection ? { collections: flags.collection } : {}),
      ...(flags.type ? { documentTypes: flags.type } : {}),
      ...(flags.language ? { languages: flags.language } : {}),
      ...(flags.personalData ? { personalData: flags.personalData === 'yes' } : {}),
      ...(flags.year ? parseYearFilter(flags.year) : {}),
      excludeCollections: view.hiddenCollections(),
    };
    const result = await backend.search({ text: query, limit: flags.limit, offset: flags.offset, filters, sort: flags.sort, facets: Boolean(flags.facets), showPersonalData: view.showPersonalData });
    if (result.total === 0 && (await backend.stats()).documents === 0) {
      process.stderr.write('acervo: the search index is empty; if the library holds documents, run acervo reindex to build it.\n');
    }
    const typed = typedPersonalNumbers(query);
    const hits = result.hits.filter((hit) => view.maySeeCollection(hit.collection)).map((hit) => shownHit(hit, view, typed, library, catalog));
    const facets = result.facets ? maskFacets(result.facets, view, typed) : undefined;
    if (flags.json) {
      printJson({
        query: result.query,
        total: result.total,
        ...(result.totalEstimate ? { totalEstimate: result.totalEstimate } : {}),
        ...(result.ignored?.length ? { ignored: result.ignored } : {}),
        personalData: view.showPersonalData ? 'shown' : 'masked',
        hits: hits.map(({ documentId, title, source, pdf, page, collection, year, documentType, date, language, personalData, snippet, score }) => ({
          documentId, title, source, pdf, page, collection, year, documentType, date, language, personalData, snippet, score,
        })),
        ...(facets ? { facets } : {}),
      });
    } else {
      printHuman(result.query, result.total, flags.offset, hits);
      if (facets) printFacets(facets);
      if (!view.showPersonalData && hits.some((hit) => /\*/.test(hit.snippet + hit.title))) printLine('\nPersonal numbers are masked; --show-personal-data shows them (and is recorded in the access log).');
    }
    return 0;
  } finally {
    await backend.close();
    catalog?.close();
  }
}

/** The catalog, for collection names and titles as written (loaded only when needed). */
async function openCatalogReader(library: Library) {
  const { Catalog } = await import('../../core/catalog/catalog.js');
  return Catalog.open(library.catalogFile);
}

async function recordSearch(library: Library, operator: { name: string; role: string; personalData: boolean }, query: string, flags: SearchFlags): Promise<void> {
  const revealing = operator.personalData || flags.includeRestricted === true;
  const failed = await recordAccess(library, { action: 'cli.search', user: operator.name, role: operator.role, ip: null, query, detail: { channel: 'cli', personalData: operator.personalData ? 'shown' : 'masked', includeRestricted: flags.includeRestricted === true } });
  if (failed === null) return;
  if (revealing) throw new AppError('ACCESS_LOG_UNWRITABLE', `This search cannot be recorded in the access log (${failed.message}), so it is not run with personal data or restricted collections shown.`, { cause: failed });
  process.stderr.write(`acervo: warning: this search is not recorded in the access log (${failed.message}).\n`);
}

/** A hit as the operator may see it: the file's path and every text masked unless allowed. */
function shownHit(hit: SearchHit, view: AccessView, typed: ReadonlySet<string>, library: Library, catalog: { getDocument(id: number): { title: string | null; relativePath: string } | undefined } | null): SearchHit {
  const text = (value: string) => view.text(value, typed);
  const document = view.showPersonalData ? catalog?.getDocument(hit.documentId) : undefined;
  return {
    ...hit,
    title: document ? (document.title ?? document.relativePath) : text(hit.title),
    source: text(hit.source),
    pdf: text(path.join(library.root, hit.pdf)),
    collection: hit.collection === null ? null : text(hit.collection),
    documentType: hit.documentType === null ? null : text(hit.documentType),
    snippet: maskSnippet(hit.snippet, text, !view.showPersonalData),
  };
}

function printHuman(query: string, total: number, offset: number, hits: SearchHit[]): void {
  if (total === 0) {
    printLine(`No pages match "${query}". Try fewer words, a shorter word (prefixes match), or remove filters.`);
    return;
  }
  const colour = useColour();
  printLine(`${total} page(s) match "${query}"; showing ${offset + 1}–${offset + hits.length}:`);
  hits.forEach((hit, i) => {
    const where = [hit.documentType, hit.collection, hit.year].filter((v) => v !== null && v !== undefined).join(', ');
    printLine('');
    printLine(`${offset + i + 1}. ${hit.title}${where ? ` — ${where}` : ''} — page ${hit.page}`);
    printLine(`   ${snippetForTerminal(hit.snippet, colour)}`);
    printLine(`   ${hit.pdf}#page=${hit.page}`);
  });
}

function printFacets(facets: Facets): void {
  printLine('');
  for (const field of FACET_FIELDS) {
    if (facets[field].length === 0) continue;
    printLine(`${field}: ${facets[field].map((f) => `${f.value} (${f.count})`).join(', ')}`);
  }
}

/** The backend's HTML snippet, for a terminal: marks as bold yellow (or «» without colour). */
export function snippetForTerminal(snippet: string, colour: boolean): string {
  const [open, close] = colour ? ['\u001b[1;33m', '\u001b[0m'] : ['«', '»'];
  return snippet
    .replace(/<mark>/g, open)
    .replace(/<\/mark>/g, close)
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
