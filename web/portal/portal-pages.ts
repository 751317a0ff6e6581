/**
 * The portal's pages as plain HTML, made on the server: no script at all, one small stylesheet,
 * no images (a document's pages come only as its PDF, when asked for). Landmarks, labels, a skip
 * link and the page's language set, for screen readers and keyboards (WCAG 2.2 AA).
 */
import { HTML_LANG, LANGS, WORDS, typeWords, type Lang } from './portal-i18n.js';
import type { PublicRecord } from './public-set.js';
import { displayDate, shownTitle } from './record-words.js';

export { displayDate } from './record-words.js';

export const PORTAL = '/transparencia';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (text: string | number | null | undefined) => String(text ?? '').replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);

/** A portal address with these query parameters (empty ones left out), in this language. */
export function href(path: string, lang: Lang, params: Record<string, string | number | null | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== null && value !== undefined && value !== '') query.set(key, String(value));
  if (lang !== 'pt') query.set('lang', lang);
  const text = query.toString();
  return `${path}${text ? `?${text}` : ''}`;
}

export function layout(options: { lang: Lang; title: string; body: string; path: string; params?: Record<string, string | number | null | undefined> }): string {
  const w = WORDS[options.lang];
  const switcher = LANGS.map((lang) =>
    lang === options.lang
      ? `<li><span aria-current="true">${esc(HTML_LANG[lang])}</span></li>`
      : `<li><a href="${esc(href(options.path, lang, options.params))}" hreflang="${HTML_LANG[lang]}" lang="${HTML_LANG[lang]}">${esc({ pt: 'Português', es: 'Español', en: 'English' }[lang])}</a></li>`,
  ).join('');
  return `<!doctype html>
<html lang="${HTML_LANG[options.lang]}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(options.title)} · ${esc(w.siteTitle)}</title>
<link rel="stylesheet" href="${PORTAL}/portal.css">
</head>
<body>
<a class="skip" href="#conteudo">${esc(w.skip)}</a>
<header><p class="site"><a href="${esc(href(PORTAL, options.lang))}">${esc(w.siteTitle)}</a></p>
<nav aria-label="${esc(w.language)}"><ul class="langs">${switcher}</ul></nav></header>
<main id="conteudo" tabindex="-1">
${options.body}
</main>
<footer><p><a href="${esc(href(`${PORTAL}/dados`, options.lang))}">${esc(w.openData)}</a></p></footer>
</body>
</html>`;
}

export function searchForm(lang: Lang, types: readonly string[], values: { q?: string; numero?: string; ano?: number | null; tipo?: string | null } = {}): string {
  const w = WORDS[lang];
  const options = types.map((type) => `<option value="${esc(type)}"${values.tipo === type ? ' selected' : ''}>${esc(typeWords(type, lang).name)}</option>`).join('');
  return `<form class="search" role="search" method="get" action="${PORTAL}/busca">
<h2 id="busca">${esc(w.searchHeading)}</h2>
<p><label for="q">${esc(w.subject)}</label><input id="q" name="q" type="search" maxlength="200" value="${esc(values.q)}" aria-describedby="q-hint"><span id="q-hint" class="hint">${esc(w.subjectHint)}</span></p>
<p><label for="numero">${esc(w.number)}</label><input id="numero" name="numero" maxlength="40" inputmode="text" value="${esc(values.numero)}" aria-describedby="numero-hint"><span id="numero-hint" class="hint">${esc(w.numberHint)}</span></p>
<p><label for="ano">${esc(w.year)}</label><input id="ano" name="ano" inputmode="numeric" pattern="[0-9]{4}" maxlength="4" value="${esc(values.ano ?? '')}"></p>
<p><label for="tipo">${esc(w.type)}</label><select id="tipo" name="tipo"><option value="">${esc(w.anyType)}</option>${options}</select></p>
${lang !== 'pt' ? `<input type="hidden" name="lang" value="${lang}">` : ''}
<p><button type="submit">${esc(w.search)}</button></p>
</form>`;
}

/** A document as a line in a list: its title linked to its permanent page, then type and date. */
export function recordItem(record: PublicRecord, lang: Lang, snippet?: string | null): string {
  const facts = [record.documentType ? typeWords(record.documentType, lang).name : null, displayDate(record, lang)].filter(Boolean).join(' · ');
  return `<li><a href="${esc(href(`${PORTAL}/d/${record.publicId}`, lang))}">${esc(shownTitle(record, lang))}</a>${facts ? `<span class="facts">${esc(facts)}</span>` : ''}${snippet ? `<span class="snippet">${snippet}</span>` : ''}</li>`;
}

/** "Prefeitura. Decreto nº 12. Decreto, 03/02/1987. Disponível em: <url>. Acesso em: 06/12/2026." */
export function citation(record: PublicRecord, options: { publisher: string; url: string; lang: Lang; today: Date }): string {
  const w = WORDS[options.lang];
  const today = displayDate({ date: options.today.toISOString().slice(0, 10), year: null }, options.lang);
  const kind = record.documentType ? typeWords(record.documentType, options.lang).article : null;
  const when = displayDate(record, options.lang);
  return `${options.publisher}. ${shownTitle(record, options.lang)}.${kind || when ? ` ${[kind, when].filter(Boolean).join(', ')}.` : ''} ${w.availableAt}: ${options.url}. ${w.accessedOn}: ${today}.`;
}

/** What a citizen past the per-address limit sees (429), in their language: wait a minute. */
export function tooManyPage(lang: Lang): string {
  const w = WORDS[lang];
  return layout({ lang, title: w.siteTitle, path: PORTAL, body: `<h1>${esc(w.siteTitle)}</h1><p role="alert">${esc(w.tooMany)}</p>` });
}
