// What the review queue's page (review.js) and the document page's review panel (review-panel.js)
// share: each reason in words, an item's address in the queue, the keyboard shortcuts and their
// visible list, and moving to the item before or after another.
import { api, element, t, typeLabel } from './common.js';

/** Whether a key press belongs to what the user is typing (or is a shortcut of the browser), not to ours. */
export function isTyping(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return true;
  const target = event.target;
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement || target?.isContentEditable === true;
}

export const reasonLabel = (reason) => t(`review.reason.${reason}`);

function dateLabel(iso) {
  const date = new Date(`${iso}T12:00:00Z`);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleDateString(document.documentElement.lang);
}

/** What the machine read that puts the item in the queue, in a sentence. */
export function aboutItem(item) {
  switch (item.reason) {
    case 'low-confidence':
      return item.confidence === null ? t('review.about.unread', { page: item.page }) : t('review.about.low-confidence', { page: item.page, confidence: Math.round(item.confidence) });
    case 'several-dates': {
      const chosen = item.dates.find((entry) => entry.main);
      const others = item.dates.filter((entry) => !entry.main).map((entry) => dateLabel(entry.date));
      return t('review.about.several-dates', { chosen: chosen ? dateLabel(chosen.date) : t('unknown'), others: others.join(', ') });
    }
    case 'personal-data-unexpected':
      return t('review.about.personal-data-unexpected', { collection: item.collection ?? t('review.noCollection') });
    default:
      return t(`review.about.${item.reason}`);
  }
}

/** Where the item is: collection, box, type, page. */
export function placeOf(item) {
  return [item.collection, item.box ? `${t('review.box')} ${item.box}` : null, item.documentType ? typeLabel(item.documentType) : null, item.page !== null && item.reason === 'low-confidence' ? t('review.page', { page: item.page }) : null]
    .filter(Boolean)
    .join(' · ');
}

/** The queue's filters as the page's address and the API take them (collection, box, reason). */
export function filtersOf(params) {
  const filters = new URLSearchParams();
  for (const name of ['collection', 'box', 'reason']) if (params.get(name)) filters.set(name, params.get(name));
  return filters;
}

/**
 * The document page of an item, opened as part of the queue: `fila` the queue's filters, `item`
 * where it stands (the API's cursor), `motivo` its reason; `corrigir` goes straight to the field.
 */
export function itemUrl(item, filters, { fix = false } = {}) {
  const url = new URL(item.viewUrl, location.origin);
  url.searchParams.set('fila', filters.toString());
  url.searchParams.set('item', item.cursor);
  url.searchParams.set('motivo', item.reason);
  if (fix) url.searchParams.set('corrigir', '1');
  return `${url.pathname}${url.search}`;
}

/** The item just after (or before) a position in the queue, or null at its end. */
export async function neighbour(filters, cursor, direction) {
  const query = new URLSearchParams(filters);
  query.set(direction === 'next' ? 'after' : 'before', cursor);
  query.set('limit', '1');
  const page = await api(`/api/review?${query}`);
  return page.items[0] ?? null;
}

const SHORTCUTS = ['next', 'previous', 'open', 'accept', 'fix', 'escape', 'help'];

/** The visible list of shortcuts (`keys`: which of them this page has). */
export function renderShortcuts(list, keys = SHORTCUTS) {
  list.replaceChildren(...keys.map((key) => element('li', {}, t(`review.shortcuts.${key}`))));
}

/** `?` shows or hides the list; its heading says whether it is open. */
export function toggleShortcuts(toggle, list) {
  const open = list.hidden;
  list.hidden = !open;
  toggle.setAttribute('aria-expanded', String(open));
}
