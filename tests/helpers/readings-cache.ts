/**
 * For suites whose subject is the time reading a page takes — a lock held while pages are read, a
 * time window closing mid-batch, a signal or a kill mid-page — every page is read by Tesseract:
 * answered from the run's readings cache (tests/global-setup.ts), a page read elsewhere in the run
 * would take no time and the moment the test stages would pass. Called at the top of such a file
 * (each test file runs in a process of its own, and the `acervo` it starts inherit its environment).
 */
export function readEveryPageForReal(): void {
  delete process.env.ACERVO_OCR_READINGS_CACHE;
}
