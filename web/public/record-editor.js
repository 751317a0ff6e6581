// A document's record as archive staff correct it (issue 25, web/routes/corrections.ts): for
// everyone, which fields a person set (who, when) beside what the machine read; for those whose
// role may edit (archivist, admin), the "Editar ficha" form. A save sends only the fields changed,
// each with the version it was loaded at; if someone changed one since, nothing is saved and the
// form shows their value and name, to take it or to save over it knowingly.
import { api, ApiError, element, errorMessage, t, typeLabel } from './common.js';
import { DOCUMENT_TYPES } from './i18n.js';

export const FIELDS = ['title', 'date', 'documentType', 'collection', 'series', 'box', 'notes', 'identifiers'];
const MULTILINE = new Set(['notes', 'identifiers']);
const HELP = { date: 'edit.dateHelp', identifiers: 'edit.identifiersHelp' };

export const fieldLabel = (field, page) => t(field === 'text' ? 'field.text' : `field.${field}`, { page });

export function when(at) {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? String(at) : date.toLocaleString(document.documentElement.lang, { dateStyle: 'short', timeStyle: 'short' });
}

/** A value as a line of text: quoted, long ones cut, types by name, identifiers as "kind number; …". */
export function shownValue(field, value) {
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return t('edit.empty');
  if (field === 'documentType') return typeLabel(value);
  const text = Array.isArray(value) ? value.map((entry) => `${entry.kind} ${entry.value}`).join('; ') : String(value);
  return `“${text.length > 160 ? `${text.slice(0, 160)}…` : text}”`;
}

/** What a field's value looks like in its input. */
function asInput(field, value) {
  if (field === 'identifiers') return (value ?? []).map((entry) => `${entry.kind} ${entry.value}`).join('\n');
  return value === null || value === undefined ? '' : String(value);
}

/** An input's text as the API takes it; an Error (with a message key) when it cannot be one. */
function fromInput(field, text) {
  if (field === 'identifiers') {
    return text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => {
        const [, kind, value] = /^(\S+)\s+(.+)$/.exec(line) ?? [];
        if (!kind) throw Object.assign(new Error(line), { key: 'edit.error.identifiers' });
        return { kind: kind.toLowerCase(), value: value.trim() };
      });
  }
  const value = field === 'notes' ? text.replace(/[ \t]+$/gm, '').trim() : text.replace(/\s+/g, ' ').trim();
  if (value === '') return null;
  if (field === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw Object.assign(new Error(value), { key: 'edit.error.date' });
  return value;
}

/** The lines and buttons of a conflict: each field's value now and who set it, to take or to save over. */
export function conflictNodes(conflicts, { theirs, mine }) {
  return [
    element('p', {}, t('conflict.intro')),
    element(
      'ul',
      {},
      conflicts.map((conflict) =>
        element(
          'li',
          {},
          conflict.by
            ? t('conflict.field', { field: fieldLabel(conflict.field, conflict.page), by: conflict.by, value: shownValue(conflict.field, conflict.value), when: when(conflict.at) })
            : t('conflict.machine', { field: fieldLabel(conflict.field, conflict.page), value: shownValue(conflict.field, conflict.value) }),
        ),
      ),
    ),
    element('p', { class: 'actions' }, element('button', { type: 'button', class: 'secondary', onclick: theirs }, t('conflict.theirs')), element('button', { type: 'button', onclick: mine }, t('conflict.mine'))),
  ];
}

/** Who set a field, or that the machine did, and what the machine reads. */
function provenanceText(field, entry) {
  const parts = [];
  if (entry.corrected) parts.push(t('edit.by', { by: entry.by, when: when(entry.at) }), t('edit.machine', { value: shownValue(field, entry.machineValue) }));
  else if (entry.by) parts.push(t('edit.backToMachine', { by: entry.by, when: when(entry.at) }));
  else parts.push(t('edit.machineOnly'));
  if (entry.machineChanged) parts.push(t('edit.machineChanged'));
  return parts.join(' ');
}

