/** The config loader: the example file, the layers' precedence and clear errors. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.js';
import { REPO_ROOT } from '../helpers/paths.js';

const EXAMPLE = path.join(REPO_ROOT, 'samples', 'acervo.example.yaml');
const empty = () => mkdtempSync(path.join(os.tmpdir(), 'acervo-config-'));

describe('config', () => {
  it('the example file is valid and states the defaults', () => {
    const fromExample = loadConfig({ file: EXAMPLE, env: {} });
    const defaults = loadConfig({ env: {}, cwd: empty() });
    expect(fromExample.library).toBe(path.join(REPO_ROOT, 'samples', 'acervo-library'));
    expect({ ...fromExample, library: undefined }).toEqual({ ...defaults, library: undefined });
    expect(defaults.ocr.languages).toEqual(['por', 'spa', 'eng']);
    expect(defaults.ocr.jobs).toBe(os.availableParallelism());
  });

  it('reads ./acervo.yaml, then environment, then flags, later winning', () => {
    const cwd = empty();
    writeFileSync(path.join(cwd, 'acervo.yaml'), 'library: lib-from-file\nocr:\n  languages: [spa]\n  jobs: 3\n');
    const fileOnly = loadConfig({ env: {}, cwd });
    expect(fileOnly).toMatchObject({ library: path.join(cwd, 'lib-from-file'), ocr: { languages: ['spa'], jobs: 3 } });

    const withEnv = loadConfig({ env: { ACERVO_LANG: 'por+eng', ACERVO_JOBS: '5' }, cwd });
    expect(withEnv.ocr).toMatchObject({ languages: ['por', 'eng'], jobs: 5 });

    const withFlags = loadConfig({ env: { ACERVO_JOBS: '5' }, cwd, flags: { library: '/elsewhere', ocr: { jobs: 1 } } });
    expect(withFlags).toMatchObject({ library: '/elsewhere', ocr: { languages: ['spa'], jobs: 1 } });
  });

  it('names the bad setting and refuses unknown ones', () => {
    const cwd = empty();
    writeFileSync(path.join(cwd, 'acervo.yaml'), 'ocr:\n  jobs: 0\n');
    expect(() => loadConfig({ env: {}, cwd })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('ocr.jobs') }));
    writeFileSync(path.join(cwd, 'acervo.yaml'), 'orc:\n  jobs: 2\n');
    expect(() => loadConfig({ env: {}, cwd })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    writeFileSync(path.join(cwd, 'acervo.yaml'), 'ocr: [unclosed\n');
    expect(() => loadConfig({ env: {}, cwd })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => loadConfig({ env: {}, cwd, file: 'missing.yaml' })).toThrow(expect.objectContaining({ code: 'CONFIG_NOT_FOUND' }));
    writeFileSync(path.join(cwd, 'acervo.yaml'), 'queue:\n  url: http://10.0.0.5:6379\n');
    expect(() => loadConfig({ env: {}, cwd })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('queue.url') }));
  });

  it('reports every bad setting at once, in one line, naming the variable a bad value came from', () => {
    const cwd = empty();
    writeFileSync(path.join(cwd, 'acervo.yaml'), 'ocr:\n  jobs: 0\nsearch:\n  backend: solr\n');
    const error = (() => {
      try {
        loadConfig({ env: { ACERVO_PDF_WHOLE_LOAD_MB: 'lots', ACERVO_FORCE_OCR: 'maybe' }, cwd });
      } catch (caught) {
        return caught as { code: string; message: string };
      }
      throw new Error('loadConfig accepted a bad config');
    })();
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).not.toContain('\n');
    expect(error.message).toMatch(/^Invalid settings \(4\): /);
    for (const part of ['ocr.jobs:', 'search.backend:', 'input.pdfWholeLoadMb (from ACERVO_PDF_WHOLE_LOAD_MB):', 'ocr.forceOcr (from ACERVO_FORCE_OCR):']) expect(error.message).toContain(part);
  });

  it('reads every ACERVO_* setting through the schema, the PDF whole-load size included', () => {
    const cwd = empty();
    const config = loadConfig({
      env: { ACERVO_PDF_WHOLE_LOAD_MB: '0', ACERVO_FORCE_OCR: 'yes', ACERVO_SEARCH_BACKEND: 'embedded', ACERVO_LIBRARY: '/srv/acervo', ACERVO_OCR_READINGS_CACHE: '/var/cache/acervo' },
      cwd,
    });
    expect(config).toMatchObject({ library: '/srv/acervo', input: { pdfWholeLoadMb: 0 }, ocr: { forceOcr: true, readingsCache: '/var/cache/acervo' }, search: { backend: 'embedded' } });
    expect(loadConfig({ env: {}, cwd }).input.pdfWholeLoadMb).toBe(64);
    expect(loadConfig({ env: {}, cwd }).ocr.readingsCache).toBeUndefined();
    expect(loadConfig({ env: { ACERVO_FORCE_OCR: 'false' }, cwd }).ocr.forceOcr).toBe(false);
  });

  it('takes the queue from ACERVO_QUEUE, and --queue over it', () => {
    const cwd = empty();
    expect(loadConfig({ env: {}, cwd }).queue.url).toBeNull();
    expect(loadConfig({ env: { ACERVO_QUEUE: 'redis://10.0.0.5:6379' }, cwd }).queue).toMatchObject({ url: 'redis://10.0.0.5:6379', name: 'acervo', visibilityTimeoutSeconds: 60, maxAttempts: 3 });
    expect(loadConfig({ env: { ACERVO_QUEUE: 'redis://10.0.0.5:6379' }, cwd, flags: { queue: { url: 'redis://127.0.0.1:6379' } } }).queue.url).toBe('redis://127.0.0.1:6379');
  });
});
