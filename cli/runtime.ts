/**
 * The composition root: turns validated config into the concrete parts (OCR engine, search
 * backend, conversion options). Only cli/ and workers/ pick adapters; core/ sees ports.
 *
 * The conversion pipeline (OCR, images, PDF) is loaded only by the commands that convert:
 * `acervo search`, `status` and `--version` start in a fraction of a second without it.
 */
import path from 'node:path';
import { readSecret } from '../config/environment.js';
import type { Config } from '../config/schema.js';
import type { Library } from '../core/library.js';
import type { ConvertOptions } from '../core/model.js';
import type { OcrEngine } from '../core/ocr/ocr-engine.js';
import type { ConvertContext } from '../core/pipeline/convert-document.js';
import type { Converter } from '../core/pipeline/converter.js';
import { PageSlots } from '../core/pipeline/page-slots.js';
import type { SearchBackend } from '../core/search/search-backend.js';
import { documentTypeRules } from '../core/metadata/document-type.js';
import { loadInventories, type Inventory } from '../core/metadata/inventory.js';
import { languageDataFile } from '../core/ocr/language-data.js';

import { PRODUCER, VERSION } from './version.js';

export { VERSION, PRODUCER } from './version.js';

export function convertOptions(config: Config): ConvertOptions {
  return {
    languages: config.ocr.languages,
    forceOcr: config.ocr.forceOcr,
    assumeDpi: config.input.assumeDpi,
    maxImagePixels: config.input.maxImagePixels,
    ocrMaxPixels: config.ocr.maxPixels,
    pdfRenderDpi: config.input.pdfRenderDpi,
    pdfWholeLoadMb: config.input.pdfWholeLoadMb,
    orientationMinConfidence: config.clean.orientationMinConfidence,
    dropBlank: config.clean.dropBlank,
    metadata: { pathTemplate: config.metadata.pathTemplate, documentTypes: documentTypeRules(config.metadata.documentTypes) },
    pdfFormat: config.output.pdfFormat,
    jpegQuality: config.output.jpegQuality,
    split: { mode: config.split.mode, blankPages: config.split.blankPages },
  };
}

/** The box inventories the config names, and those given on the command line. */
export function loadInventory(config: Config, extra: readonly string[] = []): Inventory | undefined {
  const files = [...config.metadata.inventories, ...extra.map((file) => path.resolve(file))];
  return files.length > 0 ? loadInventories(files) : undefined;
}

/** Pages in hand per OCR worker: one being read while the next is decoded and cleaned. */
const PAGES_PER_WORKER = 2;

/** What conversion needs, shared by every document the process converts. */
export function pipelineContext(ocr: OcrEngine): ConvertContext {
  return { ocr, producer: PRODUCER, pageSlots: new PageSlots(PAGES_PER_WORKER * ocr.concurrency) };
}

/**
 * Documents in progress at once: enough that one-page documents keep every page slot filled
 * (a long document fills them alone).
 */
export function documentsInHand(config: Config): number {
  return PAGES_PER_WORKER * config.ocr.jobs;
}

/**
 * The converter a writing command uses: this process's own OCR workers, or — with a queue
 * configured — `acervo worker` processes anywhere, through Redis.
 */
export async function startConverter(config: Config): Promise<Converter> {
  if (config.queue.url) {
    const { connectRemoteConverter } = await import('../workers/queue/remote-converter.js');
    return connectRemoteConverter(config.queue);
  }
  const { localConverter } = await import('../core/pipeline/converter.js');
  return localConverter(pipelineContext(await startOcr(config)), documentsInHand(config));
}

/**
 * The configured OCR languages have their data (a usage error otherwise), checked before a
 * library is created or locked. With a queue the workers' machines hold the data instead.
 */
export function checkLanguages(config: Config): void {
  if (config.queue.url) return;
  for (const language of config.ocr.languages) languageDataFile(language);
}

/**
 * The OCR engine, started by the first page that needs it (engine-on-first-use.ts), behind the
 * readings cache when the config names one.
 */
export async function startOcr(config: Config): Promise<OcrEngine> {
  const [{ startTesseractEngine }, { withAccentsRestored }, { engineOnFirstUse }, { withReadingsCache, readingIdentity }] = await Promise.all([
    import('../core/ocr/tesseract-engine.js'),
    import('../core/ocr/accent-restoring-engine.js'),
    import('../core/ocr/engine-on-first-use.js'),
    import('../core/ocr/readings-cache.js'),
  ]);
  const engine = engineOnFirstUse(config.ocr.languages, config.ocr.jobs, () =>
    startTesseractEngine({
      languages: config.ocr.languages,
      workers: config.ocr.jobs,
      pageTimeoutMs: config.ocr.pageTimeoutSeconds * 1000,
    }),
  );
  const reading = config.ocr.restoreAccents ? withAccentsRestored(engine) : engine;
  const cache = config.ocr.readingsCache;
  if (!cache) return reading;
  return withReadingsCache(reading, path.resolve(cache), readingIdentity(VERSION, config.ocr.languages, config.ocr.restoreAccents));
}

/** The search backend the config names, loaded only then (Meilisearch's client, or the embedded index). */
export async function openSearchBackend(config: Config, library: Library, env: NodeJS.ProcessEnv = process.env): Promise<SearchBackend> {
  switch (config.search.backend) {
    case 'embedded': {
      const [{ openEmbeddedIndex }, { catalogPageTexts }] = await Promise.all([import('../core/search/embedded/embedded-backend.js'), import('../core/catalog/page-texts.js')]);
      return openEmbeddedIndex(library.indexFile, { texts: catalogPageTexts(library.catalogFile) });
    }
    case 'meilisearch': {
      const { openMeilisearchBackend } = await import('../core/search/meilisearch-backend.js');
      const settings = config.search.meilisearch;
      return openMeilisearchBackend({
        host: settings.host!,
        index: settings.index,
        apiKey: readSecret(settings.apiKeyEnv, env),
        searchKey: readSecret(settings.searchKeyEnv, env),
        batchSize: settings.batchSize,
        taskTimeoutMs: settings.taskTimeoutSeconds * 1000,
        requestTimeoutMs: settings.requestTimeoutSeconds * 1000,
      });
    }
  }
}
