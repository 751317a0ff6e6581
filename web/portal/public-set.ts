/**
 * The public part of the archive, decided in one place (issue 26): a document is public when its
 * collection or its type is named in `portal`, its collection is not restricted (access), and staff
 * have not withheld it. Everything the portal answers is built from this set alone: a document not
 * in it has no public id here, so asking for it and asking for nothing take the same path (one map
 * lookup that misses). Its records hold only what a citizen may read: titles and file names with
 * personal numbers, e-mails and telephones masked (core/redaction/copy-metadata.ts), a neutral
 * title for a document with a drawn box (record-words.ts), never paths on the server.
 *
 * Kept up to date without reading the whole catalog on a request (a million documents take
 * seconds to read): every use asks whether the catalog changed (two pragmas), and if so reads
 * again only the documents it can tell changed — corrected, added, withheld or released, a box
 * drawn or removed — so a withheld document or one corrected into a restricted collection is gone
 * from the next answer. What no mark tells (a document converted again in place, one deleted) is
 * caught by a full read in the background, in slices of a few milliseconds between requests
 * (sliced-work.ts), at most once per `rebuildEveryMs` while the catalog keeps changing.
 */
import type { Catalog } from '../../core/catalog/catalog.js';
import type { ChangeMarks, PortalCandidate } from '../../core/catalog/portal-records.js';
import { maskedForCopy } from '../../core/redaction/copy-metadata.js';
import { documentSetOfBits, markDocument, withRule, type DocumentRule, type DocumentSet } from '../../core/search/document-set.js';
import { fold, foldRules, publicSearchRule } from './public-search-rule.js';
import { newestFirst, placeOf } from './newest-first.js';
import { neutralTitle } from './record-words.js';
import { runNow, runSliced, sliceClock, sortSliced, type Sliced } from './sliced-work.js';

/** A public document as citizens see it. */
export interface PublicRecord {
  publicId: string;
  documentId: number;
  title: string;
  documentType: string | null;
  collection: string | null;
  year: number | null;
  date: string | null;
  language: string | null;
  pages: number;
  /** When it was published here (converted), ISO. */
  addedAt: string | null;
  /** Staff drew a box in it: its own title and collection are not shown (record-words.ts). */
  covered: boolean;
}

export interface PublicRules {
  publicCollections: readonly string[];
  publicTypes: readonly string[];
  /** Restricted collections (access.restrictedCollections): never public, whatever else says. */
  restrictedCollections: readonly string[];
}

/** At most one full read in the background per minute while the catalog keeps changing. */
const REBUILD_MS = 60_000;
/** Candidates read per statement: in the background (a few ms a statement), and at once at startup (fewer statements, less cost a row). */
const SLICED_ROWS = 500;
const STARTUP_ROWS = 10_000;
const ASSIGN_ROWS = 2_000;

/** The search set's members (public, no drawn box) as bits, kept with the set, and how many. */
interface Searchable {
  bits: Uint32Array;
  size: number;
}

function mark(searchable: Searchable, id: number, member: boolean): void {
  const { bits, moved } = markDocument(searchable.bits, id, member);
  searchable.bits = bits;
  searchable.size += moved;
}

/** What a full read found, with what it knew of the catalog when it began. */
interface FullRead {
  records: PublicRecord[];
  byDocumentId: Map<number, PublicRecord>;
  byPublicId: Map<string, PublicRecord>;
  collections: Map<number, string | null>;
  /** Every collection and type name the candidates have, as filed (public or not). */
  names: { collections: Set<string>; types: Set<string> };
  searchable: Searchable;
  changed: boolean;
  marks: ChangeMarks;
  withheld: Set<number>;
  covered: Set<number>;
  version: string;
}

export class PublicSet {
  private byPublicId = new Map<string, PublicRecord>();
  private byDocumentId = new Map<number, PublicRecord>();
  /** Each public document's collection as filed (the records' may be masked or left out): a rule change applies at once. */
  private collections = new Map<number, string | null>();
  private newestFirst: PublicRecord[] = [];
  private built = false;
  private catalogVersion: string | null = null;
  /** The catalog's version when the last full read began: a new one is wanted only once it moved. */
  private readVersion: string | null = null;
  private marks: ChangeMarks = { correction: 0, document: 0 };
  private withheld = new Set<number>();
  private covered = new Set<number>();
  private changes = 0;
  private rebuilding: Promise<void> | null = null;
  /** Documents read again while a full read runs: read again on top of it when it is put in place. */
  private touched: Set<number> | null = null;
  private rebuildAgain = false;
  private rebuildTimer: NodeJS.Timeout | null = null;
  private lastRebuild = -Infinity;
  /** Every collection and type name among the candidates as filed, public or not (the search set's rule names them). */
  private names = { collections: new Set<string>(), types: new Set<string>() };
  /** The search set's members, kept as records come and go: a change costs one bit, not a walk of the set. */
  private searchable: Searchable = { bits: new Uint32Array(0), size: 0 };
  /** The search set, made again only when the set changed (`changes`); its rule when the catalog or the rules did. */
  private prepared: { changes: number; set: DocumentSet; ruleFor: string | null; ruleRules: PublicRules | null; ruleReadRules: PublicRules | null } | null = null;
  /**
   * The rules the set was last read whole under. Until new rules have been read whole, the set holds
   * what both allow (what the new ones no longer allow goes at once; what they newly allow comes
   * with the read): the search set's rule says the same.
   */
  private readRules: PublicRules;

