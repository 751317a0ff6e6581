/**
 * The public part of the archive, decided in one place (issue 26): a document is public when its
 * collection or its type is named in `portal`, its collection is not restricted (access), and staff
 * have not withheld it. Everything the portal answers is built from this set alone: a document not
 * in it has no public id here, so asking for it and asking for nothing take the same path (one map
 * lookup that misses).
 *
 * Read again from the catalog when it changed (checked every CHECK_MS, and at once after a
 * withholding), not on a timer: reading every candidate is the costly part, and it runs on the
 * server's thread; its records
 * hold only what a citizen may read: titles and file names with personal numbers, e-mails and
 * telephones masked (core/redaction/copy-metadata.ts), never paths on the server.
 */
import type { Catalog } from '../../core/catalog/catalog.js';
import type { PortalCandidate } from '../../core/catalog/portal-records.js';
import { maskedForCopy } from '../../core/redaction/copy-metadata.js';
import { foldText } from '../../core/search/text-folding.js';
import { neutralTitle } from './record-words.js';

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

/** How often the catalog is asked whether it changed. */
const CHECK_MS = 2_000;
const fold = (value: string) => foldText(value.trim()).toLowerCase();

export class PublicSet {
  private byPublicId = new Map<string, PublicRecord>();
  private byDocumentId = new Map<number, PublicRecord>();
  private newestFirst: PublicRecord[] = [];
  private readAt = -Infinity;
  private catalogVersion: string | null = null;
  private signature = '';
  private changes = 0;

  constructor(
    private readonly catalog: Catalog,
    private rules: PublicRules,
    private readonly checkMs = CHECK_MS,
  ) {}

  /** New rules (the config re-read): the next read applies them. */
  setRules(rules: PublicRules): void {
    this.rules = rules;
    this.invalidate();
  }

  /** Read again at the next use (after staff withheld or released a document). */
  invalidate(): void {
    this.readAt = -Infinity;
    this.catalogVersion = null;
  }

  isPublic(candidate: Pick<PortalCandidate, 'collection' | 'documentType' | 'withheld'>): boolean {
    if (candidate.withheld) return false;
    const collections = new Set(this.rules.publicCollections.map(fold));
    const types = new Set(this.rules.publicTypes.map(fold));
    const restricted = new Set(this.rules.restrictedCollections.map(fold));
    const collection = candidate.collection === null ? null : fold(candidate.collection);
    if (collection !== null && restricted.has(collection)) return false;
    return (collection !== null && collections.has(collection)) || (candidate.documentType !== null && types.has(fold(candidate.documentType)));
  }

  private fresh(): void {
    const now = performance.now();
    if (now - this.readAt < this.checkMs) return;
    const version = this.catalog.portal().version();
    this.readAt = now;
    if (version === this.catalogVersion) return;
    const candidates = this.catalog.portal().candidates().filter((candidate) => this.isPublic(candidate));
    const missing = candidates.filter((candidate) => candidate.publicId === null).map((candidate) => candidate.id);
    const assigned = missing.length > 0 ? this.catalog.portal().assignPublicIds(missing) : new Map<number, string>();
    const covered = this.catalog.redactionMarks().documentsWithDrawnBoxes();
    const records = candidates.map((candidate) => this.recordOf(candidate, candidate.publicId ?? assigned.get(candidate.id)!, covered.has(candidate.id)));
    // Newest acts first: by the act's date (else its year), undated last, then the newest added.
    records.sort((a, b) => (sortDate(b) ?? '').localeCompare(sortDate(a) ?? '') || (b.addedAt ?? '').localeCompare(a.addedAt ?? '') || b.documentId - a.documentId);
    this.byPublicId = new Map(records.map((record) => [record.publicId, record]));
    this.byDocumentId = new Map(records.map((record) => [record.documentId, record]));
    this.newestFirst = records;
    // Read after the ids assigned above, so they do not count as a change next time.
    this.catalogVersion = this.catalog.portal().version();
    const signature = JSON.stringify(records);
    if (signature !== this.signature) this.changes++;
    this.signature = signature;
  }

  /** What a citizen may read of a public candidate: personal numbers masked; with a drawn box, no own title or unlisted collection. */
  private recordOf(candidate: PortalCandidate, publicId: string, covered: boolean): PublicRecord {
    const dated = { documentType: candidate.documentType, date: candidate.date, year: candidate.year };
    const publicCollection = candidate.collection !== null && this.rules.publicCollections.some((name) => fold(name) === fold(candidate.collection!));
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

  documentIds(): number[] {
    this.fresh();
    return [...this.byDocumentId.keys()];
  }
}

function sortDate(record: PublicRecord): string | null {
  return record.date ?? (record.year === null ? null : `${record.year}`);
}
