/**
 * Redacted copies made on threads (core/redaction/redaction-threads.ts), as `acervo serve` makes
 * them: the same bytes as made in this thread, errors with their codes, at most `threads` at once
 * in order, a dead thread a coded error, and idle threads that never keep a process alive.
 * The thread runs the compiled script in dist/ (npm run build).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { redactPdf, reviewPdf } from '../../core/redaction/redaction.js';
import { RedactionThreads } from '../../core/redaction/redaction-threads.js';
import { REPO_ROOT } from '../helpers/paths.js';

const FACTS = { title: 'Certidão', documentId: 7, madeBy: 'ana', madeAt: new Date('2026-12-05T10:00:00Z'), producer: 'Acervo test' };
const CRASHING = new URL('../helpers/crashing-redaction-thread.mjs', import.meta.url);

/** A one-page born-digital PDF with a CPF and an e-mail address on it. */
async function certidao(n = 1): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([400, 300]);
  page.drawText(`Certidão nº ${n}`, { x: 40, y: 240, size: 12, font });
  page.drawText('CPF 390.533.447-05, e-mail ana@prefeitura.gov.br', { x: 40, y: 200, size: 12, font });
  return doc.save({ useObjectStreams: false });
}

const pools: RedactionThreads[] = [];
function pool(options: ConstructorParameters<typeof RedactionThreads>[0]): RedactionThreads {
  const threads = new RedactionThreads(options);
  pools.push(threads);
  return threads;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((threads) => threads.close()));
});

