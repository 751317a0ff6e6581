// What the search page and the document view share: words, the API, the session, safe snippets.
import { DOCUMENT_TYPES, LANGUAGES, MESSAGES } from './i18n.js';

const LANGUAGE_KEY = 'acervo.language';

/** The language chosen with the switch, else the browser's, else Portuguese. */
export function currentLanguage() {
  const chosen = localStorage.getItem(LANGUAGE_KEY);
  if (LANGUAGES.includes(chosen)) return chosen;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const code = String(tag).slice(0, 2).toLowerCase();
    if (LANGUAGES.includes(code)) return code;
  }
  return 'pt';
}

export function chooseLanguage(code) {
  localStorage.setItem(LANGUAGE_KEY, code);
}

export function t(key, values = {}) {
  const text = MESSAGES[currentLanguage()][key] ?? MESSAGES.pt[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}

export function typeLabel(key) {
  return DOCUMENT_TYPES[currentLanguage()][key] ?? key;
}

export function languageLabel(code) {
  return code ? t(`lang.${code}`) : t('unknown');
}

/** Fills every [data-i18n] element's text, [data-i18n-placeholder], [data-i18n-label] and [data-i18n-href] attributes. */
export function translatePage() {
  document.documentElement.lang = { pt: 'pt-BR', es: 'es', en: 'en' }[currentLanguage()];
  for (const element of document.querySelectorAll('[data-i18n]')) element.textContent = t(element.dataset.i18n);
  for (const element of document.querySelectorAll('[data-i18n-placeholder]')) element.placeholder = t(element.dataset.i18nPlaceholder);
  for (const element of document.querySelectorAll('[data-i18n-label]')) element.setAttribute('aria-label', t(element.dataset.i18nLabel));
  for (const element of document.querySelectorAll('[data-i18n-href]')) element.setAttribute('href', t(element.dataset.i18nHref));
}

/** The language switch: a labelled select that re-renders the page in the chosen language. */
export function setUpLanguageSwitch(select, onChange) {
  select.replaceChildren(...LANGUAGES.map((code) => new Option(MESSAGES[code][`lang.${code}`], code)));
  select.value = currentLanguage();
  select.addEventListener('change', () => {
    chooseLanguage(select.value);
    translatePage();
    onChange();
  });
}

export class ApiError extends Error {
  constructor(status, code, message, details = {}) {
    super(message);
    this.status = status;
    this.code = code;
    /** The error's other fields: a conflict's `conflicts` (what the field holds now, who set it). */
    this.details = details;
  }
}

export async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { Accept: 'application/json', ...(options.body ? { 'Content-Type': 'application/json' } : {}), ...options.headers },
    credentials: 'same-origin',
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, body.error?.code ?? 'ERROR', body.error?.message ?? response.statusText, body.error ?? {});
  return body;
}

/** What a clerk reads when a request fails. */
export function errorMessage(error) {
  if (error instanceof ApiError) {
    if (error.code === 'SEARCH_UNAVAILABLE') return t('error.unavailable');
    // A correction refused (web/routes/corrections.ts): what to do about it, in the page's language.
    const correction = { EDIT_CONFLICT: 'correction.conflict', INVALID_CORRECTION: 'correction.invalid', PERSONAL_DATA_REQUIRED: 'correction.personalData', COLLECTION_RESTRICTED: 'correction.collectionRestricted', REVIEW_GONE: 'review.gone' }[error.code];
    if (correction) return t(correction);
    if (error.status === 403) return t('error.forbidden');
    if (error.status === 429) return t('signin.tooMany');
  }
  return t('error.generic');
}

/**
 * A snippet from the API (escaped text with <mark> around matches) as DOM nodes, built without
 * innerHTML: nothing in a document's text can become markup.
 */
export function snippetNodes(snippet) {
  const decode = (text) => text.replace(/&(amp|lt|gt|quot|#39);/g, (_, name) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name]);
  const nodes = [];
  let marked = false;
  for (const part of snippet.split(/(<mark>|<\/mark>)/)) {
    if (part === '<mark>') marked = true;
    else if (part === '</mark>') marked = false;
    else if (part) {
      const text = document.createTextNode(decode(part));
      if (marked) {
        const mark = document.createElement('mark');
        mark.append(text);
        nodes.push(mark);
      } else nodes.push(text);
    }
  }
  return nodes;
}

export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children.flat().filter((child) => child !== null && child !== undefined));
  return node;
}
