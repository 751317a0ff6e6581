// The review queue on the document page (issue 25), for archive staff: why the document is in the
// queue (each item, to accept), the decisions taken on it (the current ones, to undo), and — when
// it was opened from the queue (/revisao) — the item in hand with its shortcuts: a accepts it and
// goes to the next, e goes to the field (or the page's text) to correct, j or n the next item, k
// the previous, Esc from a field back to the shortcuts, ? shows or hides them. Correcting the
// field takes the item out of the queue by itself (the page says so once saved).
import { api, ApiError, element, errorMessage, t } from './common.js';
import { when } from './record-editor.js';
import { aboutItem, isTyping, itemUrl, neighbour, reasonLabel, renderShortcuts, toggleShortcuts } from './review-keys.js';

/** What the page before said (an item accepted), to say on this one. */
const FLASH = 'acervo.review.flash';
/** The field that corrects each document reason (a page's text corrects low-confidence). */
const FIELD = { 'no-date': 'edit-date', 'several-dates': 'edit-date', 'no-type': 'edit-documentType', 'personal-data-unexpected': 'edit-collection' };

export function setUpReviewPanel({ documentId }) {
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const inQueue = params.has('item') && params.has('motivo');
  const filters = new URLSearchParams(params.get('fila') ?? '');
  const cursor = params.get('item');
  const reason = params.get('motivo');
  const itemPage = Number(params.get('page')) || null;
  let review = null;

  /** The item the queue opened this page for, while it is still in the queue. */
  const current = () => review?.items.find((item) => item.reason === reason && (item.reason !== 'low-confidence' || item.page === itemPage)) ?? null;

  async function load() {
    try {
      review = await api(`/api/documents/${encodeURIComponent(documentId)}/review`);
      $('review-panel-problem').textContent = '';
    } catch (error) {
      $('review-panel-problem').textContent = errorMessage(error);
      return;
    }
    render();
  }

  function render() {
    if (!review) return;
    $('review-items').replaceChildren(...(review.items.length === 0 ? [element('li', {}, t('review.notInQueue'))] : review.items.map(itemNode)));
    $('review-decisions').replaceChildren(...review.decisions.map(decisionNode));
    if (inQueue) renderBar();
  }

  function itemNode(item) {
    const label = reasonLabel(item.reason);
    return element(
      'li',
      {},
      element('p', { class: 'who' }, label),
      element('p', { class: 'about' }, aboutItem(item)),
      element('button', { type: 'button', class: 'secondary', 'aria-label': t('review.acceptItem', { reason: label, title: item.title }), onclick: () => accept(item, false) }, t('review.accept')),
    );
  }

  function decisionNode(decision) {
    const label = reasonLabel(decision.reason);
    const page = decision.page !== null ? ` (${t('review.page', { page: decision.page })})` : '';
    return element(
      'li',
      {},
      element('p', { class: 'who' }, t(`review.decision.${decision.action}`, { reason: label, page, by: decision.by, when: when(decision.at) }), decision.revertUrl ? element('span', { class: 'badge' }, t('history.current')) : null),
      decision.revertUrl ? element('button', { type: 'button', class: 'secondary', onclick: () => undo(decision) }, t('review.undo', { reason: label })) : null,
    );
  }

  function renderBar() {
    $('review-bar').hidden = false;
    $('review-queue').href = filters.toString() ? `/revisao?${filters}` : '/revisao';
    const item = current();
    $('review-bar-about').textContent = item ? `${reasonLabel(item.reason)}: ${aboutItem(item)}` : t('review.resolved');
    for (const id of ['review-accept', 'review-fix']) $(id).setAttribute('aria-disabled', String(!item));
  }

  /** Accepts an item; from the queue's bar (`andNext`), then goes to the item after it. */
  async function accept(item, andNext) {
    for (const id of ['review-bar-problem', 'review-panel-problem', 'review-bar-status', 'review-panel-status']) $(id).textContent = '';
    try {
      review = (await api('/api/review/accept', { method: 'POST', body: JSON.stringify({ documentId: item.documentId, page: item.page, reason: item.reason }) })).review;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return location.reload();
      $(andNext ? 'review-bar-problem' : 'review-panel-problem').textContent = errorMessage(error);
      return load();
    }
    render();
    if (!andNext) {
      $('review-panel-status').textContent = t('review.accepted');
      return $('review-panel-title').focus();
    }
    const next = await neighbour(filters, cursor, 'next').catch(() => null);
    if (next) {
      sessionStorage.setItem(FLASH, 'review.acceptedPrevious');
      return location.assign(itemUrl(next, filters));
    }
    $('review-bar-status').textContent = `${t('review.accepted')} ${t('review.end')}`;
  }

  async function undo(decision) {
    $('review-panel-problem').textContent = '';
    try {
      review = (await api(decision.revertUrl, { method: 'POST', body: '{}' })).review;
      $('review-panel-status').textContent = t('review.undone', { reason: reasonLabel(decision.reason) });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return location.reload();
      $('review-panel-problem').textContent = errorMessage(error);
      await load();
    }
    render();
    // The button went with its decision: the focus goes to the panel's heading.
    $('review-panel-title').focus();
  }

  async function go(direction) {
    $('review-bar-status').textContent = '';
    try {
      const item = await neighbour(filters, cursor, direction);
      if (item) return location.assign(itemUrl(item, filters));
      $('review-bar-status').textContent = t(direction === 'next' ? 'review.end' : 'review.start');
    } catch (error) {
      $('review-bar-problem').textContent = errorMessage(error);
    }
  }

  /** To the field that corrects the item: the record's form opened at it, or the page's text beside its image. */
  function fix() {
    const item = current();
    if (!item) return;
    if (item.reason === 'low-confidence') {
      if ($('edit-text').getAttribute('aria-expanded') === 'true') $('page-text').focus();
      else $('edit-text').click();
      return;
    }
    if ($('edit-record').getAttribute('aria-expanded') !== 'true') $('edit-record').click();
    $(FIELD[item.reason])?.focus();
  }

  $('review-panel').hidden = false;
  if (inQueue) {
    renderShortcuts($('review-shortcut-list'), ['accept', 'fix', 'next', 'previous', 'escape', 'help']);
    $('review-accept').addEventListener('click', () => current() && accept(current(), true));
    $('review-fix').addEventListener('click', fix);
    $('review-next').addEventListener('click', () => go('next'));
    $('review-previous').addEventListener('click', () => go('previous'));
    $('review-shortcuts-toggle').addEventListener('click', () => toggleShortcuts($('review-shortcuts-toggle'), $('review-shortcut-list')));
    document.addEventListener('keydown', (event) => {
      // Esc leaves a field of the record or the page's text: the shortcuts work again.
      if (event.key === 'Escape' && event.target instanceof Element && event.target.closest('#record-form, #text-editor')) {
        event.preventDefault();
        $('review-bar-title').focus();
        return;
      }
      if (isTyping(event)) return;
      const actions = { a: () => current() && accept(current(), true), e: fix, j: () => go('next'), n: () => go('next'), k: () => go('previous'), '?': () => toggleShortcuts($('review-shortcuts-toggle'), $('review-shortcut-list')) };
      const action = actions[event.key];
      if (!action) return;
      event.preventDefault();
      action();
    });
  }

  return {
    load,
    render: () => {
      if (inQueue) renderShortcuts($('review-shortcut-list'), ['accept', 'fix', 'next', 'previous', 'escape', 'help']);
      render();
    },
    /** Once the page is ready: the focus on the item in hand (or at its field, asked from the queue with e), and what the page before said. */
    async start() {
      await load();
      if (!inQueue) return;
      const flash = sessionStorage.getItem(FLASH);
      sessionStorage.removeItem(FLASH);
      if (flash) $('review-bar-status').textContent = t(flash);
      if (params.get('corrigir') === '1' && current()) fix();
      else $('review-bar-title').focus();
    },
  };
}