/**
 * The record's part of the page. `mayEdit` shows the form; `onSaved(record)` after a save (the
 * page re-reads the document). Returns { load, adopt(record), render } for the viewer.
 */
export function setUpRecordEditor({ documentId, mayEdit, onSaved }) {
  const $ = (id) => document.getElementById(id);
  const form = $('record-form');
  const toggle = $('edit-record');
  let record = null;
  /** Each field as loaded: what the form compares with, and the version a save is based on. */
  let loaded = {};

  const inputOf = (field) => $(`edit-${field}`);

  function buildForm() {
    const types = Object.keys(DOCUMENT_TYPES.pt);
    const rows = FIELDS.map((field) => {
      const id = `edit-${field}`;
      const described = [HELP[field] ? `${id}-help` : null, `${id}-source`].filter(Boolean).join(' ');
      const control =
        field === 'documentType'
          ? element('select', { id, name: field, 'aria-describedby': described }, element('option', { value: '' }, t('unknown')), types.map((key) => element('option', { value: key }, typeLabel(key))))
          : MULTILINE.has(field)
            ? element('textarea', { id, name: field, rows: field === 'notes' ? 4 : 3, 'aria-describedby': described })
            : element('input', { id, name: field, type: 'text', autocomplete: 'off', 'aria-describedby': described });
      return element(
        'div',
        { class: 'field' },
        element('label', { for: id, 'data-i18n': `field.${field}` }, t(`field.${field}`)),
        HELP[field] ? element('p', { id: `${id}-help`, class: 'help', 'data-i18n': HELP[field] }, t(HELP[field])) : null,
        control,
        element('p', { id: `${id}-source`, class: 'help source' }),
      );
    });
    $('record-fields').replaceChildren(...rows);
  }

  async function load() {
    try {
      adopt(await api(`/api/documents/${encodeURIComponent(documentId)}/record`));
    } catch (error) {
      $('provenance-problem').textContent = errorMessage(error);
    }
  }

  /** Whether a field's input holds words not saved (one that cannot be read counts as such). */
  function edited(field) {
    if (!mayEdit || !loaded[field]) return false;
    try {
      return JSON.stringify(fromInput(field, inputOf(field).value)) !== JSON.stringify(fromInput(field, asInput(field, loaded[field].value)));
    } catch {
      return true;
    }
  }

  /**
   * A record from the API (loaded, or given back by a save, a page's save or a revert). A field
   * with unsaved words keeps them and the version they were typed on (saving them is then told of
   * the change), unless `saved`: this form's own save, whose fields are now the record's.
   */
  function adopt(next, { saved = false } = {}) {
    record = next;
    for (const field of FIELDS) {
      if (!saved && edited(field)) continue;
      loaded[field] = { value: record.fields[field].value, version: record.fields[field].version };
      if (mayEdit) setInput(field, loaded[field].value);
    }
    render();
  }

  function setInput(field, value) {
    const input = inputOf(field);
    input.value = asInput(field, value);
    // A type the page does not name (a new key) is still offered, as its key.
    if (field === 'documentType' && value && input.value !== value) {
      input.append(element('option', { value }, value));
      input.value = value;
    }
    input.removeAttribute('aria-invalid');
  }

  /** The texts that follow the language: who set what, per field and in the list for everyone. */
  function render() {
    if (!record) return;
    const corrected = FIELDS.filter((field) => record.fields[field].corrected).map((field) => {
      const entry = record.fields[field];
      return element('li', {}, t('edit.corrected', { field: fieldLabel(field), by: entry.by, when: when(entry.at), value: shownValue(field, entry.machineValue) }));
    });
    const pages = record.pages.filter((page) => page.corrected).map((page) => element('li', {}, t('edit.pageCorrected', { page: page.page, by: page.by, when: when(page.at) })));
    $('provenance').replaceChildren(...(corrected.length + pages.length > 0 ? [...corrected, ...pages] : [element('li', {}, t('edit.noCorrections'))]));
    if (!mayEdit) return;
    for (const field of FIELDS) $(`edit-${field}-source`).textContent = provenanceText(field, record.fields[field]);
    for (const option of inputOf('documentType').options) option.textContent = option.value ? typeLabel(option.value) : t('unknown');
  }

  /** The changed fields as the PATCH body's, or null (and the error shown, the field focused). */
  function changes() {
    const fields = {};
    for (const field of FIELDS) {
      const input = inputOf(field);
      input.removeAttribute('aria-invalid');
      let value;
      try {
        value = fromInput(field, input.value);
      } catch (error) {
        return invalid(field, t(error.key));
      }
      if (JSON.stringify(value) !== JSON.stringify(fromInput(field, asInput(field, loaded[field].value)))) fields[field] = { value, basedOn: loaded[field].version };
    }
    return fields;
  }

  function invalid(field, message) {
    const input = inputOf(field);
    input.setAttribute('aria-invalid', 'true');
    $('record-problem').textContent = message;
    input.focus();
    return null;
  }

  async function save() {
    $('record-problem').textContent = '';
    $('record-conflicts').replaceChildren();
    const fields = changes();
    if (fields === null) return;
    if (Object.keys(fields).length === 0) {
      $('record-status').textContent = t('edit.nothing');
      return;
    }
    $('record-status').textContent = t('edit.saving');
    try {
      const result = await api(`/api/documents/${encodeURIComponent(documentId)}`, { method: 'PATCH', body: JSON.stringify({ fields }) });
      adopt(result.record, { saved: true });
      $('record-status').textContent = t(result.indexed ? 'edit.saved' : 'edit.savedLater');
      await onSaved(result.record);
    } catch (error) {
      $('record-status').textContent = '';
      if (error instanceof ApiError && error.code === 'EDIT_CONFLICT') return showConflicts(error.details.conflicts ?? []);
      if (error instanceof ApiError && error.code === 'INVALID_CORRECTION') {
        const field = /fields\.(\w+)/.exec(error.message)?.[1];
        if (FIELDS.includes(field)) return invalid(field, t('edit.error.field', { field: fieldLabel(field) }));
      }
      $('record-problem').textContent = errorMessage(error);
    }
  }

  function showConflicts(conflicts) {
    const box = $('record-conflicts');
    const settle = (keepMine) => {
      for (const conflict of conflicts) {
        if (!FIELDS.includes(conflict.field)) continue;
        loaded[conflict.field] = { value: conflict.value, version: conflict.version };
        if (!keepMine) setInput(conflict.field, conflict.value);
      }
      box.replaceChildren();
      if (keepMine) return save();
      $('record-status').textContent = '';
      inputOf(conflicts[0]?.field ?? 'title')?.focus();
    };
    box.replaceChildren(...conflictNodes(conflicts, { theirs: () => settle(false), mine: () => settle(true) }));
    $('record-problem').textContent = t('conflict.intro');
    box.querySelector('button')?.focus();
  }

  $('corrections').hidden = false;
  if (mayEdit) {
    buildForm();
    // Leaving the page with words not saved: the browser asks first.
    window.addEventListener('beforeunload', (event) => FIELDS.some(edited) && event.preventDefault());
    toggle.hidden = false;
    toggle.addEventListener('click', () => {
      const open = form.hidden;
      form.hidden = !open;
      toggle.setAttribute('aria-expanded', String(open));
      if (open) inputOf('title').focus();
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      save();
    });
    $('record-reset').addEventListener('click', () => {
      for (const field of FIELDS) setInput(field, loaded[field].value);
      $('record-problem').textContent = '';
      $('record-conflicts').replaceChildren();
      $('record-status').textContent = '';
    });
  }
  return { load, adopt, render };
}
