/**
 * The metadata test set as a benchmark: precision, recall and F1 per field, on the records' text
 * layer and on the same records scanned and read by OCR (scanned.ts).
 */
import { printTable } from '../table.js';
import { loadMetadataSet, type MetadataRecord } from './load.js';
import { DEFAULT_OCR_CACHE } from './ocr-cache.js';
import { pageClassOf, scoreScannedMetadataSet } from './scanned.js';
import { METADATA_FIELDS, scoreMetadataSet, textLayerPages, type MetadataScores } from './score.js';

const percent = (value: number) => (value * 100).toFixed(1);

/** The per-field table, under a label ("text layer", "scanned"). */
export function printMetadataScores(label: string, scores: MetadataScores): void {
  console.log(`\nMetadata of ${scores.records} records (${label}):`);
  printTable(
    ['field', 'precision %', 'recall %', 'F1 %', 'right', 'wrong/extra', 'missed'],
    METADATA_FIELDS.map((field) => {
      const s = scores.fields[field];
      return [field, percent(s.precision), percent(s.recall), percent(s.f1), String(s.truePositives), String(s.falsePositives), String(s.falseNegatives)];
    }),
  );
}

/** Each record's misses, one line each: what the truth has that was not read (−), what was read that it has not (+). */
export function printMetadataMisses(scores: MetadataScores): void {
  for (const miss of scores.misses) {
    const parts = [...miss.expected.map((value) => `−${value}`), ...miss.got.map((value) => `+${value}`)];
    console.log(`  ${miss.id} ${miss.field}: ${parts.join('  ')}`);
  }
}

/**
 * The text-layer run, then (unless `textOnly`) the same records scanned and read by OCR
 * (scanned.ts: a few minutes, one page per record, or seconds for the scans whose reading is in
 * the cache, ocr-cache.ts; ACERVO_BENCH_OCR_CACHE=off reads every page again without it).
 */
export async function benchMetadataSet(options: { misses?: boolean; textOnly?: boolean } = {}): Promise<{ records: MetadataRecord[]; textLayer: MetadataScores; scanned: MetadataScores | null }> {
  const records = loadMetadataSet();
  const textLayer = scoreMetadataSet(records, textLayerPages(records));
  printMetadataScores('text layer', textLayer);
  if (options.misses) printMetadataMisses(textLayer);
  if (options.textOnly) return { records, textLayer, scanned: null };
  const cacheDir = process.env.ACERVO_BENCH_OCR_CACHE === 'off' ? undefined : DEFAULT_OCR_CACHE;
  const { scores: scanned, hard, read } = await scoreScannedMetadataSet(records, pageClassOf, { cacheDir });
  const cached = records.length - read;
  const how = cached > 0 ? `read by acervo ingest, ${cached} of them earlier (OCR cache ${cacheDir})` : 'read by acervo ingest';
  printMetadataScores(`scanned: ${records.length - hard} clean pages, ${hard} hard pages, ${how}`, scanned);
  if (options.misses) printMetadataMisses(scanned);
  console.log('  Reproduce: npm run bench -- --metadata-set-only');
  return { records, textLayer, scanned };
}
