// The history of bulk changes (issue 25, point 5), newest first: who, when, on what, what it set,
// how many documents it changed and how many of its changes still hold; a button to revert one
// whose changes still hold, and after a revert, which changes stayed because someone changed the
// field later (each with its document), as the server says them.
import { api, ApiError, element, errorMessage, t } from './common.js';
import { fieldLabel, shownValue, when } from './record-editor.js';

export function setUpBulkHistory({ onReverted }) {
  const $ = (id) => document.getElementById(id);
  let changes = [];
  let next = null;
  let outcome = null;

  async function load({ more = false } = {}) {
    try {
      const page = await api(`/api/bulk-changes${more && next ? `?before=${next}` : ''}`);
      changes = more ? [...changes, ...page.changes] : page.changes;
      next = page.next;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return location.assign('/');
      $('history-problem').textContent = errorMessage(error);
      return;
    }
    render();
  }

  function selectionText(selection) {
    const none = (value) => value ?? t('bulk.none');
    switch (selection.kind) {
      case 'box':
        return t('bulk.on.box', { collection: none(selection.collection), box: none(selection.box) });
      case 'search':
        return t('bulk.on.search', { q: selection.q });
      case 'documents':
        return t('bulk.on.documents', { count: selection.documents });
      default:
        return t('bulk.on.revert', { of: selection.of });
    }
  }

  function item(change) {
    const set = Object.entries(change.set).map(([field, value]) => `${fieldLabel(field)} → ${shownValue(field, value)}`).join('; ');
    return element(
      'li',
      { class: 'change', id: `bulk-${change.id}` },
      element('p', { class: 'who' }, t('bulk.entry', { id: change.id, by: change.by, when: when(change.at) })),
      element('p', { class: 'values' }, [selectionText(change.selection), set].filter(Boolean).join(' — ')),
      element('p', { class: 'values' }, t('bulk.counts', change)),
      change.revertedBy ? element('p', { class: 'values' }, t('bulk.revertedBy', { id: change.revertedBy })) : null,
      change.revertUrl ? element('button', { type: 'button', class: 'secondary', onclick: () => revert(change) }, t('bulk.revert', { id: change.id })) : null,
    );
  }

  function render() {
    $('history-list').replaceChildren(...(changes.length === 0 ? [element('li', {}, t('bulk.historyNone'))] : changes.map(item)));
    $('history-older').hidden = next === null;
    // What a revert left as it was (the status line said what it put back).
    const left = outcome === null ? [] : outcomeNodes(outcome.result);
    $('history-outcome').hidden = left.length === 0;
    $('history-outcome').replaceChildren(...left);
  }

  function outcomeNodes(result) {
    return [
      ...(result.supersededTotal > 0
        ? [
            element('p', {}, t('bulk.superseded', { count: result.supersededTotal })),
            element(
              'ul',
              {},
              result.superseded.map((entry) =>
                element('li', {}, element('a', { href: entry.viewUrl }, t('bulk.document', { id: entry.documentId })), ' — ', t('bulk.supersededLine', { field: fieldLabel(entry.field), by: entry.by ?? '?', value: shownValue(entry.field, entry.value), when: entry.at ? when(entry.at) : '?' })),
              ),
            ),
            ...(result.supersededTotal > result.superseded.length ? [element('p', {}, t('bulk.andMore', { count: result.supersededTotal - result.superseded.length }))] : []),
          ]
        : []),
      ...(result.skipped > 0 ? [element('p', {}, t('bulk.skipped', { count: result.skipped }))] : []),
    ];
  }

  async function revert(change) {
    $('history-problem').textContent = '';
    $('history-status').textContent = '';
    try {
      const result = await api(change.revertUrl, { method: 'POST', body: '{}' });
      outcome = { id: change.id, result };
      $('history-status').textContent = t('bulk.reverted', { id: change.id, reverted: result.reverted });
      await onReverted();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return location.assign('/');
      $('history-problem').textContent = errorMessage(error);
    }
    await load();
    // The button is gone with what it reverted: the focus goes to the list's heading, not to the page's top.
    $('history-title').focus();
  }

  $('history-older').addEventListener('click', () => load({ more: true }));
  $('history').hidden = false;
  return { load, render };
}
