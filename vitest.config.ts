import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // One ingest of the bundled samples, shared by the end-to-end suites.
    globalSetup: ['tests/global-setup.ts'],
    // Real OCR on real pages: slow by nature, bounded by OCR's own page timeout.
    testTimeout: 300_000,
    hookTimeout: 600_000,
    // OCR already uses every core; two OCR-heavy files at once only thrash.
    maxWorkers: 2,
    pool: 'forks',
  },
});
