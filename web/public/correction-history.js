// A document's corrections, newest first (who, when, which field, before → after), for everyone;
// for archive staff, a button to revert each change still current (web/routes/corrections.ts).
import { api, ApiError, element, errorMessage, t } from './common.js';
import { fieldLabel, shownValue, when } from './record-editor.js';

/** `onReverted(record)` after a revert: the page re-reads the record and the document. */
export function setUpHistory({ documentId, mayEdit, onReverted }) {
  const $ = (id) => document.getElementById(id);
  let changes = null;

  async function load() {
    try {
      changes = (await api(`/api/documents/${encodeURIComponent(documentId)}/history`)).changes;
    } catch (error) {
      $('history-problem').textContent = errorMessage(error);
      return;
    }
    render();
  }

  function render() {
    if (!changes) return;
    $('history-list').replaceChildren(...(changes.length === 0 ? [element('li', {}, t('history.none'))] : changes.map(item)));
  }

  function item(change) {
    const field = fieldLabel(change.field, change.page);
    const after = change.action === 'set' ? shownValue(change.field, change.value) : t('history.toMachine', { value: shownValue(change.field, change.machineValue) });
    return element(
      'li',
      { class: 'change', 'data-id': change.id },
      element('p', { class: 'who' }, t('history.entry', { field, by: change.by, when: when(change.at) }), change.revertUrl ? element('span', { class: 'badge' }, t('history.current')) : null),
      change.bulkChange ? element('p', { class: 'values' }, mayEdit ? element('a', { href: `/lote#bulk-${change.bulkChange}` }, t('history.bulk', { id: change.bulkChange })) : t('history.bulk', { id: change.bulkChange })) : null,
      element('p', { class: 'values' }, `${shownValue(change.field, change.before)} → ${after}`),
      mayEdit && change.revertUrl ? element('button', { type: 'button', class: 'secondary', onclick: () => revert(change) }, t('history.revert', { field })) : null,
    );
  }

  async function revert(change) {
    $('history-problem').textContent = '';
    try {
      const result = await api(change.revertUrl, { method: 'POST', body: '{}' });
      const field = fieldLabel(change.field, change.page);
      const now = result.saved.action === 'set' ? result.saved.value : result.saved.machineValue;
      $('history-status').textContent = t('history.reverted', { field, value: shownValue(change.field, now) });
      await onReverted(result.record);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return location.reload();
      $('history-problem').textContent = errorMessage(error);
    }
    await load();
    // The button is gone with its change: the focus goes to the list's heading, not to the page's top.
    $('history-title').focus();
  }

  $('history').hidden = false;
  return { load, render };
}
