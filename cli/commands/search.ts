/** `acervo search <query>`: page-level hits from the library's index. */
import path from 'node:path';
import { Command, Option } from 'commander';
import { loadConfig } from '../../config/load.js';
import { AppError } from '../../core/errors.js';
import { existingLibrary } from '../../core/library.js';
import { FACET_FIELDS, type Facets, type SearchFilters, type SearchHit, type SearchSort } from '../../core/search/search-backend.js';
import { printJson, printLine, useColour } from '../output.js';
import { openSearchBackend } from '../runtime.js';
import { requireLibrary } from './library-option.js';

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
}

export function searchCommand(): Command {
  return new Command('search')
    .description('search the library: accents and case never matter, the last word matches as a prefix')
    .argument('<query...>', 'words to find ("quoted phrase" for exact phrases)')
    .option('-l, --library <dir>', 'library folder')
    .addOption(new Option('-n, --limit <n>', 'hits to show').default(10).argParser(parseCount))
    .addOption(new Option('--offset <n>', 'hits to skip (paging)').default(0).argParser(parseOffset))
    .option('--collection <name...>', 'only these collections')
    .option('--type <type...>', 'only these document types (alvara, decreto, certidao, ...)')
    .option('--language <code...>', 'only these languages (pt, es, en)')
    .addOption(new Option('--personal-data <yes|no>', 'only documents with (yes) or without (no) CPF/CNPJ numbers').choices(['yes', 'no']))
    .option('--year <year|from-to>', 'only this year or range, e.g. 1987 or 1980-1990')
    .addOption(new Option('--sort <order>', 'order of the hits').choices(['relevance', 'date-desc', 'date-asc', 'title']).default('relevance'))
    .option('--facets', 'also count the matching pages per collection, type, year, language and personal data')
    .option('--json', 'print one JSON document on stdout')
    .option('-c, --config <file>', 'config file')
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
  const backend = await openSearchBackend(config, library);
  try {
    const filters: SearchFilters = {
      ...(flags.collection ? { collections: flags.collection } : {}),
      ...(flags.type ? { documentTypes: flags.type } : {}),
      ...(flags.language ? { languages: flags.language } : {}),
      ...(flags.personalData ? { personalData: flags.personalData === 'yes' } : {}),
      ...(flags.year ? parseYearFilter(flags.year) : {}),
    };
    const result = await backend.search({ text: query, limit: flags.limit, offset: flags.offset, filters, sort: flags.sort, facets: Boolean(flags.facets) });
    if (result.total === 0 && (await backend.stats()).documents === 0) {
      process.stderr.write('acervo: the search index is empty; if the library holds documents, run acervo reindex to build it.\n');
    }
    const hits = result.hits.map((hit) => ({ ...hit, pdf: path.join(library.root, hit.pdf) }));
    if (flags.json) {
      printJson({
        query: result.query,
        total: result.total,
        hits: hits.map(({ documentId, title, source, pdf, page, collection, year, documentType, date, language, personalData, snippet, score }) => ({
          documentId, title, source, pdf, page, collection, year, documentType, date, language, personalData, snippet, score,
        })),
        ...(result.facets ? { facets: result.facets } : {}),
      });
    } else {
      printHuman(result.query, result.total, flags.offset, hits);
      if (result.facets) printFacets(result.facets);
    }
    return 0;
  } finally {
    await backend.close();
  }
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
