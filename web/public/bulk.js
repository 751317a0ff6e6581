// The bulk changes page (/lote, issue 25 point 5), for archive staff: a whole box changed at once
// (collection, series, box or type), and the history of bulk changes with a revert for each. Bulk
// changes of a search's results are made from the search page (search-bulk.js).
import { api, ApiError, element, errorMessage, setUpLanguageSwitch, t, translatePage } from './common.js';
import { setUpBulkForm } from './bulk-form.js';
import { setUpBulkHistory } from './bulk-history.js';

const $ = (id) => document.getElementById(id);
let boxes = [];
let form = null;
let history = null;
let name = '';

async function start() {
  translatePage();
  setUpLanguageSwitch($('language'), render);
  let me;
  try {
    me = await api('/api/session');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return location.assign('/');
    $('problem').textContent = errorMessage(error);
    return;
  }
  name = me.name;
  $('who').textContent = t('signedInAs', { name });
  if (me.role !== 'archivist' && me.role !== 'admin') {
    $('problem').textContent = t('bulk.forbidden');
    return;
  }
  $('box-section').hidden = false;
  form = setUpBulkForm({ form: $('box-form'), prefix: 'box-change', selection, onApplied: refresh });
  $('box').addEventListener('change', () => form.forget());
  history = setUpBulkHistory({ onReverted: loadBoxes });
  await Promise.all([loadBoxes(), history.load()]);
  document.getElementById(location.hash.slice(1))?.scrollIntoView();
}

/** The box chosen, as the API's selection. */
function selection() {
  const box = boxes[Number($('box').value)];
  return box ? { selection: { box: { collection: box.collection, box: box.box } } } : { problem: 'bulk.noBox' };
}

async function refresh() {
  await Promise.all([loadBoxes(), history.load()]);
}

async function loadBoxes() {
  try {
    const chosen = boxes[Number($('box').value)];
    boxes = (await api('/api/bulk-changes/boxes')).boxes;
    renderBoxes();
    // The same box stays chosen after a change (if it still holds documents).
    const again = chosen ? boxes.findIndex((box) => box.collection === chosen.collection && box.box === chosen.box) : -1;
    $('box').value = again >= 0 ? String(again) : '';
  } catch (error) {
    $('problem').textContent = errorMessage(error);
  }
}

function renderBoxes() {
  const value = $('box').value;
  const none = (text) => text ?? t('bulk.none');
  $('box').replaceChildren(
    element('option', { value: '' }, t('bulk.chooseBox')),
    ...boxes.map((box, i) => element('option', { value: String(i) }, t('bulk.boxOption', { collection: none(box.collection), box: none(box.box), documents: box.documents }))),
  );
  $('box').value = value;
}

function render() {
  if (name) $('who').textContent = t('signedInAs', { name });
  renderBoxes();
  form?.render();
  history?.render();
}

start();
