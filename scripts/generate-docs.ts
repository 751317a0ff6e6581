/**
 * `npm run docs:generate`: writes the pages made from the code (docs/generated-pages.ts lists
 * them) and says which changed. Run it after changing a command's options, an error or exit code,
 * or the clerks' search guide; the docs-fresh test fails until then.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GENERATED_PAGES } from './docs/generated-pages.js';
import { repoRoot } from './docs/repo-root.js';

const root = repoRoot();
for (const page of GENERATED_PAGES) {
  const file = path.join(root, page.file);
  const text = await page.render();
  let before: string | null = null;
  try {
    before = readFileSync(file, 'utf8');
  } catch {
    // not written yet
  }
  if (before === text) {
    console.log(`unchanged  ${page.file}`);
  } else {
    writeFileSync(file, text);
    console.log(`written    ${page.file}`);
  }
}
