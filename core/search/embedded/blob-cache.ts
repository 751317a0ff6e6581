/**
 * What a reader used last, kept in memory up to a byte budget, least recently used out first.
 *
 * Reading a common word's lists back from disk and decoding them on every search costs more than
 * searching them (at a million pages a word on most pages has a 1–2 MB page list, 10–15 MB of
 * positions, and 4–5 MB once decoded). A segment's lists never change once written — merges write
 * new segments under new ids — so an entry never goes stale: it is only ever evicted.
 */
export class MemoryCache<T> {
  private readonly entries = new Map<string, T>();
  private bytes = 0;

  /**
   * `sizeOf` tells an entry's bytes; entries smaller than `minBytes` are cheap to make again and
   * are not kept, nor those over a quarter of the budget (they would evict the rest).
   */
  constructor(
    private readonly budgetBytes: number,
    private readonly sizeOf: (value: T) => number,
    private readonly minBytes: number,
  ) {}

  get(segment: number, term: string, kind: string, make: () => T | undefined): T | undefined {
    const key = `${kind}\u0000${segment}\u0000${term}`;
    const found = this.entries.get(key);
    if (found !== undefined) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, found);
      return found;
    }
    const value = make();
    if (value === undefined) return value;
    const size = this.sizeOf(value);
    if (size < this.minBytes || size > this.budgetBytes / 4) return value;
    this.entries.set(key, value);
    this.bytes += size;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.budgetBytes) break;
      this.entries.delete(oldest);
      this.bytes -= this.sizeOf(entry);
    }
    return value;
  }
}
