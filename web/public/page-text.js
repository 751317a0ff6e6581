// A page's text as search reads it, corrected beside the page image by archive staff (issue 25):
// loaded with its version, saved with it as basedOn; a conflict shows the other person's text and
// name. The editor stays on the page it was opened on while it holds unsaved words: turning the
// page shows the other page's image, and the heading says which page the text is.
import { api, ApiError, errorMessage, t } from './common.js';
import { conflictNodes, when } from './record-editor.js';

/** `page()` is the page shown; `onLayout()` after the editor opens or closes (the page is drawn anew to fit). */
export function setUpPageText({ documentId, page, onSaved, onLayout }) {
  const $ = (id) => document.getElementById(id);
  const form = $('text-editor');
  const toggle = $('edit-text');
  const area = $('page-text');
  /** The page in the editor, its text and version as loaded. */
  let loaded = null;

  const url = (n) => `/api/documents/${encodeURIComponent(documentId)}/pages/${n}/text`;
  const dirty = () => loaded !== null && area.value !== loaded.text;

  function render() {
    if (!loaded) return;
    $('page-text-label').textContent = t('text.label', { page: loaded.page });
    $('text-provenance').textContent = loaded.corrected
      ? t('edit.by', { by: loaded.by, when: when(loaded.at) })
      : loaded.by
        ? t('edit.backToMachine', { by: loaded.by, when: when(loaded.at) })
        : t('edit.machineOnly');
  }

  async function load(n) {
    $('text-problem').textContent = '';
    $('text-status').textContent = t('text.loading');
    try {
      const answer = await api(url(n));
      loaded = { page: answer.page, text: answer.text ?? '', version: answer.version, corrected: answer.corrected, by: answer.by, at: answer.at };
      area.value = loaded.text;
      $('machine-text').textContent = answer.machineText ?? '';
      $('text-status').textContent = '';
      render();
    } catch (error) {
      $('text-status').textContent = '';
      $('text-problem').textContent = errorMessage(error);
    }
  }

  async function save() {
    $('text-problem').textContent = '';
    $('text-conflicts').replaceChildren();
    if (!dirty()) {
      $('text-status').textContent = t('edit.nothing');
      return;
    }
    $('text-status').textContent = t('edit.saving');
    const n = loaded.page;
    try {
      const result = await api(url(n), { method: 'PUT', body: JSON.stringify({ text: area.value, basedOn: loaded.version }) });
      // The server tidies the text (spaces at line ends): what it holds now is the base of the next save.
      await load(n);
      $('text-status').textContent = t(result.indexed ? 'edit.saved' : 'edit.savedLater');
      await onSaved(result.record);
    } catch (error) {
      $('text-status').textContent = '';
      if (error instanceof ApiError && error.code === 'EDIT_CONFLICT') return showConflict(error.details.conflicts ?? []);
      $('text-problem').textContent = errorMessage(error);
    }
  }

  function showConflict(conflicts) {
    const conflict = conflicts[0];
    if (!conflict) return;
    const box = $('text-conflicts');
    const settle = (keepMine) => {
      box.replaceChildren();
      loaded = { ...loaded, text: conflict.value ?? '', version: conflict.version, corrected: conflict.by !== null, by: conflict.by, at: conflict.at };
      render();
      if (keepMine) return save();
      area.value = loaded.text;
      area.focus();
    };
    box.replaceChildren(...conflictNodes([conflict], { theirs: () => settle(false), mine: () => settle(true) }));
    $('text-problem').textContent = t('conflict.intro');
    box.querySelector('button')?.focus();
  }

  toggle.hidden = false;
  window.addEventListener('beforeunload', (event) => dirty() && event.preventDefault());
  toggle.addEventListener('click', async () => {
    const open = form.hidden;
    form.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    document.querySelector('.page-work')?.classList.toggle('editing', open);
    await onLayout();
    if (!open) return;
    if (!loaded || (!dirty() && loaded.page !== page())) await load(page());
    area.focus();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    save();
  });

  return {
    /** The page turned: the editor follows it unless it holds unsaved words of its page. */
    pageChanged(n) {
      if (!form.hidden && loaded && !dirty() && loaded.page !== n) load(n);
    },
    render,
    reload: () => (loaded && !dirty() ? load(loaded.page) : undefined),
  };
}
