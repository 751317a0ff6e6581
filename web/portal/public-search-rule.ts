/**
 * The portal's search set by names (issue 26): for a backend that filters by fields (Meilisearch,
 * core/search/meilisearch-filters.ts), the public rule itself — public collections, or public
 * types outside restricted collections — with the names as the candidates have them (what the
 * index holds; the backend compares them its way, meilisearch-filters.ts ruleUsable), and the
 * documents the names would get wrong listed by id. For a document whose index entry says what
 * the catalog says, the names decide as PublicSet.isPublic does, except for withheld documents and
 * those with a drawn box: those are listed out. A document the index may hold otherwise — an
 * index update waiting in the outbox, a PDF of a document not done — is listed out, or in if it
 * is a member. Null (the backend lists the members' ids) when those lists would be long.
 */
import type { PortalRecords } from '../../core/catalog/portal-records.js';
import { inDocumentSet, type DocumentRule, type DocumentSet } from '../../core/search/document-set.js';
import { foldText } from '../../core/search/text-folding.js';
import type { PublicRules } from './public-set.js';

/** Past this many documents to list beside the names (index updates waiting, …), no rule: a backend lists the ids. */
const RULE_IDS = 20_000;

/** How the portal compares names of collections and types: trimmed, accents and case folded. */
export const fold = (value: string) => foldText(value.trim()).toLowerCase();

export interface FoldedRules {
  collections: Set<string>;
  types: Set<string>;
  restricted: Set<string>;
}

const foldedRules = new WeakMap<PublicRules, FoldedRules>();

/** The rules' names folded, once per rules object (a full read asks a million times). */
export function foldRules(rules: PublicRules): FoldedRules {
  let folded = foldedRules.get(rules);
  if (folded === undefined) {
    folded = { collections: new Set(rules.publicCollections.map(fold)), types: new Set(rules.publicTypes.map(fold)), restricted: new Set(rules.restrictedCollections.map(fold)) };
    foldedRules.set(rules, folded);
  }
  return folded;
}

export interface PublicSetState {
  withheld: ReadonlySet<number>;
  covered: ReadonlySet<number>;
  /** Every collection and type name among the candidates, as filed (public or not). */
  names: { collections: ReadonlySet<string>; types: ReadonlySet<string> };
  /** The rules in force. */
  rules: PublicRules;
  /** The rules the set was last read whole under: until new ones are, a name lets documents in only if both say so. */
  readRules: PublicRules;
}

export function publicSearchRule(portal: Pick<PortalRecords, 'indexLagging' | 'indexedNotCandidates'>, set: DocumentSet, state: PublicSetState): DocumentRule | null {
  const lagging = portal.indexLagging(RULE_IDS + 1);
  const unlisted = portal.indexedNotCandidates(RULE_IDS + 1);
  if (lagging.length + unlisted.length + state.withheld.size + state.covered.size > RULE_IDS) return null;
  const exceptIds = new Set<number>();
  const alsoIds = new Set<number>();
  for (const id of [...state.withheld, ...state.covered, ...unlisted]) if (!inDocumentSet(set, id)) exceptIds.add(id);
  for (const id of lagging) (inDocumentSet(set, id) ? alsoIds : exceptIds).add(id);
  const [now, read] = [foldRules(state.rules), foldRules(state.readRules)];
  const rules = {
    restricted: (name: string) => now.restricted.has(name) || read.restricted.has(name),
    collections: (name: string) => now.collections.has(name) && read.collections.has(name),
    types: (name: string) => now.types.has(name) && read.types.has(name),
  };
  const rule: DocumentRule = { collections: [], documentTypes: [], excludeCollections: [], otherCollections: [], otherTypes: [], exceptIds: [...exceptIds].sort((a, b) => a - b), alsoIds: [...alsoIds].sort((a, b) => a - b) };
  for (const name of state.names.collections) {
    const folded = fold(name);
    if (rules.restricted(folded)) rule.excludeCollections.push(name);
    else if (rules.collections(folded)) rule.collections.push(name);
    else rule.otherCollections.push(name);
  }
  for (const name of state.names.types) (rules.types(fold(name)) ? rule.documentTypes : rule.otherTypes).push(name);
  return rule;
}