  constructor(
    private readonly catalog: Catalog,
    private rules: PublicRules,
    private readonly rebuildEveryMs = REBUILD_MS,
  ) {
    this.readRules = rules;
  }

  /** New rules (the config re-read): what they no longer allow goes at once; what they newly allow comes with a full read, begun now. */
  setRules(rules: PublicRules): void {
    this.rules = rules;
    if (!this.built) return;
    const gone = this.newestFirst.filter((record) => !this.isPublic({ collection: this.collections.get(record.documentId) ?? null, documentType: record.documentType, withheld: 0 }));
    if (gone.length > 0) {
      const out = new Set(gone.map((record) => record.documentId));
      this.newestFirst = this.newestFirst.filter((record) => !out.has(record.documentId));
      for (const record of gone) {
        mark(this.searchable, record.documentId, false);
        this.byDocumentId.delete(record.documentId);
        this.byPublicId.delete(record.publicId);
        this.collections.delete(record.documentId);
      }
      this.changes++;
    }
    this.requestRebuild(true);
  }

  /** Look at the catalog again at the next use (after staff withheld or released a document). */
  invalidate(): void {
    this.catalogVersion = null;
  }

  /** Resolves once no full read is waiting or running (startup, tests). */
  async settled(): Promise<void> {
    while (this.rebuilding || this.rebuildTimer) {
      if (this.rebuildTimer) {
        clearTimeout(this.rebuildTimer);
        this.rebuildTimer = null;
        this.rebuilding = this.rebuild();
      }
      await this.rebuilding;
    }
  }

  isPublic(candidate: Pick<PortalCandidate, 'collection' | 'documentType' | 'withheld'>): boolean {
    if (candidate.withheld) return false;
    const rules = this.foldedRules();
    const collection = candidate.collection === null ? null : fold(candidate.collection);
    if (collection !== null && rules.restricted.has(collection)) return false;
    return (collection !== null && rules.collections.has(collection)) || (candidate.documentType !== null && rules.types.has(fold(candidate.documentType)));
  }

  /** The rules' names folded once per rules (a full read asks a million times). */
  private foldedRules() {
    return foldRules(this.rules);
  }

  private fresh(): void {
    if (!this.built) {
      // First use: read whole at once (serve does it before it listens).
      this.install(runNow(this.readAll(STARTUP_ROWS)));
      return;
    }
    if (this.catalog.portal().version() === this.catalogVersion) return;
    this.catchUp();
    // Read after the ids assigned above, so they do not count as a change next time.
    this.catalogVersion = this.catalog.portal().version();
    if (this.catalogVersion !== this.readVersion) this.requestRebuild(false);
  }

  /** Reads again the documents the catalog tells changed since last time. */
  private catchUp(): void {
    const portal = this.catalog.portal();
    const changed = portal.changedSince(this.marks);
    this.marks = changed.marks;
    const ids = new Set(changed.documentIds);
    const withheld = portal.withheldIds();
    const covered = this.catalog.redactionMarks().documentsWithDrawnBoxes();
    for (const [before, now] of [[this.withheld, withheld], [this.covered, covered]] as const) {
      for (const id of now) if (!before.has(id)) ids.add(id);
      for (const id of before) if (!now.has(id)) ids.add(id);
    }
    this.withheld = withheld;
    this.covered = covered;
    if (ids.size > 0) this.readAgain([...ids]);
  }

  private readAgain(ids: readonly number[]): void {
    for (const id of ids) this.touched?.add(id);
    const portal = this.catalog.portal();
    const found = new Map(portal.candidatesOf(ids).map((candidate) => [candidate.id, candidate]));
    for (const candidate of found.values()) this.noteNames(this.names, candidate);
    const missing = [...found.values()].filter((candidate) => candidate.publicId === null && this.isPublic(candidate)).map((candidate) => candidate.id);
    const assigned = missing.length > 0 ? portal.assignPublicIds(missing) : new Map<number, string>();
    let changed = false;
    for (const id of ids) {
      const candidate = found.get(id);
      const next = candidate && this.isPublic(candidate) ? this.recordOf(candidate, candidate.publicId ?? assigned.get(id)!, this.covered.has(id)) : undefined;
      if (this.put(id, next, candidate?.collection ?? null)) changed = true;
    }
    if (changed) this.changes++;
  }

