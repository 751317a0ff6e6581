/**
 * Answers to common portal requests kept for a few seconds, bounded in entries: a page many
 * citizens open at once (the home page, a popular search, the open-data list) is made once, not
 * once per citizen. ETags let browsers and proxies ask again for free (304).
 */
import { createHash } from 'node:crypto';

export interface CachedBody {
  body: string;
  etag: string;
  type: string;
  status: number;
}

export function etagOf(body: string | Uint8Array): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

export class ResponseCache {
  private readonly entries = new Map<string, { value: CachedBody; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 1000,
  ) {}

  get(key: string): CachedBody | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until < performance.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: Omit<CachedBody, 'etag'>): CachedBody {
    const stored = { ...value, etag: etagOf(value.body) };
    if (this.ttlMs <= 0) return stored;
    this.entries.delete(key);
    this.entries.set(key, { value: stored, until: performance.now() + this.ttlMs });
    // Oldest first out: a Map iterates in insertion order.
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return stored;
  }

  clear(): void {
    this.entries.clear();
  }
}
