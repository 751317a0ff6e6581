/**
 * web/public/search-guide.html, the page `acervo serve` shows at /ajuda: the clerks' search guide
 * (docs/search-guide.md) as HTML, so the page the clerks open and the guide in the repository
 * never differ.
 *
 * It reads only the few Markdown forms the guide uses — headings, paragraphs, `- ` lists,
 * tables, `code`, **bold** and [links](…) — and a `<!-- section: ID LANG -->` line that opens a
 * part in another language. Anything else stops the generator with the line it could not read,
 * rather than putting it on the page wrong.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './repo-root.js';

export const GUIDE_SOURCE = 'docs/search-guide.md';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** `code`, **bold** and [text](url) within a line; everything else is text. */
function inline(text: string, where: string): string {
  let html = '';
  const pattern = /`([^`]+)`|\*\*([^*]+)\*\*|\[([^\]]+)\]\(([^)\s]+)\)/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    html += escape(text.slice(last, match.index));
    if (match[1] !== undefined) html += `<code>${escape(match[1])}</code>`;
    else if (match[2] !== undefined) html += `<strong>${inline(match[2], where)}</strong>`;
    else html += `<a href="${escape(pageLink(match[4]!, where))}">${inline(match[3]!, where)}</a>`;
    last = match.index! + match[0].length;
  }
  const rest = text.slice(last);
  if (/[`*]|\]\(/.test(rest)) throw new Error(`${where}: unclosed \`code\`, **bold** or [link](…) in "${rest.trim()}".`);
  return html + escape(rest);
}

/** A link as the served page needs it: anchors and web addresses as written; nothing into the repository, which the server does not serve. */
function pageLink(target: string, where: string): string {
  if (target.startsWith('#') || /^https?:\/\//.test(target) || target === '/') return target;
  throw new Error(`${where}: the link ${target} would not work on the served page; link to an anchor, / or a web address.`);
}

/** A heading's anchor as GitHub makes it, so a link such as (#español) works on GitHub and on the served page alike. */
function slug(heading: string, taken: Map<string, number>): string {
  const base = heading.replace(/[`*]/g, '').toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').trim().replace(/\s/g, '-');
  const seen = taken.get(base) ?? 0;
  taken.set(base, seen + 1);
  return seen === 0 ? base : `${base}-${seen}`;
}

const cells = (line: string) => line.trim().replace(/^\||\|$/g, '').split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));

export function renderGuideHtml(markdown: string): string {
  const lines = markdown.split('\n');
  const body: string[] = [];
  let title = '';
  // Paragraphs and list items are read whole before their inline marks: **bold** may span lines.
  let paragraph: string[] = [];
  let paragraphAt = '';
  let list: Array<{ text: string; at: string }> | null = null;
  let sectionOpen = false;
  const anchors = new Map<string, number>();
  const flush = () => {
    if (paragraph.length > 0) body.push(`<p>${inline(paragraph.join(' '), paragraphAt)}</p>`);
    paragraph = [];
    if (list) body.push(`<ul>\n${list.map((item) => `  <li>${inline(item.text, item.at)}</li>`).join('\n')}\n</ul>`);
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const where = `${GUIDE_SOURCE} line ${i + 1}`;
    const section = /^<!-- section: ([a-z]+) ([A-Za-z-]+) -->$/.exec(line);
    const heading = /^(#{1,3}) (.+)$/.exec(line);
    if (line.startsWith('<!--') && !section) {
      if (!line.endsWith('-->')) throw new Error(`${where}: keep a comment on one line.`);
      continue;
    }
    if (section) {
      flush();
      if (sectionOpen) body.push('</section>');
      body.push(`<section id="${section[1]}" lang="${section[2]}">`);
      sectionOpen = true;
    } else if (line.trim() === '') {
      flush();
    } else if (heading) {
      flush();
      const level = heading[1]!.length;
      if (level === 1) title = heading[2]!;
      body.push(`<h${level} id="${escape(slug(heading[2]!, anchors))}">${inline(heading[2]!, where)}</h${level}>`);
    } else if (line.startsWith('|')) {
      flush();
      const rows: string[][] = [];
      for (; i < lines.length && lines[i]!.startsWith('|'); i++) rows.push(cells(lines[i]!));
      i--;
      if (rows.length < 2 || !rows[1]!.every((cell) => /^:?-{3,}:?$/.test(cell))) throw new Error(`${where}: a table needs a header row and a |---| row.`);
      const [head, , ...rest] = rows;
      body.push(
        '<table>',
        `  <thead><tr>${head!.map((cell) => `<th scope="col">${inline(cell, where)}</th>`).join('')}</tr></thead>`,
        '  <tbody>',
        ...rest.map((row) => `    <tr>${row.map((cell) => `<td>${inline(cell, where)}</td>`).join('')}</tr>`),
        '  </tbody>',
        '</table>',
      );
    } else if (line.startsWith('- ')) {
      if (paragraph.length > 0) flush();
      list ??= [];
      list.push({ text: line.slice(2).trim(), at: where });
    } else if (list && line.startsWith('  ')) {
      list[list.length - 1]!.text += ` ${line.trim()}`;
    } else if (/^(\s|```|>|\d+\.|\* |\+ |#)/.test(line)) {
      throw new Error(`${where}: the page renderer does not read "${line.trim()}"; use headings, paragraphs, - lists and tables.`);
    } else {
      if (list) flush();
      if (paragraph.length === 0) paragraphAt = where;
      paragraph.push(line);
    }
  }
  flush();
  if (sectionOpen) body.push('</section>');
  return [
    '<!doctype html>',
    '<!-- Generated by `npm run docs:generate` from docs/search-guide.md. Do not edit by hand. -->',
    '<html lang="pt-BR">',
    '  <head>',
    '    <meta charset="utf-8">',
    '    <meta name="viewport" content="width=device-width, initial-scale=1">',
    `    <title>${escape(title.replace(/[`*]/g, ''))}</title>`,
    '    <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">',
    '    <link rel="stylesheet" href="/assets/style.css">',
    '  </head>',
    '  <body>',
    '    <main class="guide">',
    '      <p><a href="/">Voltar à busca</a> · <a href="/" lang="es">Volver a la búsqueda</a></p>',
    ...body.map((html) => html.replace(/^/gm, '      ')),
    '    </main>',
    '  </body>',
    '</html>',
    '',
  ].join('\n');
}

export function renderSearchGuidePage(): string {
  return renderGuideHtml(readFileSync(path.join(repoRoot(), GUIDE_SOURCE), 'utf8'));
}
