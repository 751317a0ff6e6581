// The search page: sign in, then search as you type, with filters, facet counts and paging; for
// archive staff, bulk changes of the results (search-bulk.js).
import { api, ApiError, element, errorMessage, setUpLanguageSwitch, snippetNodes, t, translatePage, typeLabel } from './common.js';
import { setUpSearchBulk } from './search-bulk.js';

const $ = (id) => document.getElementById(id);
const PAGE_SIZE = 20;
/** Wait for a pause in the typing before searching: fewer requests, no flicker. */
const TYPING_PAUSE_MS = 150;

const state = { q: '', collections: new Set(), types: new Set(), yearFrom: '', yearTo: '', sort: 'relevance', page: 1, last: null };
let pending = null;
let timer = null;
/** Bulk changes of the results, for archive staff (null for clerks). */
let bulk = null;

async function start() {
  translatePage();
  setUpLanguageSwitch($('language'), () => {
    fillSortOptions();
    render();
  });
  fillSortOptions();
  readLocation();
  try {
    const me = await api('/api/session');
    showSearch(me);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) showSignIn();
    else showSignIn(errorMessage(error));
  }
}

function showSignIn(message = '') {
  $('search-view').hidden = true;
  $('who').hidden = true;
  $('sign-out').hidden = true;
  $('review-link').hidden = true;
  $('sign-in-view').hidden = false;
  $('sign-in-error').textContent = message;
  $('user-name').focus();
}

function showSearch(me) {
  $('sign-in-view').hidden = true;
  $('search-view').hidden = false;
  $('who').textContent = t('signedInAs', { name: me.name });
  $('who').hidden = false;
  $('sign-out').hidden = false;
  // Once per page: signing in again as someone else reloads it (sign-out below).
  bulk ??= setUpSearchBulk({ state, me, onApplied: () => search() });
  // The review queue is archive staff's (the API refuses clerks).
  $('review-link').hidden = !['archivist', 'admin'].includes(me.role);
  $('q').value = state.q;
  $('year-from').value = state.yearFrom;
  $('year-to').value = state.yearTo;
  $('sort').value = state.sort;
  $('q').focus();
  if (state.q) search();
  else render();
}

$('sign-in').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const me = await api('/api/session', { method: 'POST', body: JSON.stringify({ name: $('user-name').value, password: $('password').value }) });
    $('password').value = '';
    showSearch(me);
  } catch (error) {
    $('sign-in-error').textContent = error instanceof ApiError && error.status === 401 ? t('signin.bad') : errorMessage(error);
    $('password').select();
  }
});

$('sign-out').addEventListener('click', async () => {
  await api('/api/session', { method: 'DELETE' }).catch(() => {});
  state.last = null;
  // The next person's role decides what the page offers: start afresh.
  if (bulk) return location.reload();
  showSignIn();
});

$('search').addEventListener('submit', (event) => {
  event.preventDefault();
  clearTimeout(timer);
  state.page = 1;
  search();
});

$('q').addEventListener('input', () => {
  state.q = $('q').value;
  state.page = 1;
  clearTimeout(timer);
  timer = setTimeout(search, TYPING_PAUSE_MS);
});

for (const id of ['year-from', 'year-to']) {
  $(id).addEventListener('input', () => {
    const value = $(id).value.trim();
    if (value !== '' && !/^\d{4}$/.test(value)) return; // wait for four digits
    state[id === 'year-from' ? 'yearFrom' : 'yearTo'] = value;
    state.page = 1;
    clearTimeout(timer);
    timer = setTimeout(search, TYPING_PAUSE_MS);
  });
}

$('sort').addEventListener('change', () => {
  state.sort = $('sort').value;
  state.page = 1;
  search();
});

$('clear-filters').addEventListener('click', () => {
  state.collections.clear();
  state.types.clear();
  state.yearFrom = state.yearTo = '';
  $('year-from').value = $('year-to').value = '';
  state.page = 1;
  search();
});

$('previous').addEventListener('click', () => goToPage(state.page - 1));
$('next').addEventListener('click', () => goToPage(state.page + 1));

function goToPage(page) {
  state.page = page;
  search().then(() => $('results').focus());
}

function fillSortOptions() {
  const value = $('sort').value || state.sort;
  $('sort').replaceChildren(...['relevance', 'date-desc', 'date-asc', 'title'].map((key) => new Option(t(`sort.${key}`), key)));
  $('sort').value = value;
}

function readLocation() {
  const params = new URLSearchParams(location.search);
  state.q = params.get('q') ?? '';
  for (const value of params.getAll('collection')) state.collections.add(value);
  for (const value of params.getAll('type')) state.types.add(value);
  state.yearFrom = params.get('yearFrom') ?? '';
  state.yearTo = params.get('yearTo') ?? '';
  state.sort = params.get('sort') ?? 'relevance';
  state.page = Number(params.get('page') ?? 1) || 1;
}

function queryString() {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  for (const value of state.collections) params.append('collection', value);
  for (const value of state.types) params.append('type', value);
  if (state.yearFrom) params.set('yearFrom', state.yearFrom);
  if (state.yearTo) params.set('yearTo', state.yearTo);
  if (state.sort !== 'relevance') params.set('sort', state.sort);
  if (state.page > 1) params.set('page', String(state.page));
  return params.toString();
}

