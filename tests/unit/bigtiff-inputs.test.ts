/**
 * BigTIFF (version 43, 8-byte offsets), which some scanners and archive tools write for large
 * batches: read like a classic TIFF, and a BigTIFF cut short is found the same way (issue 27):
 * its directory chain and strip offsets checked against the file's end, the whole pages kept and
 * the document marked incomplete. Files written byte by byte (tests/helpers/bigtiff.ts).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tiffExtent } from '../../core/pipeline/decode/tiff-structure.js';
import { bigTiff } from '../helpers/bigtiff.js';
import { convert, jobFor, scriptedPages } from './pipeline-fixtures.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-bigtiff-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let files = 0;

function place(bytes: Uint8Array): { file: string; folder: string } {
  const folder = path.join(work, `f${++files}`);
  mkdirSync(path.join(folder, 'tmp'), { recursive: true });
  const file = path.join(folder, 'lote.tif');
  writeFileSync(file, bytes);
  return { file, folder };
}

const jobOf = (batch: { file: string; folder: string }) => ({ ...jobFor(batch), mediaType: 'image/tiff' as const });
const whole = bigTiff(4);

describe('tiffExtent of a BigTIFF', () => {
  it('walks its 8-byte directory chain and strips: every page of a whole file, where a cut one stops', async () => {
    expect(await tiffExtent(place(whole).file)).toMatchObject({ intactPages: 4, directories: 4, declaredPages: 4, damage: null, fileBytes: whole.length });
    // Cut inside page 3's strip: its directory, written after it, is past the end.
    const cut = (await tiffExtent(place(whole.subarray(0, Math.floor(whole.length * 0.6))).file))!;
    expect(cut).toMatchObject({ intactPages: 2, directories: 2, declaredPages: 4 });
    expect(cut.damage).toMatch(/page 3's directory lies at byte \d+, past the end of the file \(\d+ bytes\)/);
    // Page 2's strip said to run on for a terabyte (an 8-byte count): its data is past the end.
    const long = Buffer.from(whole);
    const stripCounts = Buffer.from([0x17, 0x01, 0x10, 0x00, 1, 0, 0, 0, 0, 0, 0, 0]);
    const second = long.indexOf(stripCounts, long.indexOf(stripCounts) + 1);
    long.writeBigUInt64LE(2n ** 40n, second + 12);
    const pastEnd = (await tiffExtent(place(long).file))!;
    expect(pastEnd).toMatchObject({ intactPages: 1, directories: 4 });
    expect(pastEnd.damage).toMatch(/page 2's image data runs to byte 1099511\d+, past the end of the file/);
  });

  it('reads a big-endian (MM) BigTIFF the same way', async () => {
    const motorola = bigTiff(4, { bigEndian: true });
    expect(motorola.subarray(0, 4).toString('hex')).toBe('4d4d002b');
    expect(await tiffExtent(place(motorola).file)).toMatchObject({ intactPages: 4, directories: 4, declaredPages: 4, damage: null });
    expect(await tiffExtent(place(motorola.subarray(0, Math.floor(motorola.length * 0.6))).file)).toMatchObject({ intactPages: 2, damage: expect.stringMatching(/page 3's directory lies at byte \d+, past the end/) });
  });

  it('reports a directory chain that loops, or a directory count no file could hold, as damage', async () => {
    const looped = Buffer.from(whole);
    const first = Number(looped.readBigUInt64LE(8));
    // The last directory's "next" (its last 8 bytes, the file's last 8) back to the first.
    looped.writeBigUInt64LE(BigInt(first), looped.length - 8);
    expect((await tiffExtent(place(looped).file))!.damage).toMatch(/loop back at byte/);
    const absurd = Buffer.from(whole);
    absurd.writeBigUInt64LE(2n ** 60n, first);
    expect((await tiffExtent(place(absurd).file))!.damage).toMatch(/page 1's directory is cut off by the end of the file/);
  });
});

describe('a BigTIFF converted', () => {
  it('reads every page of a whole one', async () => {
    const result = await convert(scriptedPages({}), jobOf(place(whole)));
    expect(result.incomplete).toBeUndefined();
    expect(result.documents[0]!.pages).toHaveLength(4);
  });

  it('keeps the whole pages of one cut short and marks the document incomplete with INPUT_TRUNCATED', async () => {
    const engine = scriptedPages({});
    const result = await convert(engine, jobOf(place(whole.subarray(0, Math.floor(whole.length * 0.6)))));
    expect(result.incomplete?.code).toBe('INPUT_TRUNCATED');
    expect(result.incomplete?.message).toMatch(/The TIFF is cut short: page 3's directory lies at byte \d+, past the end of the file \(\d+ bytes\); 2 page\(s\) read of 4 expected/);
    expect(result.documents[0]!.pages).toHaveLength(2);
    expect(engine.recognized).toHaveLength(2);
  });

  it('refuses one cut inside its first page with one coded error', async () => {
    await expect(convert(scriptedPages({}), jobOf(place(whole.subarray(0, 5000))))).rejects.toMatchObject({ code: expect.stringMatching(/^(INPUT_TRUNCATED|IMAGE_CORRUPT)$/), scope: 'input' });
  });
});
