// The review queue's page (issue 25, /revisao): what the machine was unsure of, filtered by
// collection, box and reason, a page at a time, each item opened beside its page image (the
// document page, review-panel.js) or accepted from here. Keyboard first: j/n and k move between
// items, Enter opens one, a accepts it, e opens it at the field to correct (review-keys.js).
import { api, ApiError, element, errorMessage, setUpLanguageSwitch, t, translatePage } from './common.js';
import { aboutItem, filtersOf, isTyping, itemUrl, placeOf, reasonLabel, renderShortcuts, toggleShortcuts } from './review-keys.js';

const $ = (id) => document.getElementById(id);
const PAGE_SIZE = 25;
const REASONS = ['low-confidence', 'no-date', 'no-type', 'several-dates', 'personal-data-unexpected'];
const state = { filters: filtersOf(new URLSearchParams(location.search)), page: null, position: null };

async function start() {
  translatePage();
  setUpLanguageSwitch($('language'), render);
  await load(null);
  $('review-title').focus();
}

/** A page of the queue from a position (`{after}` or `{before}` a cursor, or its start); `focus`: the item to focus then ('last' for the last). */
async function load(position, focus = null) {
  const query = new URLSearchParams(state.filters);
  query.set('limit', String(PAGE_SIZE));
  if (position?.after) query.set('after', position.after);
  if (position?.before) query.set('before', position.before);
  $('summary').textContent = t('review.loading');
  try {
    state.page = await api(`/api/review?${query}`);
    state.position = position;
    $('problem').textContent = '';
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return location.assign('/');
    state.page = null;
    $('summary').textContent = '';
    $('problem').textContent = errorMessage(error);
    return;
  }
  // The address keeps the filters: back from a document, the queue is where it was left.
  const filters = state.filters.toString();
  history.replaceState(null, '', filters ? `/revisao?${filters}` : '/revisao');
  render();
  if (focus !== null) focusItem(focus === 'last' ? state.page.items.length - 1 : focus);
}

function render() {
  renderShortcuts($('shortcut-list'), ['next', 'previous', 'open', 'accept', 'fix', 'help']);
  const page = state.page;
  if (!page) return;
  const chosen = (name) => state.filters.get(name) ?? '';
  const option = (value, label) => new Option(label, value);
  const named = (entries, key, current) => {
    const list = entries.filter((entry) => entry[key] !== null).map((entry) => option(entry[key], t('review.option', { name: entry[key], count: entry.items })));
    if (current && !entries.some((entry) => entry[key] === current)) list.push(option(current, t('review.option', { name: current, count: 0 })));
    return list;
  };
  $('collection').replaceChildren(option('', t('review.allCollections')), ...named(page.collections, 'collection', chosen('collection')));
  $('collection').value = chosen('collection');
  $('box').replaceChildren(option('', t('review.allBoxes')), ...(chosen('collection') ? named(page.boxes, 'box', chosen('box')) : []));
  $('box').value = chosen('box');
  $('box').disabled = !chosen('collection');
  $('reason').replaceChildren(option('', t('review.allReasons')), ...REASONS.map((reason) => option(reason, t('review.option', { name: reasonLabel(reason), count: page.counts.reasons[reason] }))));
  $('reason').value = chosen('reason');

  const total = chosen('reason') ? page.counts.reasons[chosen('reason')] : page.counts.total;
  $('summary').textContent = total === 0 ? t('review.count.zero') : total === 1 ? t('review.count.one') : t('review.count', { total: total.toLocaleString(document.documentElement.lang) });
  $('items').replaceChildren(...page.items.map(renderItem));
  $('earlier').hidden = page.previous === null;
  $('more').hidden = page.next === null;
}

function renderItem(item, index) {
  const about = `about-${index}`;
  return element(
    'li',
    { class: 'review-item', 'data-index': index },
    element('h2', { class: 'title' }, element('a', { href: itemUrl(item, state.filters), class: 'item-link', 'aria-describedby': about }, item.title)),
    element('p', { class: 'meta' }, element('span', { class: 'badge reason' }, reasonLabel(item.reason)), ' ', placeOf(item)),
    element('p', { id: about, class: 'about' }, aboutItem(item), item.acceptedBefore ? ` ${t('review.acceptedBefore', { by: item.acceptedBefore.by, when: new Date(item.acceptedBefore.at).toLocaleString(document.documentElement.lang) })}` : ''),
    element('p', { class: 'actions' }, element('button', { type: 'button', class: 'secondary', 'aria-keyshortcuts': 'a', 'aria-label': t('review.acceptItem', { reason: reasonLabel(item.reason), title: item.title }), onclick: () => accept(index) }, t('review.accept'))),
  );
}

function focusItem(index) {
  const links = $('items').querySelectorAll('.item-link');
  if (links.length === 0) return $('review-title').focus();
  links[Math.max(0, Math.min(links.length - 1, index))].focus();
}

/** The item the focus is in, or -1. */
function focusedIndex() {
  const item = document.activeElement?.closest?.('.review-item');
  return item ? Number(item.dataset.index) : -1;
}

async function accept(index) {
  const item = state.page?.items[index];
  if (!item) return;
  $('notice').textContent = '';
  try {
    await api('/api/review/accept', { method: 'POST', body: JSON.stringify({ documentId: item.documentId, page: item.page, reason: item.reason }) });
    $('notice').textContent = t('review.accepted');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return location.assign('/');
    $('problem').textContent = errorMessage(error);
  }
  // The same place in the queue again: the item is gone, the one after it takes its place.
  await load(state.position, index);
}

/** j/k: the next or previous item, across pages of the queue. */
async function move(delta) {
  const page = state.page;
  if (!page) return;
  const at = focusedIndex();
  const target = at === -1 ? (delta > 0 ? 0 : page.items.length - 1) : at + delta;
  if (target >= page.items.length) {
    if (page.next) return load({ after: page.next }, 0);
    $('notice').textContent = t('review.end');
    return;
  }
  if (target < 0) {
    if (page.previous) return load({ before: page.previous }, 'last');
    $('notice').textContent = t('review.start');
    return;
  }
  focusItem(target);
}

document.addEventListener('keydown', (event) => {
  if (isTyping(event)) return;
  const index = focusedIndex();
  const actions = {
    j: () => move(1),
    n: () => move(1),
    k: () => move(-1),
    a: () => index !== -1 && accept(index),
    e: () => index !== -1 && location.assign(itemUrl(state.page.items[index], state.filters, { fix: true })),
    '?': () => toggleShortcuts($('shortcuts-toggle'), $('shortcut-list')),
  };
  const action = actions[event.key];
  if (!action) return;
  event.preventDefault();
  action();
});

for (const name of ['collection', 'box', 'reason']) {
  $(name).addEventListener('change', () => {
    if ($(name).value) state.filters.set(name, $(name).value);
    else state.filters.delete(name);
    // A box belongs to its collection.
    if (name === 'collection') state.filters.delete('box');
    $('notice').textContent = '';
    load(null);
  });
}
$('filters').addEventListener('submit', (event) => event.preventDefault());
$('more').addEventListener('click', () => state.page?.next && load({ after: state.page.next }, 0));
$('earlier').addEventListener('click', () => state.page?.previous && load({ before: state.page.previous }, 'last'));
$('shortcuts-toggle').addEventListener('click', () => toggleShortcuts($('shortcuts-toggle'), $('shortcut-list')));

start();
