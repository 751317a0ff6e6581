/**
 * Two tiers, as four projects of one run:
 * - fast (`npm run test:fast`): unit and contract tests, no Tesseract and no ingest of the samples,
 *   for the loop of changing code. A new file in tests/unit or tests/contract joins it by itself;
 *   the files of OWN_PROCESS run in the same tier, each in a process of its own (fast-own-process).
 * - real-ocr and e2e: what reads pages with real tesseract.js, and the end-to-end suites through
 *   the built CLI, sharing one ingest of the samples (tests/global-setup.ts).
 * `npm test` (what CI runs) runs all four. No test asserts how long anything took: timing
 * belongs in the benchmark (npm run bench).
 */
import { configDefaults, defineConfig } from 'vitest/config';

/** Unit tests that read pages with real tesseract.js (seconds of OCR each): full tier only. */
const NEEDS_REAL_OCR = [
  // Kills and hangs real tesseract.js workers, and times a real page out.
  'tests/unit/worker-pool.test.ts',
  // Orientation detection and re-reading decided on what real OCR reads of a page.
  'tests/unit/read-page.test.ts',
];

/**
 * Fast tests run in a process of their own: the separator sheet's barcodes on pages up to 35 MP
 * (ZXing's WebAssembly, sharp). Sharing a fork with the other fast files, that fork died without a
 * message in about one fast-tier run in three on a fresh clone without ../shared (stops 39 and
 * 40; cause not found: no V8 fatal-error report, nothing in dmesg), and the file never reported.
 */
const OWN_PROCESS = ['tests/unit/separator-sheet.test.ts'];

const forks = { pool: 'forks' } as const;

export default defineConfig({
  test: {
    // Three files at once on two cores: one OCR-heavy file keeps both cores busy, but many e2e
    // files spend much of their time waiting (a browser, a server, a hot folder's stable window,
    // Redis), and a third file fills those gaps.
    maxWorkers: 3,
    projects: [
      {
        test: {
          ...forks,
          name: 'fast',
          // Files share their worker's process and its loaded modules instead of each importing the
          // code again (most of this tier's time was imports). So a helper keeps no state across
          // files: hooks and folders a file needs are the file's own (see useBatchFolder).
          isolate: false,
          include: ['tests/unit/**/*.test.ts', 'tests/contract/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...NEEDS_REAL_OCR, ...OWN_PROCESS],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          ...forks,
          name: 'fast-own-process',
          include: OWN_PROCESS,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          ...forks,
          name: 'real-ocr',
          include: NEEDS_REAL_OCR,
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          ...forks,
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          // One ingest of the bundled samples, shared by the end-to-end suites.
          globalSetup: ['tests/global-setup.ts'],
          // Real OCR on real pages: slow by nature, bounded by OCR's own page timeout.
          testTimeout: 300_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
