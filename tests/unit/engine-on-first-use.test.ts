/**
 * The OCR engine starts with the first page that needs it: a run with nothing to read never
 * starts it, and an engine that cannot start fails every page with its own coded error.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { engineOnFirstUse } from '../../core/ocr/engine-on-first-use.js';
import type { OcrEngine, OcrInput } from '../../core/ocr/ocr-engine.js';
import { ScriptedEngine } from '../../core/ocr/scripted-engine.js';

async function page(): Promise<OcrInput> {
  const png = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#ffffff' } }).png().toBuffer();
  return { png, dpi: 100 };
}

/** A scripted engine that counts how often it was closed. */
class CountedEngine extends ScriptedEngine {
  closes = 0;
  override async close(): Promise<void> {
    this.closes++;
  }
}

/** A start function that counts its calls and hands out `engine` after a moment (or fails with `error`). */
function starter(engine: OcrEngine | null, error?: Error) {
  const calls = { starts: 0 };
  const start = async () => {
    calls.starts++;
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (error) throw error;
    return engine!;
  };
  return { calls, start };
}

describe('an OCR engine started on first use', () => {
  it('is not started by a run that reads nothing, and says its languages and workers all the same', async () => {
    const scripted = new CountedEngine(() => 'nada');
    const { calls, start } = starter(scripted);
    const engine = engineOnFirstUse(['por', 'spa'], 3, start);
    expect(engine.languages).toEqual(['por', 'spa']);
    expect(engine.concurrency).toBe(3);
    expect(engine.counters).toEqual({ replaced: 0, retried: 0 });
    await engine.close();
    expect(calls.starts).toBe(0);
    expect(scripted.closes).toBe(0);
  });

  it('starts once for pages arriving together, reads them, and closes what it started', async () => {
    const scripted = new CountedEngine(() => 'Decreto municipal');
    scripted.counters.replaced = 1;
    scripted.counters.retried = 2;
    const { calls, start } = starter(scripted);
    const engine = engineOnFirstUse(['por'], 2, start);
    const input = await page();
    const [first, second, orientation, confidence] = await Promise.all([
      engine.recognize(input),
      engine.recognize(input),
      engine.detectOrientation(input),
      engine.readingConfidence(input),
    ]);
    expect([first.text, second.text]).toEqual(['Decreto municipal', 'Decreto municipal']);
    expect(orientation).toEqual({ degrees: 0, confidence: 30 });
    expect(confidence).toBe(90);
    expect(calls.starts).toBe(1);
    expect(engine.counters).toEqual({ replaced: 1, retried: 2 });
    await engine.close();
    expect(scripted.closes).toBe(1);
  });

  it('fails every page with the error of a start that failed, starting only once', async () => {
    const missing = new AppError('DEPENDENCY_MISSING', 'The OCR engine could not start: no wasm');
    const { calls, start } = starter(null, missing);
    const engine = engineOnFirstUse(['por'], 2, start);
    const input = await page();
    await expect(engine.recognize(input)).rejects.toBe(missing);
    await expect(engine.detectOrientation(input)).rejects.toBe(missing);
    await expect(engine.readingConfidence(input)).rejects.toMatchObject({ code: 'DEPENDENCY_MISSING', scope: 'fatal' });
    expect(calls.starts).toBe(1);
    await expect(engine.close()).resolves.toBeUndefined();
  });

  it('waits for a start under way before closing, so no worker outlives the run', async () => {
    const scripted = new CountedEngine(() => 'Ofício');
    const { calls, start } = starter(scripted);
    const engine = engineOnFirstUse(['por'], 1, start);
    const reading = engine.recognize(await page());
    await engine.close();
    expect(calls.starts).toBe(1);
    expect(scripted.closes).toBe(1);
    await expect(reading).resolves.toMatchObject({ text: 'Ofício' });
  });
});
