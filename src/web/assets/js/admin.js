// Organization settings (org_admin only): sign-in method, key lifetime, API tier, and every key
// of the organization with its owner, expiry and an Inactivate action.
import {api, ApiError} from './api.js';
import {setupDialog} from './dialog.js';
import {announce, byId, formatDateTime, h, pluralize, showError} from './dom.js';
import {startPage} from './layout.js';

let target = null;
let dialog = null;

function statusLabel(status) {
  return {active: 'Active', inactive: 'Inactive', expired: 'Expired'}[status] ?? status;
}

function keyRow(key) {
  const soon = key.status === 'active' && key.daysLeft <= 14;
  const actions = h('td', {'data-label': 'Actions', class: 'row-actions'});
  if (key.status === 'active') {
    actions.append(
        h('button', {
          type: 'button',
          class: 'button danger-outline small',
          'data-action': 'inactivate',
          'aria-label': `Inactivate key ${key.name} of ${key.owner ?? 'unknown owner'}`,
          onclick: () => startInactivate(key),
        },
          'Inactivate'),
    );
  } else {
    actions.append(
        key.status === 'inactive' && key.inactivatedBy ?
            `Inactivated by ${key.inactivatedBy} on ${formatDateTime(key.inactivatedAt)}` :
            '—');
  }
  return h(
      'tr',
      {'data-credential-key': key.credentialKey},
      h('th', {scope: 'row', 'data-label': 'Name'}, key.name),
      h('td', {'data-label': 'Credential Key'}, h('code', {}, String(key.credentialKey))),
      h('td', {'data-label': 'Owner'}, key.owner ?? ''),
      h('td', {'data-label': 'Client Key'}, h('code', {class: 'masked'}, key.clientKey)),
      h('td', {'data-label': 'Status'},
        h('span', {class: `badge ${key.status}`}, statusLabel(key.status))),
      h('td', {'data-label': 'Expires', class: soon ? 'expiring' : ''},
        h('span', {class: 'nowrap'}, key.expiresOn),
        key.status === 'active' ?
            h('span', {class: 'days-left'}, `${pluralize(key.daysLeft, 'day', 'days')} left`) :
            null),
      actions,
  );
}

async function loadKeys() {
  const {keys} = await api('GET', '/api/v1/org/keys');
  const body = byId('org-keys-body');
  body.replaceChildren(...keys.map(keyRow));
  if (keys.length === 0)
    body.append(h('tr', {class: 'empty-row'}, h('td', {colspan: 7}, 'No keys yet.')));
}

function fillForm(org) {
  byId('admin-org-name').textContent = org.name;
  byId('org-login-method').value = org.loginMethod;
  byId('org-key-lifetime').value = String(org.keyLifetimeDays);
  byId('org-api-tier').value = org.apiTier;
}

function startInactivate(key) {
  target = key;
  byId('admin-inactivate-title').textContent = `Inactivate “${key.name}”?`;
  byId('admin-inactivate-text').textContent =
      `The key “${key.name}” (Credential Key ${key.credentialKey}) of ${
          key.owner} stops working at once, and so do its access tokens. This cannot be undone.`;
  showError(byId('admin-inactivate-error'), '');
  dialog.open(byId('admin-inactivate-cancel'));
}

startPage(async (session) => {
  if (session.account.role !== 'org_admin') {
    byId('admin-denied').hidden = false;
    return;
  }
  byId('admin-content').hidden = false;
  dialog = setupDialog(byId('admin-inactivate-dialog'), {
    onClose: () => {
      target = null;
    }
  });
  byId('admin-inactivate-cancel').addEventListener('click', () => dialog.close());
  byId('admin-inactivate-confirm').addEventListener('click', async () => {
    const key = target;
    if (!key) return;
    try {
      await api('POST', `/api/v1/org/keys/${key.credentialKey}/inactivate`, {});
      dialog.close();
      await loadKeys();
      byId('org-keys-title').focus?.();
      announce(`Key “${key.name}” was inactivated.`);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      showError(byId('admin-inactivate-error'), error.message);
    }
  });
  byId('org-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const error = byId('org-error');
    showError(error, '');
    try {
      const org = await api('PATCH', '/api/v1/org', {
        loginMethod: byId('org-login-method').value,
        keyLifetimeDays: Number(byId('org-key-lifetime').value),
        apiTier: byId('org-api-tier').value,
      });
      fillForm(org);
      announce('Settings saved.');
      byId('org-save').textContent = 'Saved';
      setTimeout(() => {
        byId('org-save').textContent = 'Save settings';
      }, 2000);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      showError(error, e.message);
    }
  });
  fillForm(await api('GET', '/api/v1/org'));
  await loadKeys();
});
