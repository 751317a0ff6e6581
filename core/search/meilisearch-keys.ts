/** Which key clerks' searches go through on a Meilisearch server, when none is configured. */
import type { Key } from 'meilisearch';

/**
 * A key that may only search, on this index (or all), and has not expired: what clerks' searches may
 * use. One made for this index comes before one for every index (such as the server's "Default
 * Search API Key", which would also search other applications' indexes on a shared server).
 */
export function searchOnlyKey(keys: readonly Pick<Key, 'key' | 'actions' | 'indexes' | 'expiresAt'>[], index: string, now = new Date()): Pick<Key, 'key'> | undefined {
  const usable = keys.filter(
    (key) =>
      key.actions.length === 1 &&
      key.actions[0] === 'search' &&
      (key.indexes.includes('*') || key.indexes.includes(index)) &&
      (key.expiresAt === null || new Date(key.expiresAt).getTime() > now.getTime()),
  );
  return usable.find((key) => key.indexes.includes(index)) ?? usable[0];
}
