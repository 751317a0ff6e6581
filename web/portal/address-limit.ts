/**
 * Requests per client address across the whole portal, in fixed one-minute windows. Not
 * @fastify/rate-limit's route options: those keep a count per route, so a citizen (or a crawler)
 * would get the limit once for every page kind (its global limit, serve.requestsPerMinute, is
 * shared by all routes and still applies). The address is Fastify's `request.ip`, which
 * believes `X-Forwarded-For` only from the proxies in `serve.trustProxy`.
 */
const WINDOW_MS = 60_000;
/** Past this many addresses in one window the counts are dropped (memory stays bounded; the limit fails open for the rest of that minute). */
const MAX_ADDRESSES = 200_000;

export class AddressLimit {
  private windowStart = -Infinity;
  private readonly counts = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** 0 when the request may go on; else how many milliseconds until the address's window ends. */
  take(address: string, now = performance.now()): number {
    if (now - this.windowStart >= WINDOW_MS || this.counts.size >= MAX_ADDRESSES) {
      this.counts.clear();
      this.windowStart = now;
    }
    const count = (this.counts.get(address) ?? 0) + 1;
    this.counts.set(address, count);
    return count > this.max ? Math.max(1, this.windowStart + WINDOW_MS - now) : 0;
  }
}
