/**
 * Every page made from the code rather than written by hand, with where it is committed. The
 * generator (scripts/generate-docs.ts) writes them; tests/unit/docs-fresh.test.ts fails when a
 * committed one differs from what the code makes now.
 */
import { renderCliReference } from './cli-reference.js';
import { renderErrorReference } from './error-reference.js';
import { renderSearchGuidePage } from './guide-page.js';

export interface GeneratedPage {
  /** Relative to the project's folder. */
  file: string;
  /** What it is made from, for the message when it is stale. */
  from: string;
  render(): Promise<string> | string;
}

export const REGENERATE = 'npm run docs:generate';

export const GENERATED_PAGES: readonly GeneratedPage[] = [
  { file: 'docs/reference/cli.md', from: "commander's help of every command (cli/program.ts, cli/commands/)", render: renderCliReference },
  { file: 'docs/reference/errors.md', from: 'the exit codes and error codes and their doc comments (cli/exit-codes.ts, core/errors.ts)', render: renderErrorReference },
  { file: 'web/public/search-guide.html', from: 'the clerks\' search guide (docs/search-guide.md)', render: renderSearchGuidePage },
];
