// The document view: its metadata, the pages that match the search, and the page itself drawn
// with pdf.js (with its text layer, so words can be selected), opened at the asked page. For an
// archivist, the review of a redacted copy: its boxes drawn over the page, removed, restored or
// drawn anew, and the copy to download. The corrections of the record and of the page's text
// (issue 25): record-editor.js, page-text.js and correction-history.js; the review queue's panel
// and, opened from the queue, its item with the shortcuts to accept, correct and move on: review-panel.js.
import * as pdfjs from '/assets/pdfjs/pdf.min.mjs';
import { api, ApiError, element, errorMessage, languageLabel, setUpLanguageSwitch, snippetNodes, t, translatePage, typeLabel } from './common.js';
import { setUpHistory } from './correction-history.js';
import { setUpPageText } from './page-text.js';
import { setUpPortalToggle } from './portal-toggle.js';
import { setUpRecordEditor } from './record-editor.js';
import { setUpReviewPanel } from './review-panel.js';

pdfjs.GlobalWorkerOptions.workerSrc = '/assets/pdfjs/pdf.worker.min.mjs';

const $ = (id) => document.getElementById(id);
const documentId = location.pathname.split('/').pop();
const params = new URLSearchParams(location.search);
const query = params.get('q') ?? '';
let pdf = null;
let pageNumber = Math.max(1, Number(params.get('page')) || 1);
let info = null;
let rendering = Promise.resolve();
/** The corrections' parts of the page (record, page text, history), once the role is known. */
let corrections = null;
/** Withholding from the public portal, for the roles that may (portal-toggle.js). */
let portal = null;

