/**
 * What the peers (Tesseract CLI, OCRmyPDF) read from each page, kept between bench runs outside
 * the repository ($ACERVO_BENCH_CACHE/peer-readings, else ~/.cache/acervo-bench/peer-readings):
 * their readings never change while Acervo's do, and reading the hard pages with both takes
 * minutes. A reading is keyed by the tool's own `--version` output, its arguments and the page's
 * bytes; upgrade a peer and its pages are read again. ACERVO_BENCH_PEER_CACHE=off reads every
 * page without the cache.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(process.env.ACERVO_BENCH_CACHE ?? path.join(os.homedir(), '.cache', 'acervo-bench'), 'peer-readings');

export interface PeerReadingKey {
  tool: string;
  version: string;
  args: readonly string[];
  file: string;
}

function fileOf(key: PeerReadingKey): string {
  const hash = createHash('sha256').update(JSON.stringify([key.tool, key.version, key.args])).update('\0').update(readFileSync(key.file));
  return path.join(ROOT, `${key.tool}-${hash.digest('hex').slice(0, 32)}.txt`);
}

/** The text read before, or what `read` reads now (kept when it is not undefined). */
export async function cachedReading(key: PeerReadingKey, read: () => Promise<string | undefined>): Promise<string | undefined> {
  if (process.env.ACERVO_BENCH_PEER_CACHE === 'off') return read();
  const file = fileOf(key);
  if (existsSync(file)) return readFileSync(file, 'utf8');
  const text = await read();
  if (text !== undefined) {
    mkdirSync(ROOT, { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, text);
    renameSync(partial, file);
  }
  return text;
}
