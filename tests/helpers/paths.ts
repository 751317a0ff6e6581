import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SAMPLES_DIR = path.join(REPO_ROOT, 'samples', 'scans');
export const GROUND_TRUTH_DIR = path.join(REPO_ROOT, 'samples', 'ground-truth');
export const CLI = path.join(REPO_ROOT, 'dist', 'cli', 'main.js');
/** Real scans and awkward PDFs kept beside the project (not in a user's clone). */
export const REAL_SCANS_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'real-scans');
export const HAS_REAL_SCANS = existsSync(REAL_SCANS_DIR);
