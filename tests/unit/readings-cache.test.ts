/**
 * The readings cache: an image read once is answered from the folder afterwards, by every process
 * sharing it; anything that could change the reading (the image, its resolution, the engine's
 * identity, what is asked) reads again; a damaged entry is read again and replaced; a failed
 * reading is never kept; the engine behind is not started by a command whose pages were all read.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { engineOnFirstUse } from '../../core/ocr/engine-on-first-use.js';
import type { OcrInput } from '../../core/ocr/ocr-engine.js';
import { readingIdentity, withReadingsCache } from '../../core/ocr/readings-cache.js';
import { ScriptedEngine } from '../../core/ocr/scripted-engine.js';

const folders: string[] = [];
afterEach(() => folders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true })));
function cacheFolder(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'acervo-readings-'));
  folders.push(folder);
  return folder;
}

async function page(width: number, dpi = 200): Promise<OcrInput> {
  const png = await sharp({ create: { width, height: 300, channels: 3, background: '#ffffff' } }).png().toBuffer();
  return { png, dpi };
}

const entries = (folder: string) => readdirSync(folder, { recursive: true }).filter((name) => String(name).endsWith('.json')).map(String);

describe('an OCR engine behind the readings cache', () => {
  it('reads an image once: the second time the answer comes from the folder, word for word, with no time of its own', async () => {
    const folder = cacheFolder();
    const engine = new ScriptedEngine((image) => ({ text: `Decreto ${image.width}\nArt. 1º`, confidence: 88, afterMs: 5 }));
    const cached = withReadingsCache(engine, folder, 'id-1');
    const first = await cached.recognize(await page(400));
    const second = await cached.recognize(await page(400));
    expect(engine.recognized).toHaveLength(1);
    expect(second).toEqual(first);
    expect(second.text).toBe('Decreto 400\nArt. 1º');
    expect(second.lines[0]!.words[0]).toMatchObject({ text: 'Decreto', confidence: 88 });
    expect(second.durationMs).toBeUndefined();
    expect(entries(folder)).toHaveLength(1);
  });

  it('is shared by every engine using the same folder and identity, as separate processes share it', async () => {
    const folder = cacheFolder();
    const reader = new ScriptedEngine(() => 'Ata da sessão');
    await withReadingsCache(reader, folder, 'id-1').recognize(await page(500));
    const later = new ScriptedEngine(() => 'a different reading');
    expect((await withReadingsCache(later, folder, 'id-1').recognize(await page(500))).text).toBe('Ata da sessão');
    expect(later.recognized).toHaveLength(0);
  });

  it('reads again whatever could read differently: another image, resolution, noise removal or identity', async () => {
    const folder = cacheFolder();
    const engine = new ScriptedEngine((image) => `largura ${image.width} em ${image.dpi}`);
    const cached = withReadingsCache(engine, folder, 'id-1');
    expect((await cached.recognize(await page(400, 200))).text).toBe('largura 400 em 200');
    expect((await cached.recognize(await page(401, 200))).text).toBe('largura 401 em 200');
    expect((await cached.recognize(await page(400, 300))).text).toBe('largura 400 em 300');
    expect((await withReadingsCache(engine, folder, 'id-2').recognize(await page(400, 200))).text).toBe('largura 400 em 200');
    expect(engine.recognized).toHaveLength(4);
    // The same image read with the engine's heavy noise removal is another reading, kept apart.
    await cached.recognize({ ...(await page(400, 200)), removeNoise: true });
    await cached.recognize({ ...(await page(400, 200)), removeNoise: true });
    expect(engine.recognized).toHaveLength(5);
  });

  it('keeps orientation and reading confidence apart from the reading of the same image', async () => {
    const folder = cacheFolder();
    const calls = { orientation: 0, confidence: 0 };
    const engine = new ScriptedEngine(() => 'texto', {
      orientation: () => (calls.orientation++, { degrees: 180, confidence: 12 }),
      readingConfidence: () => (calls.confidence++, null),
    });
    const cached = withReadingsCache(engine, folder, 'id-1');
    const image = await page(400);
    for (let i = 0; i < 2; i++) {
      expect(await cached.detectOrientation(image)).toEqual({ degrees: 180, confidence: 12 });
      expect(await cached.readingConfidence(image)).toBeNull();
      expect((await cached.recognize(image)).text).toBe('texto');
    }
    expect(calls).toEqual({ orientation: 1, confidence: 1 });
    expect(engine.recognized).toHaveLength(1);
  });

  it('reads again and replaces an entry that does not parse, and never keeps a failed reading', async () => {
    const folder = cacheFolder();
    let fail = true;
    const engine = new ScriptedEngine(() => (fail ? new Error('worker died') : 'lido'));
    const cached = withReadingsCache(engine, folder, 'id-1');
    await expect(cached.recognize(await page(400))).rejects.toThrow('worker died');
    expect(entries(folder)).toHaveLength(0);
    fail = false;
    await cached.recognize(await page(400));
    const [entry] = entries(folder);
    writeFileSync(path.join(folder, entry!), '{"answer": {"lines": [');
    expect((await cached.recognize(await page(400))).text).toBe('lido');
    expect(engine.recognized).toHaveLength(3);
    expect((await cached.recognize(await page(400))).text).toBe('lido');
    expect(engine.recognized).toHaveLength(3);
  });

  it('never starts the engine behind it when every page was read before', async () => {
    const folder = cacheFolder();
    await withReadingsCache(new ScriptedEngine(() => 'Portaria 12'), folder, 'id-1').recognize(await page(400));
    let starts = 0;
    const lazy = engineOnFirstUse(['por'], 1, async () => (starts++, new ScriptedEngine(() => 'other')));
    const cached = withReadingsCache(lazy, folder, 'id-1');
    expect((await cached.recognize(await page(400))).text).toBe('Portaria 12');
    await cached.close();
    expect(starts).toBe(0);
  });
});

describe('the identity of a reading', () => {
  it('changes with Acervo, the languages and their order, and accent restoring; names the packages that read', () => {
    const base = readingIdentity('1.0.0', ['por', 'spa'], true);
    expect(readingIdentity('1.0.0', ['por', 'spa'], true)).toBe(base);
    expect(new Set([base, readingIdentity('1.0.1', ['por', 'spa'], true), readingIdentity('1.0.0', ['spa', 'por'], true), readingIdentity('1.0.0', ['por'], true), readingIdentity('1.0.0', ['por', 'spa'], false)]).size).toBe(5);
    expect(base).toMatch(/tesseract\.js@\d+\.\d+\.\d+/);
    expect(base).toMatch(/@tesseract\.js-data\/por@\d/);
    expect(base).toMatch(/dictionary-pt@\d/);
  });
});
