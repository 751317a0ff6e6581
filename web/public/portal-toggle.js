// Withholding a document from the public portal, on the staff's document page (issue 26): its
// state, and one button to withhold or publish it again (web/routes/portal-withhold.ts). Shown
// only when the document's answer carries `portal`, which the server gives to the roles its API
// allows. The result is said in a status line; the focus stays on the button, whose words change.
import { api, ApiError, errorMessage, t } from './common.js';

export function setUpPortalToggle({ urls }) {
  const $ = (id) => document.getElementById(id);
  let state = null;
  /** What the last change did, said again in the chosen language. */
  let done = '';

  async function load() {
    try {
      state = await api(urls.stateUrl);
      $('portal-problem').textContent = '';
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return location.reload();
      $('portal-problem').textContent = errorMessage(error);
    }
    render();
  }

  function render() {
    if (!state) return;
    $('portal-state').textContent = t(state.withheld ? 'portal.withheld' : state.public ? 'portal.public' : 'portal.notPublic');
    const address = $('portal-address');
    address.hidden = !state.publicUrl;
    address.href = state.publicUrl ?? '';
    address.textContent = state.publicUrl ? new URL(state.publicUrl, location.href).href : '';
    $('portal-reason-field').hidden = state.withheld;
    const button = $('portal-toggle');
    button.hidden = false;
    button.textContent = t(state.withheld ? 'portal.release' : 'portal.withhold');
    $('portal-status').textContent = done ? t(done) : '';
  }

  async function toggle() {
    const button = $('portal-toggle');
    const withhold = !state.withheld;
    button.disabled = true;
    $('portal-problem').textContent = '';
    $('portal-status').textContent = t('portal.saving');
    try {
      const reason = $('portal-reason').value.trim();
      state = withhold
        ? await api(urls.withheldUrl, { method: 'PUT', body: JSON.stringify(reason ? { reason } : {}) })
        : await api(urls.withheldUrl, { method: 'DELETE' });
      done = withhold ? 'portal.withholdDone' : state.public ? 'portal.releaseDone' : 'portal.releaseNotPublic';
      $('portal-reason').value = '';
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return location.reload();
      done = '';
      $('portal-problem').textContent = errorMessage(error);
    }
    button.disabled = false;
    render();
    button.focus();
  }

  $('portal').hidden = false;
  $('portal-toggle').addEventListener('click', toggle);
  return { load, render };
}