async function search() {
  const qs = queryString();
  // The address holds the search, so the back button and a shared link bring it back.
  history.replaceState(null, '', qs ? `/?${qs}` : '/');
  if (!state.q.trim()) {
    state.last = null;
    render();
    return;
  }
  pending?.abort();
  const controller = new AbortController();
  pending = controller;
  try {
    const result = await api(`/api/search?${qs}&pageSize=${PAGE_SIZE}`, { signal: controller.signal });
    if (pending !== controller) return; // a newer search has started
    state.last = result;
    render();
  } catch (error) {
    if (error.name === 'AbortError') return;
    if (error instanceof ApiError && error.status === 401) return showSignIn();
    state.last = null;
    render(errorMessage(error));
  }
}

function render(problem = '') {
  const result = state.last;
  const hits = $('hits');
  const message = $('message');
  hits.replaceChildren();
  message.replaceChildren();
  $('paging').hidden = true;
  renderFacets(result?.facets ?? null);
  bulk?.render();
  if (problem) {
    $('status').textContent = '';
    message.append(element('p', { class: 'error', role: 'alert' }, problem));
    return;
  }
  if (!result) {
    $('status').textContent = '';
    message.append(element('h2', {}, t('results.empty.title')), element('p', {}, t('results.empty.body')));
    return;
  }
  if (result.refused) {
    // Nothing to search for (a lone quote, only exclusions…): the clerk's to fix, not an error.
    $('status').textContent = '';
    message.append(element('p', { class: 'notice' }, t(`results.refused.${result.refused}`, { query: result.query })));
    return;
  }
  const total = totalText(result);
  $('status').textContent = result.total === 1 && !result.totalEstimate ? t('results.one') : t('results.count', { total });
  if (result.ignored?.length) message.append(element('p', { class: 'notice' }, t('results.ignored', { items: result.ignored.join('  ') })));
  if (result.total === 0) {
    message.append(element('h2', {}, t('results.none.title', { query: result.query })), element('p', {}, t('results.none.tips')));
    return;
  }
  for (const hit of result.hits) hits.append(renderHit(hit, result.query));
  const from = (result.page - 1) * result.pageSize + 1;
  const to = from + result.hits.length - 1;
  $('position').textContent = t('paging.position', { from, to, total });
  $('previous').disabled = result.page <= 1;
  $('next').disabled = to >= result.total;
  $('paging').hidden = false;
  $('paging').setAttribute('aria-label', t('paging.position', { from, to, total }));
}

/** The total as said: exact, "more than" when counting stopped at a cap, "about" when it was estimated. */
function totalText(result) {
  const number = result.total.toLocaleString(document.documentElement.lang);
  return result.totalEstimate ? t(`results.total.${result.totalEstimate}`, { total: number }) : number;
}

function renderHit(hit, query) {
  const view = `${hit.viewUrl}&q=${encodeURIComponent(query)}`;
  const meta = [hit.documentType ? typeLabel(hit.documentType) : null, hit.collection, hit.year, t('results.page', { page: hit.page })].filter(Boolean).join(' · ');
  return element(
    'li',
    { class: 'hit' },
    element('h2', { class: 'title' }, element('a', { href: view }, hit.title)),
    element('p', { class: 'meta' }, meta, hit.personalData ? element('span', { class: 'badge' }, t('results.personalData')) : null),
    element('p', { class: 'snippet' }, snippetNodes(hit.snippet)),
    element(
      'p',
      { class: 'actions' },
      element('a', { href: view, class: 'button-link', 'aria-label': `${t('results.open', { page: hit.page })}: ${hit.title}` }, t('results.open', { page: hit.page })),
      element('a', { href: `/api/documents/${hit.documentId}/pdf?download=1`, class: 'button-link secondary', download: '' }, t('results.download')),
      bulk?.checkbox(hit) ?? null,
    ),
  );
}

function renderFacets(facets) {
  renderOptions($('collections'), facets?.collection ?? [], state.collections, (value) => value, 'collection');
  renderOptions($('types'), facets?.documentType ?? [], state.types, typeLabel, 'type');
}

/** One checkbox per value, with its count; values chosen before stay listed (with no count) so they can be unticked. */
function renderOptions(fieldset, counts, chosen, label, name) {
  const box = fieldset.querySelector('.options');
  const values = new Map(counts.map((facet) => [facet.value, facet.count]));
  for (const value of chosen) if (!values.has(value)) values.set(value, 0);
  box.replaceChildren(
    ...[...values].map(([value, count], i) => {
      const id = `${name}-${i}`;
      const input = element('input', { type: 'checkbox', id, value, checked: chosen.has(value) });
      input.addEventListener('change', () => {
        if (input.checked) chosen.add(value);
        else chosen.delete(value);
        state.page = 1;
        search();
      });
      return element('div', { class: 'option' }, input, element('label', { for: id }, label(value), ' ', element('span', { class: 'count' }, `(${count})`)));
    }),
  );
  fieldset.hidden = values.size === 0;
}

start();