describe('a redacted copy made on a thread', () => {
  it('is the copy made on this thread, byte for byte, with the same review', async () => {
    const pdf = await certidao();
    const here = await redactPdf(pdf, [], FACTS, { contacts: false });
    const there = await pool({ threads: 1 }).redact(pdf, [], FACTS, { contacts: false });
    expect(there.boxes).toBe(1);
    expect(Buffer.from(there.pdf).equals(Buffer.from(here.pdf))).toBe(true);
    const { pdf: _a, ...hereRest } = here;
    const { pdf: _b, ...thereRest } = there;
    expect(thereRest).toEqual(hereRest);
    // The bytes the caller gave are its own still (copied to the thread, not moved).
    expect(pdf.byteLength).toBeGreaterThan(0);
  });

  it('reviews on a thread as on this one: the same boxes proposed, page by page', async () => {
    const pdf = await certidao();
    const here = await reviewPdf(pdf, [], { contacts: true });
    const threads = pool({ threads: 1 });
    const there = await threads.review(async () => pdf, [], { contacts: true });
    expect(there).toEqual(here);
    // The CPF and the e-mail address proposed, on page 1.
    expect(there.flatMap((page) => page.boxes.map((box) => [page.page, box.source]))).toEqual([[1, 'proposed'], [1, 'proposed']]);
    // A broken PDF: the same coded error as here.
    await expect(threads.review(new Uint8Array([1, 2, 3]), [])).rejects.toMatchObject({ code: 'PDF_CORRUPT' });
  });

  it('moves bytes it read itself to the thread instead of copying them', async () => {
    const pdf = await certidao();
    const copy = await pool({ threads: 1 }).redact(async () => pdf, [], FACTS);
    expect(copy.pages).toBe(1);
    expect(pdf.byteLength).toBe(0);
  });

  it('throws the AppError the thread raised: same code, same message', async () => {
    const broken = new TextEncoder().encode('%PDF-1.7\nnot really a PDF');
    const here = await redactPdf(broken, [], FACTS).catch((error: unknown) => error);
    const there = await pool({ threads: 1 }).redact(broken, [], FACTS).catch((error: unknown) => error);
    expect(here).toBeInstanceOf(AppError);
    expect(there).toBeInstanceOf(AppError);
    expect((there as AppError).code).toBe((here as AppError).code);
    expect((there as AppError).code).toBe('PDF_CORRUPT');
    expect((there as AppError).message).toBe((here as AppError).message);
  });

  it('makes at most `threads` copies at once, in turn, reading each PDF only when its turn comes', async () => {
    const turns = async (threads: RedactionThreads, count: number) => {
      const events: string[] = [];
      const copies = Array.from({ length: count }, (_, i) => threads.redact(async () => (events.push(`read ${i + 1}: making ${threads.making}, waiting ${threads.waiting}`), certidao(i + 1)), [], FACTS));
      expect(threads.making + threads.waiting).toBe(count);
      expect((await Promise.all(copies)).map((copy) => copy.pages)).toEqual(Array(count).fill(1));
      expect(threads.making + threads.waiting).toBe(0);
      return events;
    };
    // The first copy starts as it is asked for (before the others are); each PDF is read as its copy starts.
    expect(await turns(pool({ threads: 1 }), 3)).toEqual(['read 1: making 1, waiting 0', 'read 2: making 1, waiting 1', 'read 3: making 1, waiting 0']);
    expect(await turns(pool({ threads: 2 }), 3)).toEqual(['read 1: making 1, waiting 0', 'read 2: making 2, waiting 0', 'read 3: making 2, waiting 0']);
  });

  it('fails a copy whose thread dies with a coded error, and goes on with a new thread', async () => {
    const threads = pool({ threads: 1, script: CRASHING });
    const first = await threads.redact(await certidao(), [], FACTS).catch((error: unknown) => error);
    expect(first).toBeInstanceOf(AppError);
    expect((first as AppError).code).toBe('INTERNAL');
    expect((first as AppError).message).toContain('the decoder fell over');
    const second = await threads.redact(await certidao(), [], FACTS).catch((error: unknown) => error);
    expect((second as AppError).code).toBe('INTERNAL');
  });

  it('ends a thread left idle, and makes the next copy on a new one', async () => {
    const threads = pool({ threads: 1, idleMs: 1 });
    expect((await threads.redact(await certidao(1), [], FACTS)).pages).toBe(1);
    // Past the idle time: the thread has ended (or is ending, and is not handed the next copy).
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await threads.redact(await certidao(2), [], FACTS)).pages).toBe(1);
  });

  it('fails copies under way and waiting when closed, instead of leaving them hanging', async () => {
    const threads = pool({ threads: 1 });
    const under = threads.redact(await certidao(1), [], FACTS).catch((error: unknown) => error);
    const waiting = threads.redact(await certidao(2), [], FACTS).catch((error: unknown) => error);
    // The first copy's thread is started (its turn came) before the pool closes.
    await new Promise((resolve) => setImmediate(resolve));
    await threads.close();
    for (const outcome of await Promise.all([under, waiting])) {
      expect(outcome).toBeInstanceOf(AppError);
      expect((outcome as AppError).code).toBe('INTERNAL');
    }
    expect(((await threads.redact(await certidao(3), [], FACTS).catch((error: unknown) => error)) as AppError).code).toBe('INTERNAL');
  });

  it('does not keep a process alive once its copies are made', async () => {
    // Idle threads would otherwise hold it for ten minutes: the test's own limit would end it first.
    const folder = mkdtempSync(path.join(os.tmpdir(), 'acervo-redaction-threads-'));
    try {
      writeFileSync(path.join(folder, 'in.pdf'), await certidao());
      writeFileSync(
        path.join(folder, 'copy.mjs'),
        `import { readFileSync } from 'node:fs';
        import { RedactionThreads } from ${JSON.stringify(pathToFileURL(path.join(REPO_ROOT, 'dist/core/redaction/redaction-threads.js')).href)};
        const threads = new RedactionThreads({ threads: 1, idleMs: 600000 });
        const copy = await threads.redact(readFileSync(${JSON.stringify(path.join(folder, 'in.pdf'))}), [], { title: 't', documentId: null, madeBy: 't', madeAt: new Date(), producer: 't' });
        console.log('made', copy.pages, copy.boxes);`,
      );
      const child = spawnSync(process.execPath, [path.join(folder, 'copy.mjs')], { encoding: 'utf8', timeout: 50_000 });
      expect(child.stderr).toBe('');
      expect(child.stdout.trim()).toBe('made 1 2');
      expect(child.status).toBe(0);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
