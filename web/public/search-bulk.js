// Bulk changes from the search page (issue 25, point 5), for archive staff only: a box to check
// beside each result, and "Alterar em lote" to set collection, series, box or type on all the
// results of the search (its words and filters, resolved by the server when previewed and again
// when applied) or on the documents checked (kept while paging; forgotten when the search changes).
import { element, t } from './common.js';
import { setUpBulkForm } from './bulk-form.js';

const EDITORS = new Set(['archivist', 'admin']);

/** `state`: the search page's; `me`: who is signed in. Null for a clerk (nothing shown). */
export function setUpSearchBulk({ state, me, onApplied }) {
  const $ = (id) => document.getElementById(id);
  if (!EDITORS.has(me.role)) {
    $('bulk-bar').hidden = true;
    $('bulk-link').hidden = true;
    return null;
  }
  const checked = new Set();
  let searched = '';
  $('bulk-link').hidden = false;
  $('bulk-toggle').addEventListener('click', () => {
    const open = $('bulk-panel').hidden;
    $('bulk-panel').hidden = !open;
    $('bulk-toggle').setAttribute('aria-expanded', String(open));
    if (open) document.querySelector('input[name="bulk-scope"]:checked')?.focus();
  });
  for (const radio of document.querySelectorAll('input[name="bulk-scope"]')) radio.addEventListener('change', () => form.forget());

  /** The search as the server resolves it: the same words and filters the results were found with. */
  function selection() {
    if (!state.last || !state.q.trim()) return { problem: 'bulk.noSearch' };
    if ($('bulk-scope-checked').checked) return checked.size > 0 ? { selection: { documents: [...checked] } } : { problem: 'bulk.noneChecked' };
    const year = (value) => (value ? Number(value) : null);
    return { selection: { search: { q: state.q, collection: [...state.collections], type: [...state.types], yearFrom: year(state.yearFrom), yearTo: year(state.yearTo) } } };
  }

  const form = setUpBulkForm({ form: $('bulk-form'), prefix: 'bulk', selection, onApplied });

  /** A result's check box: one per document (its pages may be several results). */
  function checkbox(hit) {
    const input = element('input', { type: 'checkbox', class: 'bulk-check', 'data-document': hit.documentId, checked: checked.has(hit.documentId), 'aria-label': t('bulk.select', { title: hit.title }) });
    input.addEventListener('change', () => {
      if (input.checked) checked.add(hit.documentId);
      else checked.delete(hit.documentId);
      for (const other of document.querySelectorAll(`.bulk-check[data-document="${hit.documentId}"]`)) other.checked = input.checked;
      form.forget();
      render();
    });
    return element('label', { class: 'bulk-select' }, input, ' ', t('bulk.selectShort'));
  }

  /** After each search: the bar shows with results; a new search (other words or filters) forgets what was checked. */
  function render() {
    const key = JSON.stringify([state.q, [...state.collections], [...state.types], state.yearFrom, state.yearTo]);
    if (key !== searched) {
      searched = key;
      checked.clear();
      form.forget();
    }
    $('bulk-bar').hidden = !(state.last && state.last.total > 0);
    if ($('bulk-bar').hidden) $('bulk-panel').hidden = true;
    $('bulk-toggle').setAttribute('aria-expanded', String(!$('bulk-panel').hidden));
    $('bulk-scope-checked-label').textContent = t('bulk.scope.checked', { count: checked.size });
    form.render();
  }

  return { checkbox, render };
}