  /** One document in or out of the set, in its place in the order; false when nothing changed. */
  private put(documentId: number, next: PublicRecord | undefined, collection: string | null): boolean {
    const old = this.byDocumentId.get(documentId);
    if (old === undefined && next === undefined) return false;
    if (old !== undefined && next !== undefined && sameRecord(old, next)) return false;
    mark(this.searchable, documentId, next !== undefined && !next.covered);
    if (old !== undefined) {
      this.newestFirst.splice(placeOf(this.newestFirst, old), 1);
      this.byDocumentId.delete(documentId);
      this.byPublicId.delete(old.publicId);
      this.collections.delete(documentId);
    }
    if (next !== undefined) {
      this.newestFirst.splice(placeOf(this.newestFirst, next), 0, next);
      this.byDocumentId.set(documentId, next);
      this.byPublicId.set(next.publicId, next);
      this.collections.set(documentId, collection);
    }
    return true;
  }

  private requestRebuild(now: boolean): void {
    if (this.rebuilding) {
      this.rebuildAgain = true;
      return;
    }
    if (this.rebuildTimer && !now) return;
    if (this.rebuildTimer) clearTimeout(this.rebuildTimer);
    const wait = now ? 0 : Math.max(0, this.lastRebuild + this.rebuildEveryMs - performance.now());
    this.rebuildTimer = setTimeout(() => {
      this.rebuildTimer = null;
      this.rebuilding = this.rebuild();
    }, wait);
    this.rebuildTimer.unref();
  }

  private async rebuild(): Promise<void> {
    this.lastRebuild = performance.now();
    this.touched = new Set();
    const rules = this.rules;
    try {
      const read = await runSliced(this.readAll(SLICED_ROWS));
      // Rules changed while it read: what it read follows the old ones.
      if (rules !== this.rules) this.rebuildAgain = true;
      else this.install(read);
    } catch {
      // The catalog closed under it (serve stopping), or a read failed: the set stays as it was.
    } finally {
      this.touched = null;
      this.rebuilding = null;
      if (this.rebuildAgain) {
        this.rebuildAgain = false;
        this.requestRebuild(false);
      }
    }
  }

  /** Every candidate, a slice at a time: the new set, built beside the one in use. */
  private *readAll(rows: number): Sliced<FullRead> {
    const portal = this.catalog.portal();
    const clock = sliceClock();
    const start = { version: portal.version(), marks: portal.marksNow(), withheld: portal.withheldIds(), covered: this.catalog.redactionMarks().documentsWithDrawnBoxes() };
    const records: PublicRecord[] = [];
    const byDocumentId = new Map<number, PublicRecord>();
    const byPublicId = new Map<string, PublicRecord>();
    const collections = new Map<number, string | null>();
    const names = { collections: new Set<string>(), types: new Set<string>() };
    const searchable: Searchable = { bits: new Uint32Array(0), size: 0 };
    let changed = false;
    const take = (candidate: PortalCandidate, publicId: string) => {
      const made = this.recordOf(candidate, publicId, start.covered.has(candidate.id));
      const old = this.byDocumentId.get(made.documentId);
      // The record in use when unchanged: the new one dies young, and the old heap is not churned.
      const same = old !== undefined && sameRecord(old, made);
      const record = same ? old : made;
      if (!same) changed = true;
      records.push(record);
      if (!record.covered) mark(searchable, record.documentId, true);
      byDocumentId.set(record.documentId, record);
      byPublicId.set(record.publicId, record);
      collections.set(record.documentId, candidate.collection);
    };
    // New public ids are written a few thousand to a transaction (a first start on a big catalog assigns them all).
    let waiting: PortalCandidate[] = [];
    const assignWaiting = () => {
      const assigned = portal.assignPublicIds(waiting.map((candidate) => candidate.id));
      for (const candidate of waiting) take(candidate, assigned.get(candidate.id)!);
      waiting = [];
    };
    for (let after = 0; ; ) {
      const candidates = portal.candidatesAfter(after, rows);
      if (candidates.length === 0) break;
      after = candidates.at(-1)!.id;
      for (const candidate of candidates) {
        this.noteNames(names, candidate);
        if (!this.isPublic(candidate)) continue;
        if (candidate.publicId === null) waiting.push(candidate);
        else take(candidate, candidate.publicId);
      }
      if (waiting.length >= ASSIGN_ROWS) assignWaiting();
      if (clock.spent()) yield;
    }
    if (waiting.length > 0) assignWaiting();
    const sorted = yield* sortSliced(records, newestFirst);
    return { records: sorted, byDocumentId, byPublicId, collections, names, searchable, changed: changed || byDocumentId.size !== this.byDocumentId.size, ...start };
  }

