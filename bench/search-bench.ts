/**
 * Embedded index benchmark: builds a temporary index of synthetic archive pages and times a mix
 * of the searches clerks make. Returns numbers only; the bench runner prints them.
 *
 * The text is Portuguese-like: real administrative words at the top of a Zipf distribution, a
 * long tail of made-up words (a realistic vocabulary size for typo lookups), OCR-style letter
 * confusions, numbers and dates. A fixed seed makes every run index the same pages.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../config/load.js';
import { Catalog } from '../core/catalog/catalog.js';
import { prepareLibrary } from '../core/library.js';
import { openSqliteFtsBackend } from '../core/search/sqlite-fts-backend.js';
import type { IndexChange, IndexedPage, SearchBackend, SearchQuery } from '../core/search/search-backend.js';
import { buildWebApp } from '../web/app.js';
import { hashPassword } from '../web/auth.js';

export interface SearchBenchOptions {
  pages: number;
  /** Queries timed per kind (exact, prefix, typo, filtered). */
  queriesPerKind?: number;
  seed?: number;
}

export interface SearchBenchResult {
  pages: number;
  documents: number;
  /** Time inside apply() for the whole build (text generation excluded). */
  buildMs: number;
  pagesPerSecond: number;
  indexMB: number;
  queries: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  exactP50Ms: number;
  exactP95Ms: number;
  prefixP50Ms: number;
  prefixP95Ms: number;
  typoP50Ms: number;
  typoP95Ms: number;
  filteredP50Ms: number;
  filteredP95Ms: number;
  /** GET /api/search through `acervo serve`'s app on loopback, facets included, as the page asks. */
  httpP50Ms: number;
  httpP95Ms: number;
  /** Mean hits total per query: how much each query had to rank. */
  meanTotal: number;
}

const PAGE_CHARS = 1500;
/** Pages per apply() while building: the size of a batch when the index is rebuilt from the catalog. */
const PAGES_PER_APPLY = 1000;
const LIMIT = 20;

const COMMON = `de a o que e do da em um para é com não uma os no se na por mais as dos como ao das à seu sua ou
  ser quando há nos já está também só pelo pela até isso entre era depois sem mesmo aos ter seus quem nas esse
  foram essa num nem suas às têm numa pelos havia seja qual será lhe deles essas esses pelas este fosse dele`;
const ARCHIVE = `prefeitura municipal câmara secretaria processo protocolo decreto lei portaria certidão alvará ofício
  memorando licitação contrato prefeito vereador requerimento despacho parecer jurídico licença funcionamento
  construção obra pública pagamento empenho nota fiscal tributo imposto predial territorial urbano cobrança dívida
  ativa inscrição cadastro imóvel lote quadra loteamento rua avenida praça bairro distrito zona rural escola saúde
  hospital posto servidor cargo nomeação exoneração aposentadoria férias gratificação salário folha orçamento
  receita despesa crédito suplementar convênio estado federal união ministério recurso aprovação votação sessão
  ordinária extraordinária ata comissão relatório fiscalização vistoria demolição reforma ampliação terreno área
  metros quadrados valor total reais cruzeiros cruzados data ano mês dia janeiro fevereiro março abril maio junho
  julho agosto setembro outubro novembro dezembro assinatura carimbo arquivo caixa série documento cópia original
  autenticada cartório registro escritura certificado declaração atestado boletim edital publicação diário oficial
  município cidadão senhor senhora excelentíssimo ilustríssimo solicita requer informa comunica encaminha determina
  resolve considerando artigo parágrafo inciso alínea revoga disposições contrário vigor presente termos acordo
  firmado partes contratante contratada objeto prazo vigência dias úteis multa rescisão garantia proposta preço
  menor global item quantidade unidade material serviço fornecimento aquisição merenda escolar transporte
  combustível veículo máquina equipamento manutenção limpeza iluminação pavimentação asfalto drenagem esgoto água
  abastecimento energia elétrica telefone correio número referente anexo segue atenciosamente respeitosamente`;
const SYLLABLES = `ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga go gu la le li lo lu ma me mi mo mu na ne
  ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo ção ções são lha lho nha nho que qui
  tra tre pra pro bra bre cla cre dra fla gra gre ar er or al el il an en in on es as os ão ões ém ário ória mente dade`;
/** Letters OCR confuses, as (read, written) pairs. */
const CONFUSIONS: [string, string][] = [
  ['i', 'l'], ['l', 'i'], ['e', 'c'], ['c', 'e'], ['o', '0'], ['a', 'o'], ['m', 'n'], ['n', 'm'],
  ['u', 'v'], ['ç', 'c'], ['ã', 'a'], ['é', 'e'], ['r', 't'], ['h', 'b'],
];
const COLLECTIONS = ['gabinete', 'obras', 'fazenda', 'educação', 'saúde', 'câmara'];
const TITLES = ['Alvará de funcionamento', 'Processo administrativo', 'Decreto municipal', 'Ofício', 'Certidão', 'Edital de licitação', 'Portaria', 'Ata da sessão'];
const VOCABULARY_SIZE = 40_000;

