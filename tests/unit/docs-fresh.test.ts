/**
 * The pages made from the code (the CLI reference, the exit and error codes, the clerks' search
 * guide as the server shows it) are committed; this fails, naming the page and the command that
 * makes it again, when a command's options, a code or the guide changed without them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED_PAGES, REGENERATE } from '../../scripts/docs/generated-pages.js';
import { renderGuideHtml } from '../../scripts/docs/guide-page.js';
import { REPO_ROOT } from '../helpers/paths.js';

describe('generated docs', () => {
  for (const page of GENERATED_PAGES) {
    it(`${page.file} is what the code makes now`, async () => {
      const fresh = await page.render();
      let committed: string | null = null;
      try {
        committed = readFileSync(path.join(REPO_ROOT, page.file), 'utf8');
      } catch {
        // missing: reported below
      }
      const stale = `${page.file} is stale: it is made from ${page.from}. Run \`${REGENERATE}\` and commit the result.`;
      expect(committed, stale).toBe(fresh);
    });
  }

  it('the CLI reference holds every command with its options, and the error page every code with its exit code', async () => {
    const cli = await GENERATED_PAGES.find((page) => page.file.endsWith('cli.md'))!.render();
    expect(cli).toContain('## `acervo ingest`');
    expect(cli).toContain('Usage: acervo ingest [options] <paths...>');
    expect(cli).toContain('--split <mode>');
    expect(cli).toContain('## `acervo make-token`');
    const errors = await GENERATED_PAGES.find((page) => page.file.endsWith('errors.md'))!.render();
    expect(errors).toMatch(/\| 75 \| `LOCKED` \| .*another watcher the inbox/);
    expect(errors).toMatch(/### One input file is refused; the rest of the batch goes on \(exit 2\)[\s\S]*\| `PDF_ENCRYPTED` \| The PDF is password-protected\. \|/);
    expect(errors).toMatch(/\(exit 4\)[\s\S]*`FIXITY_CHANGED`/);
  });

  it('the guide page refuses Markdown it cannot show rather than showing it wrong', () => {
    expect(renderGuideHtml('# T\n\n- a `b` **c**\n  d\n\n| x | y |\n| --- | --- |\n| 1 \\| 2 | [z](#es) |\n')).toContain(
      '<li>a <code>b</code> <strong>c</strong> d</li>',
    );
    expect(renderGuideHtml('| x |\n| --- |\n| 1 \\| 2 |\n')).toContain('<td>1 | 2</td>');
    expect(() => renderGuideHtml('# T\n\n```sh\nx\n```\n')).toThrow(/line 3: the page renderer does not read/);
    expect(() => renderGuideHtml('see [the design](architecture.md)\n')).toThrow(/would not work on the served page/);
    expect(() => renderGuideHtml('a `b\n')).toThrow(/unclosed/);
  });
});
