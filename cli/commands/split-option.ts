/** `--split` and `--blank-pages`, shared by ingest and watch: how batch scans are cut into documents. */
import { Option } from 'commander';
import { SPLIT_MODES, type SplitMode } from '../../core/model.js';

export interface SplitFlags {
  split?: SplitMode;
  blankPages?: '1' | '2';
}

export function splitModeOption(): Option {
  return new Option('--split <mode>', 'cut batch scans into documents: at separator sheets (barcode, see `acervo separator-sheet`) or blank pages (default none; split.mode)').choices([...SPLIT_MODES]);
}

export function blankPagesOption(): Option {
  return new Option('--blank-pages <n>', 'with --split blank: blank pages in a row that separate; 2 keeps a lone blank page (split.blankPages)').choices(['1', '2']);
}

/** The flags as config values. */
export function splitConfig(flags: SplitFlags): { mode?: SplitMode; blankPages?: 1 | 2 } {
  return { mode: flags.split, blankPages: flags.blankPages === undefined ? undefined : flags.blankPages === '2' ? 2 : 1 };
}
