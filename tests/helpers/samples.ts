/** The bundled samples and their ground truth. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { GROUND_TRUTH_DIR, SAMPLES_DIR } from './paths.js';

export interface Sample {
  /** Relative to samples/scans, '/'-separated. */
  relativePath: string;
  source: string;
  /** Ground truth per page. */
  pages: string[];
}

export function listSamples(): Sample[] {
  return readdirSync(SAMPLES_DIR, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const source = path.join(entry.parentPath, entry.name);
      const relativePath = path.relative(SAMPLES_DIR, source).split(path.sep).join('/');
      const truth = readFileSync(path.join(GROUND_TRUTH_DIR, relativePath.replace(/\.[^./]+$/, '.txt')), 'utf8');
      return { relativePath, source, pages: truth.split('\n\f\n') };
    })
    .sort((a, b) => a.relativePath.localeCompare(b.relativePath));
}
