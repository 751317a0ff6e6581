/**
 * Issue 26, "no query that can slow the server for others": a masked copy of a long document with
 * large page images is seconds of CPU; `acervo serve` makes it on a redaction thread, so the
 * thread that answers HTTP goes on answering while it is made.
 *
 * Two things are checked while a clerk's masked copy is made: other requests are answered before
 * the copy is (the order of answers), and the copy's CPU was spent off the server's main thread
 * (its threads' CPU ticks, from /proc). The first alone does not tell the old server from the new
 * (tried): that one yielded between pages (images are encoded off the loop), so short requests
 * slipped in between, each waiting up to a page's work; but its main thread spent most of the
 * copy's CPU, which the second check refuses.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { concatTransformationMatrix, drawObject, PDFDocument, PDFName, popGraphicsState, pushGraphicsState, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../helpers/catalog.js';
import { runCli } from '../helpers/cli.js';
import { signIn, startServer, USERS, type RunningServer } from '../helpers/server.js';

const HAS_PROC = existsSync('/proc/self/task');
const PAGES = 3;
/** Page image pixels: pdf.js decodes and draws each page with a box (the pages are not Acervo's own scans). */
const WIDTH = 2000;
const HEIGHT = 2828;

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-redaction-thread-'));
const library = path.join(work, 'library');
let server: RunningServer;
let cookie = '';
let documentId = 0;

/** A born-digital record: each page a large grey image under a line with a CPF. */
async function heavyRecord(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= PAGES; n++) {
    const pixels = Buffer.alloc(WIDTH * HEIGHT);
    for (let i = 0; i < pixels.length; i++) pixels[i] = 200 + ((i * 7919 + n) % 53);
    const image = doc.context.register(doc.context.flateStream(pixels, { Type: 'XObject', Subtype: 'Image', Width: WIDTH, Height: HEIGHT, ColorSpace: 'DeviceGray', BitsPerComponent: 8 }));
    const page = doc.addPage([595, 842]);
    page.node.setXObject(PDFName.of('Scan'), image);
    page.pushOperators(pushGraphicsState(), concatTransformationMatrix(595, 0, 0, 842, 0, 0), drawObject('Scan'), popGraphicsState());
    page.drawText(`PROCESSO Nº ${100 + n}/1988 - FOLHA ${n}`, { x: 60, y: 760, size: 13, font });
    page.drawText('Requerente portador do CPF 390.533.447-05, residente na rua.', { x: 60, y: 738, size: 13, font });
  }
  return doc.save();
}

/** CPU ticks (user + system) of the server's main thread and of the whole process, threads that ended included. */
function cpuTicks(pid: number): { main: number; process: number } {
  const ticks = (stat: string) => {
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime: fields 14 and 15 of proc(5), 12 and 13 after the name.
    return Number(fields[11]) + Number(fields[12]);
  };
  return { main: ticks(readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8')), process: ticks(readFileSync(`/proc/${pid}/stat`, 'utf8')) };
}

beforeAll(async () => {
  const scans = path.join(work, 'scans');
  mkdirSync(scans, { recursive: true });
  writeFileSync(path.join(scans, 'processo.pdf'), await heavyRecord());
  const ingest = await runCli(['ingest', scans, '--library', library, '--json'], { env: { ACERVO_CONFIG: '/dev/null' } });
  if (ingest.code !== 0) throw new Error(`ingest failed (${ingest.code}):\n${ingest.stderr}`);
  documentId = readCatalog(library).documents[0]!.id;
  server = await startServer({ library, folder: work });
  cookie = await signIn(server.url, USERS.clerk);
}, 180_000);

afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!HAS_PROC)('a masked copy made while others ask', () => {
  it('answers other requests while the copy is made, and makes it off the thread that answers them', async () => {
    const before = cpuTicks(server.pid);
    const events: string[] = [];
    let copied = false;
    const copy = fetch(`${server.url}/api/documents/${documentId}/pdf`, { headers: { cookie, origin: server.url } }).then(async (response) => {
      const body = new Uint8Array(await response.arrayBuffer());
      copied = true;
      events.push('copy');
      return { response, body };
    });
    // Cheap requests, one after another, while the copy is pending (a few: their own CPU stays small).
    for (let asked = 0; asked < 20 && !copied; asked++) {
      const health = await fetch(`${server.url}/api/health`);
      expect(health.status).toBe(200);
      if (!copied) events.push('health');
    }
    const { response, body } = await copy;
    const after = cpuTicks(server.pid);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const masked = await PDFDocument.load(body, { updateMetadata: false });
    expect(masked.getPageCount()).toBe(PAGES);
    expect(masked.getTitle()).toContain('cópia tarjada');
    // Answered while the copy was still being made.
    expect(events.indexOf('copy')).toBeGreaterThan(0);
    expect(events[0]).toBe('health');
    // The copy's CPU was spent on another thread than the one that answers requests: measured, the
    // main thread took about 1% of the process's CPU here (62% when it made the copy itself).
    const main = after.main - before.main;
    const all = after.process - before.process;
    expect(all).toBeGreaterThan(0);
    expect(main).toBeLessThan(all / 4);
  }, 180_000);
});