const words = (list: string) => list.split(/\s+/).filter((word) => word !== '');

/** mulberry32: small, fast and the same on every machine. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Corpus {
  readonly archiveWords = words(ARCHIVE);
  private readonly words: string[];
  private readonly cumulative: Float64Array;

  constructor(private readonly random: () => number) {
    const seen = new Set([...words(COMMON), ...this.archiveWords]);
    const syllables = words(SYLLABLES);
    this.words = [...seen];
    while (this.words.length < VOCABULARY_SIZE) {
      let word = '';
      const count = 2 + Math.floor(random() * 3);
      for (let i = 0; i < count; i += 1) word += this.pick(syllables);
      if (!seen.has(word)) {
        seen.add(word);
        this.words.push(word);
      }
    }
    this.cumulative = new Float64Array(this.words.length);
    let sum = 0;
    this.words.forEach((_, rank) => {
      sum += 1 / Math.pow(rank + 1, 1.05);
      this.cumulative[rank] = sum;
    });
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)] as T;
  }

  int(below: number): number {
    return Math.floor(this.random() * below);
  }

  private zipfWord(): string {
    const target = this.random() * (this.cumulative[this.cumulative.length - 1] as number);
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.cumulative[middle] as number) < target) low = middle + 1;
      else high = middle;
    }
    return this.words[low] as string;
  }

  misread(word: string): string {
    for (const [from, to] of CONFUSIONS) {
      const at = word.indexOf(from, 1);
      if (at > 0 && this.random() < 0.5) return word.slice(0, at) + to + word.slice(at + from.length);
    }
    return word;
  }

  text(): string {
    const out: string[] = [];
    let length = 0;
    while (length < PAGE_CHARS) {
      let word = this.zipfWord();
      const roll = this.random();
      if (roll < 0.03) word = this.misread(word);
      else if (roll < 0.05) word = `${this.int(9999)}/${1950 + this.int(70)}`;
      else if (roll < 0.13) word = word.charAt(0).toUpperCase() + word.slice(1);
      else if (roll < 0.15) word = word.toUpperCase();
      if (this.random() < 0.07) word += '.';
      out.push(word);
      length += word.length + 1;
    }
    return out.join(' ');
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const round = (value: number) => Math.round(value * 100) / 100;

type Kind = 'exact' | 'prefix' | 'typo' | 'filtered';

function makeQueries(corpus: Corpus, perKind: number): { kind: Kind; query: SearchQuery }[] {
  const long = corpus.archiveWords.filter((word) => word.length >= 6);
  const out: { kind: Kind; query: SearchQuery }[] = [];
  const base = { limit: LIMIT, offset: 0 };
  for (let i = 0; i < perKind; i += 1) {
    const one = corpus.pick(corpus.archiveWords);
    const two = corpus.pick(corpus.archiveWords);
    out.push({ kind: 'exact', query: { ...base, text: i % 3 === 0 ? `"${one} ${two}"` : i % 3 === 1 ? `${one} ${two}` : one } });
    const stem = corpus.pick(long);
    const typed = stem.slice(0, 3 + corpus.int(3));
    out.push({ kind: 'prefix', query: { ...base, text: i % 2 === 0 ? typed : `${corpus.pick(corpus.archiveWords)} ${typed}` } });
    const word = corpus.pick(long);
    const at = 1 + corpus.int(word.length - 2);
    const typo = i % 2 === 0 ? word.slice(0, at) + 'x' + word.slice(at + 1) : word.slice(0, at) + word.charAt(at + 1) + word.charAt(at) + word.slice(at + 2);
    out.push({ kind: 'typo', query: { ...base, text: typo } });
    const from = 1950 + corpus.int(60);
    out.push({
      kind: 'filtered',
      query: {
        ...base,
        text: corpus.pick(corpus.archiveWords),
        filters: i % 2 === 0 ? { collections: [corpus.pick(COLLECTIONS)], yearFrom: from, yearTo: from + 10 } : { yearFrom: from, yearTo: from },
      },
    });
  }
  return out;
}

export async function benchSearch(opts: SearchBenchOptions): Promise<SearchBenchResult> {
  const random = prng(opts.seed ?? 20240601);
  const corpus = new Corpus(random);
  const folder = mkdtempSync(join(tmpdir(), 'acervo-search-bench-'));
  const file = join(folder, 'index.sqlite');
  try {
    const backend = openSqliteFtsBackend(file);
    let buildMs = 0;
    let documents = 0;
    let made = 0;
    const times: Record<Kind, number[]> = { exact: [], prefix: [], typo: [], filtered: [] };
    let httpTimes: number[] = [];
    let totals = 0;
    try {
      while (made < opts.pages) {
        const changes: IndexChange[] = [];
        let batch = 0;
        while (batch < PAGES_PER_APPLY && made < opts.pages) {
          documents += 1;
          const count = Math.min(1 + corpus.int(8), opts.pages - made);
          const title = `${corpus.pick(TITLES)} nº ${corpus.int(999)}/${1950 + corpus.int(70)}`;
          const collection = corpus.pick(COLLECTIONS);
          const year = 1950 + corpus.int(70);
          const documentType = title.split(' ')[0]!.toLowerCase();
          const date = `${year}-${String(1 + corpus.int(11)).padStart(2, '0')}-${String(1 + corpus.int(27)).padStart(2, '0')}`;
          const personalData = corpus.int(9) === 0;
          const pages: IndexedPage[] = [];
          for (let pageNo = 1; pageNo <= count; pageNo += 1) {
            pages.push({ documentId: documents, pageNo, title, source: `/scans/${documents}.tif`, pdf: `pdf/${documents}.pdf`, collection, year, documentType, date, language: 'pt', personalData, text: corpus.text(), identifiers: '' });
          }
          changes.push({ op: 'upsert', documentId: documents, pages });
          made += count;
          batch += count;
        }
        const started = performance.now();
        await backend.apply(changes);
        buildMs += performance.now() - started;
      }

      const queries = makeQueries(corpus, opts.queriesPerKind ?? 50);
      for (const { query } of queries.slice(0, 10)) await backend.search(query); // warm the page cache
      for (const { kind, query } of queries) {
        const started = performance.now();
        const result = await backend.search(query);
        times[kind].push(performance.now() - started);
        totals += result.total;
      }
      // The same searches as the clerks' page asks them (with facet counts), over real HTTP.
      httpTimes = await timeOverHttp(backend, folder, queries.map((q) => q.query));
    } finally {
      await backend.close();
    }

    const sorted = (list: number[]) => [...list].sort((a, b) => a - b);
    const all = sorted(Object.values(times).flat());
    const kinds = Object.fromEntries(Object.entries(times).map(([kind, list]) => [kind, sorted(list)])) as Record<Kind, number[]>;
    return {
      pages: made,
      documents,
      buildMs: Math.round(buildMs),
      pagesPerSecond: buildMs > 0 ? Math.round(made / (buildMs / 1000)) : 0,
      indexMB: round(statSync(file).size / 1e6),
      queries: all.length,
      p50Ms: round(percentile(all, 50)),
      p95Ms: round(percentile(all, 95)),
      maxMs: round(all[all.length - 1] ?? 0),
      exactP50Ms: round(percentile(kinds.exact, 50)),
      exactP95Ms: round(percentile(kinds.exact, 95)),
      prefixP50Ms: round(percentile(kinds.prefix, 50)),
      prefixP95Ms: round(percentile(kinds.prefix, 95)),
      typoP50Ms: round(percentile(kinds.typo, 50)),
      typoP95Ms: round(percentile(kinds.typo, 95)),
      filteredP50Ms: round(percentile(kinds.filtered, 50)),
      filteredP95Ms: round(percentile(kinds.filtered, 95)),
      meanTotal: Math.round(totals / Math.max(1, all.length)),
      httpP50Ms: round(percentile(sorted(httpTimes), 50)),
      httpP95Ms: round(percentile(sorted(httpTimes), 95)),
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Times each query through the web app (listening on loopback, signed in), as the search page sends it. */
async function timeOverHttp(backend: SearchBackend, folder: string, queries: readonly SearchQuery[]): Promise<number[]> {
  const library = await prepareLibrary(join(folder, 'library'));
  const catalog = Catalog.open(library.catalogFile);
  const settings = loadConfig({ env: {}, cwd: folder, flags: { serve: { users: [{ name: 'bench', role: 'clerk', passwordHash: await hashPassword('bench-password') }], requestsPerMinute: 1_000_000 } } }).serve;
  const app = await buildWebApp({ library, catalog, backend, settings, sessionSecret: randomBytes(32), rebuildIndex: async () => ({ documents: 0, pages: 0 }), log: pino({ level: 'silent' }), version: 'bench' });
  try {
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const signedIn = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench', password: 'bench-password' }) });
    const cookie = signedIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const times: number[] = [];
    for (const query of queries) {
      const params = new URLSearchParams({ q: query.text, pageSize: String(query.limit) });
      for (const collection of query.filters?.collections ?? []) params.append('collection', collection);
      if (query.filters?.yearFrom !== undefined) params.set('yearFrom', String(query.filters.yearFrom));
      if (query.filters?.yearTo !== undefined) params.set('yearTo', String(query.filters.yearTo));
      const started = performance.now();
      const response = await fetch(`${url}/api/search?${params}`, { headers: { cookie } });
      await response.json();
      times.push(performance.now() - started);
      if (!response.ok) throw new Error(`GET /api/search answered ${response.status}`);
    }
    return times;
  } finally {
    await app.close();
    catalog.close();
  }
}