  /** Puts a full read in place, then reads again what changed while it read. */
  private install(read: FullRead): void {
    this.newestFirst = read.records;
    this.byDocumentId = read.byDocumentId;
    this.byPublicId = read.byPublicId;
    this.collections = read.collections;
    this.names = read.names;
    this.searchable = read.searchable;
    // Installed only when read under the rules in force (rebuild).
    this.readRules = this.rules;
    this.readVersion = read.version;
    if (read.changed || !this.built) this.changes++;
    if (!this.built) {
      this.built = true;
      this.marks = read.marks;
      this.withheld = read.withheld;
      this.covered = read.covered;
      // As it was when the read began: what changed while it read (another process) is caught up at the next use.
      this.catalogVersion = read.version;
      this.lastRebuild = performance.now();
    }
    const touched = [...(this.touched ?? [])];
    if (touched.length > 0) this.readAgain(touched);
  }

  /** What a citizen may read of a public candidate: personal numbers masked; with a drawn box, no own title or unlisted collection. */
  private recordOf(candidate: PortalCandidate, publicId: string, covered: boolean): PublicRecord {
    const dated = { documentType: candidate.documentType, date: candidate.date, year: candidate.year };
    const publicCollection = candidate.collection !== null && this.foldedRules().collections.has(fold(candidate.collection));
    const collection = candidate.collection === null || (covered && !publicCollection) ? null : maskedForCopy(candidate.collection);
    return {
      publicId,
      documentId: candidate.id,
      title: covered ? neutralTitle(dated, 'pt') : maskedForCopy(candidate.title ?? candidate.relativePath.split('/').pop()!.replace(/\.[a-z0-9]+$/i, '')),
      ...dated,
      collection,
      language: candidate.language,
      pages: candidate.pageCount,
      addedAt: candidate.convertedAt,
      covered,
    };
  }

  private noteNames(names: FullRead['names'], candidate: PortalCandidate): void {
    if (candidate.collection !== null) names.collections.add(candidate.collection);
    if (candidate.documentType !== null) names.types.add(candidate.documentType);
  }

  /**
   * What a citizen's search may find, as a prepared filter (core/search/document-set.ts): the public
   * documents without a drawn box (a hit by the words under a box would tell what it covers). Made
   * again only when the set changed, so a search does no work that grows with the set; its rule
   * (the same documents named by collection and type, for a backend that filters by fields, i.e.
   * Meilisearch) is made again when the catalog changed.
   */
  searchSet(): DocumentSet {
    this.fresh();
    if (this.prepared?.changes !== this.changes) {
      this.prepared = { changes: this.changes, set: documentSetOfBits(this.searchable.bits, this.searchable.size), ruleFor: null, ruleRules: null, ruleReadRules: null };
    }
    const prepared = this.prepared;
    if (prepared.ruleFor !== this.catalogVersion || prepared.ruleRules !== this.rules || prepared.ruleReadRules !== this.readRules) {
      prepared.set = withRule(prepared.set, this.ruleOf(prepared.set));
      prepared.ruleFor = this.catalogVersion;
      prepared.ruleRules = this.rules;
      prepared.ruleReadRules = this.readRules;
    }
    return prepared.set;
  }

  /** The search set by names, for a backend that filters by fields (public-search-rule.ts). */
  private ruleOf(set: DocumentSet): DocumentRule | null {
    return publicSearchRule(this.catalog.portal(), set, { withheld: this.withheld, covered: this.covered, names: this.names, rules: this.rules, readRules: this.readRules });
  }

  /** Changes whenever what the set holds changes: answers made from it are kept under it. */
  generation(): number {
    this.fresh();
    return this.changes;
  }

  /** The public document with this public id, or undefined (not public and not existing look alike). */
  get(publicId: string): PublicRecord | undefined {
    this.fresh();
    return this.byPublicId.get(publicId);
  }

  ofDocument(documentId: number): PublicRecord | undefined {
    this.fresh();
    return this.byDocumentId.get(documentId);
  }

  /** Every public document, newest act first. */
  all(): readonly PublicRecord[] {
    this.fresh();
    return this.newestFirst;
  }
}

function sameRecord(a: PublicRecord, b: PublicRecord): boolean {
  return (Object.keys(a) as Array<keyof PublicRecord>).every((key) => a[key] === b[key]);
}
