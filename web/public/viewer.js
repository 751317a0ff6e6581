// The document view: its metadata, the pages that match the search, and the page itself drawn
// with pdf.js (with its text layer, so words can be selected), opened at the asked page.
import * as pdfjs from '/assets/pdfjs/pdf.min.mjs';
import { api, ApiError, element, errorMessage, languageLabel, setUpLanguageSwitch, snippetNodes, t, translatePage, typeLabel } from './common.js';

pdfjs.GlobalWorkerOptions.workerSrc = '/assets/pdfjs/pdf.worker.min.mjs';

const $ = (id) => document.getElementById(id);
const documentId = location.pathname.split('/').pop();
const params = new URLSearchParams(location.search);
const query = params.get('q') ?? '';
let pdf = null;
let pageNumber = Math.max(1, Number(params.get('page')) || 1);
let info = null;
let rendering = Promise.resolve();

async function start() {
  translatePage();
  setUpLanguageSwitch($('language'), () => info && renderDetails());
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
  });
  return rendering;
}

$('previous').addEventListener('click', () => pageNumber > 1 && show(pageNumber - 1));
$('next').addEventListener('click', () => pdf && pageNumber < pdf.numPages && show(pageNumber + 1));
document.addEventListener('keydown', (event) => {
  if (!pdf || event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement) return;
  if (event.key === 'PageDown' && pageNumber < pdf.numPages) show(pageNumber + 1);
  if (event.key === 'PageUp' && pageNumber > 1) show(pageNumber - 1);
});

start();