async function start() {
  translatePage();
  setUpLanguageSwitch($('language'), () => {
    if (info) renderDetails();
    renderBoxes();
    for (const part of Object.values(corrections ?? {})) part?.render();
    portal?.render();
  });
  $('back').href = query ? `/?q=${encodeURIComponent(query)}` : '/';
  $('position').textContent = t('viewer.loading');
  try {
    info = await api(`/api/documents/${encodeURIComponent(documentId)}?q=${encodeURIComponent(query)}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return location.assign(`/?q=${encodeURIComponent(query)}`);
    $('problem').textContent = error instanceof ApiError && error.status === 404 ? t('viewer.missing') : errorMessage(error);
    $('position').textContent = '';
    return;
  }
  document.title = `${info.title} — ${t('app.name')}`;
  renderDetails();
  $('download').href = info.downloadUrl;
  setUpRedaction();
  if (info.portal) {
    portal = setUpPortalToggle({ urls: info.portal });
    await portal.load();
  }
  await setUpCorrections();
  pdf = await pdfjs.getDocument({ url: info.pdfUrl, isEvalSupported: false, withCredentials: true }).promise;
  pageNumber = Math.min(pageNumber, pdf.numPages);
  await show(pageNumber);
}

function renderDetails() {
  $('title').textContent = info.title;
  const rows = [
    ['viewer.type', info.documentType ? typeLabel(info.documentType) : t('unknown')],
    ['viewer.collection', info.collection ?? t('unknown')],
    ['viewer.year', info.year ?? t('unknown')],
    ['viewer.date', info.date ? new Date(`${info.date}T12:00:00Z`).toLocaleDateString(document.documentElement.lang) : t('unknown')],
    ['viewer.language', languageLabel(info.language)],
    ['viewer.personalData', info.personalData ? t('yes') : t('no')],
    ...(info.box ? [['viewer.box', info.box]] : []),
    ...(info.identifiers.length > 0 ? [['viewer.identifiers', info.identifiers.map((id) => `${typeLabel(id.kind)} ${id.value}`).join('; ')]] : []),
    ...(info.notes ? [['viewer.notes', info.notes]] : []),
    ['viewer.file', info.file],
    ...(info.batch ? [['viewer.batch', t('viewer.batchPart', { part: info.batch.part, parts: info.batch.parts, first: info.batch.firstPage, last: info.batch.lastPage })]] : []),
    ['viewer.pages', info.pages],
  ];
  $('metadata').replaceChildren(...rows.flatMap(([key, value]) => [element('dt', {}, t(key)), element('dd', {}, String(value))]));
  const hitsTitle = $('hits-title');
  hitsTitle.hidden = !query;
  hitsTitle.textContent = query ? t('viewer.hits', { query }) : '';
  $('page-hits').replaceChildren(
    ...(query && info.hits.length === 0 ? [element('li', {}, t('viewer.noHits', { query }))] : []),
    ...info.hits.map((hit) =>
      element(
        'li',
        {},
        element('button', { type: 'button', class: 'link', 'data-page': hit.page, onclick: () => show(hit.page) }, t('viewer.position', { page: hit.page, pages: info.pages })),
        element('p', { class: 'snippet' }, snippetNodes(hit.snippet)),
      ),
    ),
  );
  if (pdf) updatePosition();
}

function updatePosition() {
  $('position').textContent = t('viewer.position', { page: pageNumber, pages: pdf.numPages });
  $('previous').disabled = pageNumber <= 1;
  $('next').disabled = pageNumber >= pdf.numPages;
}

/** Draws one page to fit the page area's width, with its text layer on top. */
function show(number) {
  rendering = rendering.then(async () => {
    pageNumber = number;
    const page = await pdf.getPage(number);
    const area = $('page');
    const base = page.getViewport({ scale: 1 });
    const scale = Math.max(0.5, Math.min(2.5, (area.parentElement.clientWidth - 8) / base.width));
    const viewport = page.getViewport({ scale });
    const ratio = window.devicePixelRatio || 1;
    const canvas = $('canvas');
    canvas.width = Math.floor(viewport.width * ratio);
    canvas.height = Math.floor(viewport.height * ratio);
    canvas.style.width = `${Math.floor(viewport.width)}px`;
    canvas.style.height = `${Math.floor(viewport.height)}px`;
    area.style.width = canvas.style.width;
    area.style.height = canvas.style.height;
    area.style.setProperty('--scale-factor', String(scale));
    await page.render({ canvas, viewport, transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0] }).promise;
    const layer = $('text-layer');
    layer.replaceChildren();
    await new pdfjs.TextLayer({ textContentSource: page.streamTextContent(), container: layer, viewport }).render();
    area.dataset.page = String(number);
    history.replaceState(null, '', `/view/${documentId}?page=${number}${query ? `&q=${encodeURIComponent(query)}` : ''}`);
    updatePosition();
    renderBoxes();
    corrections?.text?.pageChanged(number);
  });
  return rendering;
}

/** The record's corrections for everyone; the forms for a role that may edit (the API refuses the others anyway). */
async function setUpCorrections() {
  let mayEdit = false;
  try {
    mayEdit = ['archivist', 'admin'].includes((await api('/api/session')).role);
  } catch {
    // No forms: the page still shows the document.
  }
  const refresh = async () => {
    try {
      info = await api(`/api/documents/${encodeURIComponent(documentId)}?q=${encodeURIComponent(query)}`);
      document.title = `${info.title} — ${t('app.name')}`;
      renderDetails();
    } catch (error) {
      $('problem').textContent = errorMessage(error);
    }
  };
  // A correction may settle a review item (a date set, a page's text corrected): the panel is read again.
  const review = mayEdit ? setUpReviewPanel({ documentId }) : null;
  const record = setUpRecordEditor({ documentId, mayEdit, onSaved: () => Promise.all([refresh(), historyPanel.load(), review?.load()]) });
  const historyPanel = setUpHistory({
    documentId,
    mayEdit,
    onReverted: (next) => {
      record.adopt(next);
      return Promise.all([refresh(), text?.reload(), review?.load()]);
    },
  });
  const text = mayEdit ? setUpPageText({ documentId, page: () => pageNumber, onSaved: (next) => Promise.all([record.adopt(next), historyPanel.load(), review?.load()]), onLayout: () => pdf && show(pageNumber) }) : null;
  corrections = { record, history: historyPanel, text, review };
  await Promise.all([record.load(), historyPanel.load()]);
  await review?.start();
}

$('previous').addEventListener('click', () => pageNumber > 1 && show(pageNumber - 1));
$('next').addEventListener('click', () => pdf && pageNumber < pdf.numPages && show(pageNumber + 1));
document.addEventListener('keydown', (event) => {
  if (!pdf || event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement || event.target instanceof HTMLTextAreaElement) return;
  if (event.key === 'PageDown' && pageNumber < pdf.numPages) show(pageNumber + 1);
  if (event.key === 'PageUp' && pageNumber > 1) show(pageNumber - 1);
});

// --- Redacted copies (archivists): the boxes of the review, over the page in percent of its size. ---

let review = null;
let reviewing = false;
/** Where the focused box was before a change: the same place gets the focus back once redrawn. */
let focusAfter = null;

const keyOf = (box) => [box.x0, box.y0, box.x1, box.y1].map((value) => value.toFixed(4)).join(',');
const clamp = (value) => Math.min(1, Math.max(0, value));

function setUpRedaction() {
  if (!info.redaction) return;
  $('redaction').hidden = false;
  $('redacted-download').href = info.redaction.downloadUrl;
  $('review').addEventListener('click', () => setReviewing(!reviewing));
  setUpDrawing($('redaction-layer'));
}

async function setReviewing(on) {
  reviewing = on;
  $('review').setAttribute('aria-pressed', String(on));
  $('review-tools').hidden = !on;
  $('redaction-layer').hidden = !on;
  if (on) await loadReview();
  else renderBoxes();
}

async function loadReview() {
  if (!review) $('redaction-count').textContent = t('redaction.loading');
  try {
    review = await api(info.redaction.reviewUrl);
    $('redaction-problem').textContent = '';
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return location.assign(`/?q=${encodeURIComponent(query)}`);
    $('redaction-problem').textContent = errorMessage(error);
  }
  renderBoxes();
}

/** The current page's boxes as buttons over the page, and how many boxes the copy burns in. */
function renderBoxes() {
  if (!info?.redaction) return;
  const layer = $('redaction-layer');
  const shown = reviewing && review ? review.pages.find((page) => page.page === pageNumber) : null;
  layer.replaceChildren(...(shown ? shown.boxes.map(boxButton) : []));
  if (review) {
    const covered = (boxes) => boxes.filter((box) => box.covered).length;
    const onPage = shown ? covered(shown.boxes) : covered(review.pages.find((page) => page.page === pageNumber)?.boxes ?? []);
    const inDocument = review.pages.reduce((sum, page) => sum + covered(page.boxes), 0);
    $('redaction-count').textContent = `${t(onPage === 1 ? 'redaction.onPage.one' : 'redaction.onPage', { count: onPage })}, ${t(inDocument === 1 ? 'redaction.inDocument.one' : 'redaction.inDocument', { count: inDocument })}`;
  }
  if (focusAfter !== null && reviewing) {
    const again = [...layer.querySelectorAll('.redaction-box')].find((button) => button.dataset.key === focusAfter);
    (again ?? $('box-label')).focus();
  }
  focusAfter = null;
}

function boxButton(box) {
  const state = box.source === 'drawn' ? 'drawn' : box.covered ? 'proposed' : 'removed';
  const kind = box.kind ? t(`redaction.kind.${box.kind}`) : '';
  const label = state === 'drawn' ? t('redaction.box.drawn', { label: box.label || t('redaction.noLabel') }) : t(`redaction.box.${state}`, { kind });
  const button = element('button', { type: 'button', class: `redaction-box ${state}`, 'aria-label': label, title: label, 'data-key': keyOf(box), onclick: () => changeBox(box, state) });
  place(button, box);
  return button;
}

function place(node, box) {
  node.style.left = `${box.x0 * 100}%`;
  node.style.top = `${box.y0 * 100}%`;
  node.style.width = `${(box.x1 - box.x0) * 100}%`;
  node.style.height = `${(box.y1 - box.y0) * 100}%`;
}

/** A covered proposed box is removed (a mark at its place); a removed one restored, a drawn one deleted (their mark goes). */
function changeBox(box, state) {
  const page = pageNumber;
  focusAfter = state === 'drawn' ? '' : keyOf(box);
  return change(() =>
    state === 'proposed'
      ? api(info.redaction.marksUrl, { method: 'POST', body: JSON.stringify({ page, action: 'dismiss', x0: box.x0, y0: box.y0, x1: box.x1, y1: box.y1 }) })
      : api(`${info.redaction.marksUrl}/${encodeURIComponent(box.markId)}`, { method: 'DELETE' }),
  );
}

async function change(request) {
  try {
    await request();
  } catch (error) {
    $('redaction-problem').textContent = errorMessage(error);
  }
  await loadReview();
}

/** Dragging on the page (not on a box) draws a new box, labelled with what the field says it covers. */
function setUpDrawing(layer) {
  let start = null;
  let outline = null;
  const at = (event) => {
    const area = layer.getBoundingClientRect();
    return { x: clamp((event.clientX - area.left) / area.width), y: clamp((event.clientY - area.top) / area.height), px: event.clientX, py: event.clientY };
  };
  const span = (a, b) => ({ x0: Math.min(a.x, b.x), y0: Math.min(a.y, b.y), x1: Math.max(a.x, b.x), y1: Math.max(a.y, b.y) });
  const stop = () => {
    start = null;
    outline?.remove();
    outline = null;
  };
  layer.addEventListener('pointerdown', (event) => {
    if (event.target !== layer || event.button !== 0) return;
    event.preventDefault();
    start = at(event);
    layer.setPointerCapture(event.pointerId);
    outline = element('div', { class: 'redaction-drawing', 'aria-hidden': 'true' });
    place(outline, span(start, start));
    layer.append(outline);
  });
  layer.addEventListener('pointermove', (event) => {
    if (start) place(outline, span(start, at(event)));
  });
  layer.addEventListener('pointerup', (event) => {
    if (!start) return;
    const from = start;
    const end = at(event);
    stop();
    // A click, or a box a few pixels wide, is no box.
    if (Math.abs(end.px - from.px) < 4 || Math.abs(end.py - from.py) < 4) return;
    const label = $('box-label').value.trim();
    const page = pageNumber;
    return change(() => api(info.redaction.marksUrl, { method: 'POST', body: JSON.stringify({ page, action: 'add', ...span(from, end), ...(label ? { label } : {}) }) }));
  });
  layer.addEventListener('pointercancel', stop);
}

start();
