// The form of a bulk change (issue 25, point 5; web/routes/bulk-changes.ts), shared by the search
// page (its results, or the ones checked) and the bulk page (a whole box): which fields to set and
// to what, a preview of what would change (how many, from which values, the first documents), a
// confirmation for large selections, and the change. The preview's version goes with the change:
// if someone changed one of those fields since, nothing is changed and the form lists who changed
// what, with a button to preview again (having seen it, the change then goes over theirs).
import { api, ApiError, element, errorMessage, t, typeLabel } from './common.js';
import { DOCUMENT_TYPES } from './i18n.js';
import { fieldLabel, shownValue, when } from './record-editor.js';

export const BULK_FIELDS = ['collection', 'series', 'box', 'documentType'];

/**
 * Builds the form inside `form` (a <form>), its ids prefixed with `prefix`. `selection()` returns
 * the API's selection, or { problem: message key } when there is none yet; `onApplied(change)`
 * runs after a change was made.
 */
export function setUpBulkForm({ form, prefix, selection, onApplied }) {
  const id = (name) => `${prefix}-${name}`;
  const $ = (name) => document.getElementById(id(name));
  /** What the shown preview was asked for, and its answer: the change sends the same. */
  let previewed = null;
  let outcome = null;

  const checkbox = (field) => $(`change-${field}`);
  const input = (field) => $(`value-${field}`);

  function build() {
    const types = Object.keys(DOCUMENT_TYPES.pt);
    const rows = BULK_FIELDS.map((field) => {
      const control =
        field === 'documentType'
          ? element('select', { id: id(`value-${field}`), disabled: true }, element('option', { value: '' }, t('unknown')), types.map((key) => element('option', { value: key }, typeLabel(key))))
          : element('input', { id: id(`value-${field}`), type: 'text', autocomplete: 'off', disabled: true });
      const change = element('input', { type: 'checkbox', id: id(`change-${field}`), 'aria-controls': id(`value-${field}`) });
      change.addEventListener('change', () => {
        control.disabled = !change.checked;
        forget();
      });
      control.addEventListener('input', forget);
      return element('div', { class: 'bulk-field' }, element('div', { class: 'option' }, change, element('label', { for: id(`change-${field}`), class: 'field-name' })), control);
    });
    form.replaceChildren(
      element('fieldset', { class: 'bulk-fields' }, element('legend', { id: id('fields-legend') }), element('p', { class: 'help', id: id('fields-help') }), ...rows),
      element('p', { class: 'actions' }, element('button', { type: 'submit', id: id('preview-button') })),
      element('p', { id: id('problem'), class: 'error', role: 'alert' }),
      element('p', { id: id('status'), class: 'status', role: 'status' }),
      element('div', { id: id('conflicts'), class: 'conflicts' }),
      element(
        'section',
        { id: id('preview'), class: 'bulk-preview', 'aria-labelledby': id('preview-title'), hidden: true },
        // Focused when shown: read out as the heading and, described by it, what would change.
        element('h3', { id: id('preview-title'), tabindex: '-1', 'aria-describedby': id('summary') }),
        element('p', { id: id('summary'), class: 'summary' }),
        element('ul', { id: id('field-lines') }),
        element('p', { id: id('left-out'), class: 'notice', hidden: true }),
        element('p', { id: id('confirm-row'), class: 'option', hidden: true }, element('input', { type: 'checkbox', id: id('confirm') }), element('label', { for: id('confirm') })),
        element('p', { class: 'actions' }, element('button', { type: 'button', id: id('apply'), onclick: apply })),
        element('h4', { id: id('sample-title') }),
        element('ol', { id: id('sample'), class: 'changes' }),
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      preview();
    });
  }

  /** The values to set, from the checked fields; null (and the problem shown) when none is. */
  function values() {
    const set = {};
    for (const field of BULK_FIELDS) {
      if (!checkbox(field).checked) continue;
      const value = field === 'documentType' ? input(field).value : input(field).value.replace(/\s+/g, ' ').trim();
      set[field] = value === '' ? null : value;
    }
    return Object.keys(set).length > 0 ? set : null;
  }

  /** Anything edited after a preview makes it stale: it is taken away, so what is applied is always what was shown. */
  function forget() {
    if (!previewed) return;
    previewed = null;
    $('preview').hidden = true;
  }

  function clearMessages() {
    $('problem').textContent = '';
    $('status').textContent = '';
    $('conflicts').replaceChildren();
  }

  async function preview() {
    clearMessages();
    forget();
    const chosen = selection();
    if (chosen.problem) return ($('problem').textContent = t(chosen.problem));
    const set = values();
    if (!set) {
      $('problem').textContent = t('bulk.noField');
      return checkbox(BULK_FIELDS[0]).focus();
    }
    $('status').textContent = t('bulk.previewing');
    try {
      const answer = await api('/api/bulk-changes/preview', { method: 'POST', body: JSON.stringify({ selection: chosen.selection, set }) });
      previewed = { selection: chosen.selection, set, answer };
      $('status').textContent = '';
      $('confirm').checked = false;
      render();
      $('preview').hidden = false;
      $('preview-title').focus();
    } catch (error) {
      failed(error);
    }
  }

  async function apply() {
    if (!previewed) return;
    clearMessages();
    const { answer } = previewed;
    if (answer.confirmationRequired && !$('confirm').checked) {
      $('problem').textContent = t('bulk.confirmNeeded');
      return $('confirm').focus();
    }
    $('status').textContent = t('bulk.applying');
    try {
      const body = { selection: previewed.selection, set: previewed.set, version: answer.version, ...(answer.confirmationRequired ? { confirmed: true } : {}) };
      const result = await api('/api/bulk-changes', { method: 'POST', body: JSON.stringify(body) });
      forget();
      outcome = result.change;
      $('status').replaceChildren(
        result.change ? t(result.indexed ? 'bulk.applied' : 'bulk.appliedLater', { id: result.change.id, changed: result.change.changed }) : t('bulk.nothing'),
        ...(result.change ? [' ', element('a', { href: `/lote#bulk-${result.change.id}` }, t('bulk.seeHistory'))] : []),
      );
      await onApplied(result.change);
    } catch (error) {
      failed(error);
    }
  }

  function failed(error) {
    $('status').textContent = '';
    if (error instanceof ApiError && error.status === 401) return location.assign('/');
    if (error instanceof ApiError && (error.code === 'EDIT_CONFLICT' || error.code === 'SELECTION_CHANGED')) return showConflict(error);
    const key = { BULK_TOO_LARGE: 'bulk.tooLarge', INVALID_BULK_CHANGE: 'bulk.invalid' }[error.code];
    $('problem').textContent = key ? t(key) : errorMessage(error);
  }

  /** What someone else changed since the preview, and the way on: a new preview, which shows it. */
  function showConflict(error) {
    forget();
    const details = error.details;
    const lines =
      error.code === 'SELECTION_CHANGED'
        ? []
        : (details.conflicts ?? []).map((conflict) =>
            element('li', {}, element('a', { href: conflict.viewUrl }, conflict.title), ' — ', t('bulk.conflictLine', { field: fieldLabel(conflict.field), by: conflict.by, value: shownValue(conflict.field, conflict.value), when: when(conflict.at) })),
          );
    const more = (details.total ?? 0) - lines.length;
    $('problem').textContent = error.code === 'SELECTION_CHANGED' ? t('bulk.selectionChanged', { previewed: details.previewed, documents: details.documents }) : t('bulk.conflict');
    $('conflicts').replaceChildren(
      ...(lines.length > 0 ? [element('ul', {}, lines)] : []),
      ...(more > 0 ? [element('p', {}, t('bulk.andMore', { count: more }))] : []),
      element('p', { class: 'actions' }, element('button', { type: 'button', class: 'secondary', onclick: preview }, t('bulk.previewAgain'))),
    );
    $('conflicts').querySelector('button').focus();
  }

  function summaryText(answer) {
    return answer.changing > 0 ? t('bulk.summary', { changing: answer.changing, documents: answer.documents }) : t('bulk.summaryNone', { documents: answer.documents });
  }

  /** The texts that follow the language: labels, and the preview shown. */
  function render() {
    $('fields-legend').textContent = t('bulk.fields');
    $('fields-help').textContent = t('bulk.fieldsHelp');
    $('preview-button').textContent = t('bulk.preview');
    for (const field of BULK_FIELDS) {
      checkbox(field).nextElementSibling.textContent = fieldLabel(field);
      input(field).setAttribute('aria-label', t('bulk.newValue', { field: fieldLabel(field) }));
    }
    for (const option of input('documentType').options) option.textContent = option.value ? typeLabel(option.value) : t('unknown');
    if (!previewed) return;
    const { answer } = previewed;
    $('preview-title').textContent = t('bulk.previewTitle');
    $('summary').textContent = summaryText(answer);
    $('field-lines').replaceChildren(
      ...Object.entries(answer.fields).map(([field, entry]) => {
        const from = entry.from.map((value) => t('bulk.fromValue', { value: shownValue(field, value.value), count: value.documents })).join('; ');
        return element('li', {}, t('bulk.fieldLine', { field: fieldLabel(field), to: shownValue(field, entry.to), changing: entry.changing, unchanged: entry.unchanged }), from ? ` ${t('bulk.from', { values: from })}` : '');
      }),
    );
    $('left-out').hidden = answer.leftOut.personalData === 0;
    $('left-out').textContent = t('bulk.leftOut', { count: answer.leftOut.personalData });
    $('confirm-row').hidden = !answer.confirmationRequired;
    $('confirm').nextElementSibling.textContent = t('bulk.confirm', { documents: answer.documents.toLocaleString(document.documentElement.lang) });
    $('apply').textContent = t('bulk.apply', { count: answer.changing });
    $('apply').disabled = answer.changing === 0;
    $('sample-title').textContent = t('bulk.sample');
    $('sample-title').hidden = answer.sample.length === 0;
    $('sample').replaceChildren(
      ...answer.sample.map((entry) =>
        element(
          'li',
          {},
          element('a', { href: entry.viewUrl }, entry.title),
          element('p', { class: 'values' }, Object.entries(entry.changes).map(([field, change]) => t('bulk.change', { field: fieldLabel(field), from: shownValue(field, change.from), to: shownValue(field, change.to) })).join('; ')),
        ),
      ),
    );
  }

  build();
  render();
  return { render, forget, lastChange: () => outcome };
}
