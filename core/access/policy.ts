/**
 * The one place that decides what a user may see (issue 20, LGPD). Every channel — the search API,
 * the document view, the PDFs, `acervo search` — asks the user's `AccessView` and nothing else:
 *
 * - restricted collections (config `access.restrictedCollections`, e.g. Pessoal, Saúde) exist only
 *   for the roles and users named there: for anyone else they are left out of searches (hits,
 *   totals, facets) and their documents are "not found", as a document that does not exist;
 * - personal numbers (CPF, RG, PIS, título, CUIL…) are shown only to users with the personal-data
 *   permission; for the others every digit is masked, except in a number the user typed whole.
 *
 * Collection names match as folded (case and accents do not matter: `Saude` restricts `Saúde`).
 */
import { maskPersonalNumbers } from '../privacy/personal-numbers.js';
import { foldText } from '../search/text-folding.js';

export type AccessRole = 'clerk' | 'archivist' | 'admin';

export interface AccessPrincipal {
  name: string;
  role: AccessRole | string;
  /** May see personal numbers unmasked. */
  personalData: boolean;
}

export interface RestrictedCollection {
  collection: string;
  /** Roles that may see it. */
  roles?: readonly string[];
  /** Users that may see it, whatever their role. */
  users?: readonly string[];
}

export interface AccessView {
  readonly principal: AccessPrincipal;
  /** Personal numbers shown as written. */
  readonly showPersonalData: boolean;
  /** The collections, as stored, this user may not see: what searches exclude. */
  hiddenCollections(): string[];
  maySeeCollection(collection: string | null): boolean;
  /** Text as this user may see it: personal numbers masked unless allowed or typed whole (`shown`: their keys). */
  text(text: string, shown?: ReadonlySet<string>): string;
  /** The same for text that may be absent. */
  optionalText(text: string | null, shown?: ReadonlySet<string>): string | null;
}

/**
 * How often the stored collection names are read again: a restricted collection first stored under
 * a new spelling is excluded from searches within this time (its documents are refused at once, and
 * callers drop hits of collections the user may not see).
 */
const COLLECTIONS_TTL_MS = 5_000;

const fold = (name: string) => foldText(name.trim()).toLowerCase();

export class AccessPolicy {
  private readonly restricted: ReadonlyArray<RestrictedCollection & { folded: string }>;
  private stored: { names: string[]; at: number } | null = null;

  /** `collectionNames`: every collection name the library holds, as stored (the catalog's). */
  constructor(
    restricted: readonly RestrictedCollection[],
    private readonly collectionNames: () => string[],
  ) {
    this.restricted = restricted.map((entry) => ({ ...entry, folded: fold(entry.collection) }));
  }

  /** Whether `principal` may see collection `collection` (null: no collection, never restricted). */
  maySeeCollection(principal: AccessPrincipal, collection: string | null): boolean {
    if (collection === null) return true;
    const folded = fold(collection);
    return this.restricted.every((entry) => entry.folded !== folded || entry.roles?.includes(principal.role) === true || entry.users?.includes(principal.name) === true);
  }

  view(principal: AccessPrincipal): AccessView {
    const showPersonalData = principal.personalData;
    const text = (value: string, shown?: ReadonlySet<string>) => (showPersonalData ? value : maskPersonalNumbers(value, shown === undefined ? undefined : { shown }));
    return {
      principal,
      showPersonalData,
      hiddenCollections: () => {
        if (this.restricted.length === 0) return [];
        const names = new Set([...this.names(), ...this.restricted.map((entry) => entry.collection)]);
        return [...names].filter((name) => !this.maySeeCollection(principal, name));
      },
      maySeeCollection: (collection) => this.maySeeCollection(principal, collection),
      text,
      optionalText: (value, shown) => (value === null ? null : text(value, shown)),
    };
  }

  private names(): string[] {
    const now = Date.now();
    if (this.stored === null || now - this.stored.at > COLLECTIONS_TTL_MS) this.stored = { names: this.collectionNames(), at: now };
    return this.stored.names;
  }
}
