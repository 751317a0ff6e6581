/**
 * A prepared set of document ids for the `documentSet` search filter (issue 26): made once by its
 * owner (the portal's public set, web/portal/public-set.ts) and handed to every search as is, so a
 * search does no work that grows with the set — no list of a million ids copied, hashed or
 * written into a request per query.
 *
 * - The members are bits in a SharedArrayBuffer: a backend on this thread tests one bit a document;
 *   posted to a search thread (core/search/embedded/search-threads.ts) the buffer is shared, not
 *   copied; `key` names the contents for answer caches (never the bits).
 * - A backend that cannot take the bits (Meilisearch, over HTTP) lists the ids when they are few,
 *   and otherwise writes the owner's `rule`: the members described by their names, with the few
 *   documents the names would wrongly take in listed to be left out (meilisearch-filters.ts).
 *
 * Treat a set as immutable: an owner whose members change makes a new one (a new key).
 */
import { AppError } from '../errors.js';

/**
 * The members as names, for a backend that filters by fields. Members are exactly the documents
 * the index may hold for which
 *   ( collection ∈ collections
 *     OR (documentType ∈ documentTypes AND (collection ∈ otherCollections OR no collection))
 *     OR documentId ∈ alsoIds ) AND documentId ∉ exceptIds,
 * with the values the index holds, names compared exactly as stored. Only names listed let a
 * document in: a collection the owner has not seen (or one in `excludeCollections`, the restricted
 * ones) keeps it out, whatever its type. The owner promises that every document the index may hold
 * that this formula takes but that is not a member is in `exceptIds` (withheld, with a drawn box,
 * not yet indexed as the catalog has it now, …), and that every member the names may not take (the
 * index does not yet hold it as the catalog has it) is in `alsoIds`. A backend that compares names
 * less exactly than "as stored" must check that its comparison keeps the three lists of collections
 * apart, and the two of types (`otherTypes`: the types seen that let nothing in), and else not use
 * the rule.
 */
export interface DocumentRule {
  collections: string[];
  documentTypes: string[];
  excludeCollections: string[];
  otherCollections: string[];
  otherTypes: string[];
  exceptIds: number[];
  alsoIds: number[];
}

export interface DocumentSet {
  /** Names the members: two sets with the same key have the same members (for answer caches). */
  readonly key: string;
  /** How many members. */
  readonly size: number;
  /** Bit `id` (word id >>> 5, bit id & 31) set for each member; on a SharedArrayBuffer. */
  readonly bits: Uint32Array;
  /** The members as names, when the owner can say them so (see DocumentRule); may change without the key. */
  readonly rule: DocumentRule | null;
}

let made = 0;
const PROCESS = `${process.pid}-${Date.now().toString(36)}`;

/** A set of these ids (whole numbers ≥ 0), with its rule if the owner has one. */
export function makeDocumentSet(ids: Iterable<number>, rule: DocumentRule | null = null): DocumentSet {
  const list = Array.isArray(ids) ? (ids as number[]) : [...ids];
  let largest = -1;
  for (const id of list) {
    if (!Number.isSafeInteger(id) || id < 0 || id > 0xffffffff) throw new AppError('INTERNAL', `A document set holds document ids (whole numbers ≥ 0), not ${String(id)}.`);
    if (id > largest) largest = id;
  }
  const bits = new Uint32Array(new SharedArrayBuffer(largest < 0 ? 0 : 4 * ((largest >>> 5) + 1)));
  let size = 0;
  for (const id of list) {
    const word = id >>> 5;
    const bit = 1 << (id & 31);
    if ((bits[word]! & bit) === 0) size += 1;
    bits[word] = bits[word]! | bit;
  }
  made += 1;
  return { key: `documents:${PROCESS}:${made}:${size}`, size, bits, rule };
}

/**
 * A set of the members marked in `bits` (`size` of them, as the owner counted): the bits copied
 * once into shared memory, a few hundred kilobytes for ids up to a million and more — what an
 * owner that keeps its members as bits (web/portal/public-set.ts) pays per change, not per search.
 */
export function documentSetOfBits(bits: Uint32Array, size: number, rule: DocumentRule | null = null): DocumentSet {
  let words = bits.length;
  while (words > 0 && bits[words - 1] === 0) words -= 1;
  const shared = new Uint32Array(new SharedArrayBuffer(4 * words));
  shared.set(bits.subarray(0, words));
  made += 1;
  return { key: `documents:${PROCESS}:${made}:${size}`, size, bits: shared, rule };
}

/** Marks or unmarks `id` in growable bits; returns the bits (grown when needed) and by how much the count moved. */
export function markDocument(bits: Uint32Array, id: number, member: boolean): { bits: Uint32Array; moved: -1 | 0 | 1 } {
  const word = id >>> 5;
  if (word >= bits.length) {
    if (!member) return { bits, moved: 0 };
    const grown = new Uint32Array(Math.max(word + 1, bits.length * 2, 32));
    grown.set(bits);
    bits = grown;
  }
  const bit = 1 << (id & 31);
  const was = ((bits[word] as number) & bit) !== 0;
  if (was === member) return { bits, moved: 0 };
  bits[word] = (bits[word] as number) ^ bit;
  return { bits, moved: member ? 1 : -1 };
}

/** The same members with another rule (the key kept: the members did not change). */
export function withRule(set: DocumentSet, rule: DocumentRule | null): DocumentSet {
  return { key: set.key, size: set.size, bits: set.bits, rule };
}

export function inDocumentSet(set: Pick<DocumentSet, 'bits'>, id: number): boolean {
  const word = id >>> 5;
  return id >= 0 && word < set.bits.length && (set.bits[word]! & (1 << (id & 31))) !== 0;
}

/** The members, in increasing order (walks the bits: for a backend that must list them). */
export function documentSetIds(set: Pick<DocumentSet, 'bits'>): number[] {
  const ids: number[] = [];
  const { bits } = set;
  for (let word = 0; word < bits.length; word += 1) {
    let value = bits[word]!;
    while (value !== 0) {
      const low = value & -value;
      ids.push(word * 32 + (31 - Math.clz32(low)));
      value ^= low;
    }
  }
  return ids;
}

/** Whether `value` is a document set as this module makes them (a filter may come from a caller's JSON). */
export function isDocumentSet(value: unknown): value is DocumentSet {
  if (value === null || typeof value !== 'object') return false;
  const set = value as Partial<DocumentSet>;
  return typeof set.key === 'string' && Number.isSafeInteger(set.size) && set.bits instanceof Uint32Array && (set.rule === null || (typeof set.rule === 'object' && set.rule !== undefined));
}
