// User Profile → RaaS API Keys (DESIGN §2, §5): the empty state, Generate, the values dialog
// with copy buttons, Your Credentials, Audit Log, View (emailed code for basic-auth
// organizations, direct otherwise) and Inactivate with confirmation. Revealed values live only
// in this module's variables and the open dialog, and are cleared when the dialog closes.
import {api, ApiError} from './api.js';
import {copyButton} from './copy.js';
import {setupDialog} from './dialog.js';
import {announce, byId, formatDate, formatDateTime, formatTime, h, pluralize, showError} from './dom.js';
import {startPage} from './layout.js';

const EXPIRY_WARNING_DAYS = 14;

let session = null;
let policy = null;
let credentials = [];
let revealed = null;  // {credentialKey, clientKey, clientSecret} while the values dialog is open
let valuesMode = 'generated';
let codeTarget = null;  // the key whose View code dialog is open
let inactivateTarget = null;
let lastViewed = null;  // the credential key whose View button opened the values dialog
let resendTimer = null;

const dialogs = {};

function scopeLabel(name) { return name === 'raas' ? 'RaaS' : name; }

function focusAfterRender(selector) {
  const target = selector ? document.querySelector(selector) : null;
  (target ?? byId('generate-button')).focus();
}

// ---- tables ---------------------------------------------------------------------------------

function expiresCell(key) {
  const soon = key.daysLeft <= EXPIRY_WARNING_DAYS;
  const cell = h('td', {'data-label': 'Expires', class: soon ? 'expiring' : ''});
  cell.append(h('span', {class: 'nowrap'}, key.expiresOn));
  cell.append(
      h('span', {class: 'days-left'},
        soon ? `Expires soon: ${pluralize(key.daysLeft, 'day', 'days')} left` :
               `${pluralize(key.daysLeft, 'day', 'days')} left`),
  );
  return cell;
}

function credentialRow(key) {
  const row = h('tr', {'data-credential-key': key.credentialKey});
  row.append(
      h('th', {scope: 'row', 'data-label': 'Name'}, key.name),
      h('td', {'data-label': 'Credential Key'}, h('code', {}, String(key.credentialKey))),
      h('td', {'data-label': 'Client Key'}, h('code', {class: 'masked'}, key.clientKey)),
      h('td', {'data-label': 'Scopes'}, key.scopes.map(scopeLabel).join(', ')),
      h('td', {'data-label': 'Created', class: 'nowrap'}, formatDate(key.createdAt)),
      expiresCell(key),
      h('td', {'data-label': 'Last used'},
        key.lastUsedAt ? formatDateTime(key.lastUsedAt) : 'Never'),
      h(
          'td',
          {'data-label': 'Actions', class: 'row-actions'},
          h('button', {
            type: 'button',
            class: 'button secondary small',
            'data-action': 'view',
            'aria-label': `View key ${key.name}`,
            onclick: () => startView(key),
          },
            'View'),
          h('button', {
            type: 'button',
            class: 'button danger-outline small',
            'data-action': 'inactivate',
            'aria-label': `Inactivate key ${key.name}`,
            onclick: () => startInactivate(key),
          },
            'Inactivate'),
          ),
  );
  return row;
}

function auditRow(key) {
  const inactive = key.status === 'inactive';
  return h(
      'tr',
      {'data-credential-key': key.credentialKey},
      h('th', {scope: 'row', 'data-label': 'Name'}, key.name),
      h('td', {'data-label': 'Credential Key'}, h('code', {}, String(key.credentialKey))),
      h('td', {'data-label': 'Client Key'}, h('code', {class: 'masked'}, key.clientKey)),
      h('td', {'data-label': 'Scopes'}, key.scopes.map(scopeLabel).join(', ')),
      h('td', {'data-label': 'Status'},
        h('span', {class: `badge ${key.status}`}, inactive ? 'Inactive' : 'Expired')),
      h('td', {'data-label': 'Date'},
        inactive ? formatDateTime(key.inactivatedAt) : formatDateTime(key.expiresAt)),
      h('td', {'data-label': 'Inactivated by'}, inactive ? key.inactivatedBy ?? '' : '—'),
  );
}

function emptyRow(columns, text) {
  return h('tr', {class: 'empty-row'}, h('td', {colspan: columns}, text));
}

// The selector of the focused View/Inactivate button, so that a re-render of the table (the
// list reloads asynchronously) keeps keyboard focus on the same control of the same key.
function focusedRowControl() {
  const el = document.activeElement;
  const row = el?.closest?.('tr[data-credential-key]');
  const action = el?.dataset?.action;
  if (!row || !action) return null;
  return `tr[data-credential-key="${row.dataset.credentialKey}"] [data-action="${action}"]`;
}

function render(data) {
  policy = data.policy;
  credentials = data.credentials;
  const keepFocus = focusedRowControl();
  const body = byId('credentials-body');
  body.replaceChildren(...credentials.map(credentialRow));
  if (credentials.length === 0) body.append(emptyRow(8, 'You have no active keys.'));
  if (keepFocus) focusAfterRender(keepFocus);
  const audit = byId('audit-body');
  audit.replaceChildren(...data.auditLog.map(auditRow));
  if (data.auditLog.length === 0) audit.append(emptyRow(7, 'No inactive or expired keys.'));

  byId('empty-state').hidden = credentials.length > 0 || data.auditLog.length > 0;
  byId('empty-lifetime').textContent = String(policy.keyLifetimeDays);
  const supplierScopes = policy.availableScopes.some((s) => !s.alwaysIncluded);
  byId('empty-scopes').textContent = supplierScopes ?
      'You can add Supplier API scopes: each one grants one part of the Supplier API.' :
      'Supplier API scopes are for supplier organizations only, so your keys call RaaS.';
}

async function refresh() { render(await api('GET', '/api/v1/me/keys')); }

// ---- generate -------------------------------------------------------------------------------

function todayUtc() { return new Date().toISOString().slice(0, 10); }

function fillScopes() {
  const list = byId('scope-list');
  list.replaceChildren();
  for (const scope of policy.availableScopes) {
    const id = `scope-${scope.name.replace(/[^a-z0-9]/gi, '-')}`;
    const input = h('input', {
      type: 'checkbox',
      id,
      name: 'scope',
      value: scope.name,
      checked: scope.alwaysIncluded,
      disabled: scope.alwaysIncluded,
      'aria-describedby': `${id}-desc`,
    });
    const label = h('label', { for: id
    }, scope.alwaysIncluded ? 'RaaS (raas)' : scope.name);
    const description = h('span', {class: 'hint', id: `${id}-desc`}, scope.description);
    list.append(h('li', {class: 'checkbox'}, input, h('span', {}, label, description)));
  }
}

function clearFieldErrors() {
  for (const id of ['key-name', 'key-expiry']) {
    byId(id).removeAttribute('aria-invalid');
    showError(byId(`${id}-error`), '');
  }
  showError(byId('key-scopes-error'), '');
  showError(byId('generate-error'), '');
}

function openGenerate() {
  const form = byId('generate-form');
  form.reset();
  clearFieldErrors();
  fillScopes();
  const expiry = byId('key-expiry');
  expiry.max = policy.latestExpiresOn;
  expiry.min = todayUtc() < policy.latestExpiresOn ? todayUtc() : policy.latestExpiresOn;
  expiry.value = policy.latestExpiresOn;
  byId('key-expiry-hint').textContent =
      `At most ${policy.keyLifetimeDays} days ahead: ${policy.latestExpiresOn} or earlier. ` +
      'Once the key is generated its expiration date can never be removed or extended.';
  dialogs.generate.open(byId('key-name'));
}

function fieldFor(error) {
  if (error.field === 'name') return 'key-name';
  if (error.field === 'expiresOn') return 'key-expiry';
  return null;
}

async function submitGenerate(event) {
  event.preventDefault();
  clearFieldErrors();
  const name = byId('key-name').value.trim();
  if (!name) {
    byId('key-name').setAttribute('aria-invalid', 'true');
    showError(byId('key-name-error'), 'Enter a name for the key.');
    byId('key-name').focus();
    return;
  }
  const expiresOn = byId('key-expiry').value;
  if (!expiresOn) {
    byId('key-expiry').setAttribute('aria-invalid', 'true');
    showError(byId('key-expiry-error'), 'Choose an expiration date.');
    byId('key-expiry').focus();
    return;
  }
  const scopes = [...document.querySelectorAll('#scope-list input:checked:not(:disabled)')].map(
      (i) => i.value);
  const submit = byId('generate-submit');
  submit.disabled = true;
  try {
    const created = await api('POST', '/api/v1/me/keys', {name, expiresOn, scopes});
    dialogs.generate.close();
    showValues(created, 'generated');
    refresh().catch(() => {});
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const field = fieldFor(error);
    if (field) {
      byId(field).setAttribute('aria-invalid', 'true');
      showError(byId(`${field}-error`), error.message);
      byId(field).focus();
    } else if (error.field === 'scopes') {
      showError(byId('key-scopes-error'), error.message);
    } else {
      showError(byId('generate-error'), error.message);
    }
  } finally {
    submit.disabled = false;
  }
}

// ---- the values dialog ----------------------------------------------------------------------

const VALUE_FIELDS = [
  ['credentialKey', 'Credential Key'],
  ['clientKey', 'Client Key'],
  ['clientSecret', 'Client Secret'],
];

function showValues(values, mode) {
  revealed = {
    credentialKey: String(values.credentialKey),
    clientKey: values.clientKey,
    clientSecret: values.clientSecret
  };
  valuesMode = mode;
  const needsConfirm = mode === 'generated' && values.viewRequiresCode;
  byId('values-title').textContent =
      mode === 'generated' ? `Your new API key “${values.name}”` : `Values of “${values.name}”`;
  byId('values-note').textContent = needsConfirm ?
      'Copy these values now: this is the only time they can be copied without a code. When you close this dialog the Client Key and Client Secret are masked; seeing them again with View needs a code emailed to you.' :
      mode === 'generated' ?
      'Copy these values into your script. You can see them again later with View.' :
      'Copy what you need. The values are hidden again when you close this dialog.';
  byId('values-note').className = needsConfirm ? 'alert warning' : 'alert info';
  const list = byId('values-list');
  list.replaceChildren();
  for (const [field, label] of VALUE_FIELDS) {
    const id = `value-${field}`;
    list.append(
        h('dt', {}, label),
        h('dd', {}, h('code', {id, class: 'secret-value'}, revealed[field]),
          copyButton(label, () => revealed?.[field] ?? '')),
    );
  }
  const confirm = byId('values-saved');
  confirm.checked = false;
  byId('values-confirm').hidden = !needsConfirm;
  byId('values-close').disabled = needsConfirm;
  dialogs.values.open(byId('value-credentialKey').nextElementSibling.querySelector('button'));
}

function valuesCanClose() { return byId('values-confirm').hidden || byId('values-saved').checked; }

function clearValues() {
  byId('values-list').replaceChildren();
  revealed = null;
  const mode = valuesMode;
  valuesMode = 'generated';
  // Where the dialog put focus on closing (read after its close handler has run): if the user
  // has moved on by the time the list has reloaded, focus stays where they took it.
  let focusAtClose = null;
  queueMicrotask(() => { focusAtClose = document.activeElement; });
  refresh()
      .then(() => {
        const moved = document.activeElement !== focusAtClose &&
            document.activeElement !== document.body;
        if (moved) return;
        focusAfterRender(
            mode === 'generated' ?
                null :
                `tr[data-credential-key="${lastViewed}"] [data-action="view"]`);
      })
      .catch(() => {});
}

// ---- View -----------------------------------------------------------------------------------

async function startView(key) {
  lastViewed = key.credentialKey;
  if (!policy.viewRequiresCode) {
    try {
      const values = await api('POST', `/api/v1/me/keys/${key.credentialKey}/reveal`, {});
      showValues(values, 'view');
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      announce(error.message);
      byId('page-error').textContent = error.message;
      byId('page-error').hidden = false;
    }
    return;
  }
  codeTarget = key;
  byId('code-title').textContent = `View “${key.name}”`;
  byId('code-intro').textContent =
      'Your organization protects key values with a code sent by email. Send an 8-digit code to the address on your account, then enter it here.';
  byId('code-send-step').hidden = false;
  byId('code-form').hidden = true;
  byId('code-input').value = '';
  byId('code-sent-info').textContent = '';
  byId('code-tries').textContent = '';
  byId('code-resend-info').textContent = '';
  showError(byId('code-error'), '');
  stopResendCountdown();
  dialogs.code.open(byId('code-send'));
}

function stopResendCountdown() {
  clearInterval(resendTimer);
  resendTimer = null;
  byId('code-resend').disabled = false;
}

// A 429 says in Retry-After how long to wait; count it down on the Resend button's hint. The
// remaining time comes from a deadline, not from counting ticks, because browsers slow down
// timers in background tabs.
function startResendCountdown(seconds) {
  stopResendCountdown();
  const deadline = Date.now() + Math.max(1, seconds) * 1000;
  const resend = byId('code-resend');
  const info = byId('code-resend-info');
  resend.disabled = true;
  const tick = () => {
    const left = Math.ceil((deadline - Date.now()) / 1000);
    if (left <= 0) {
      stopResendCountdown();
      info.textContent = 'You can request a new code now.';
      return;
    }
    info.textContent = `A code was sent recently. You can request a new one in ${
        pluralize(left, 'second', 'seconds')}.`;
  };
  tick();
  resendTimer = setInterval(tick, 1000);
}

function showCodeStep() {
  byId('code-send-step').hidden = true;
  byId('code-form').hidden = false;
  byId('code-input').disabled = false;
  byId('code-submit').disabled = false;
}

async function sendCode() {
  const key = codeTarget;
  if (!key) return;
  showError(byId('code-error'), '');
  try {
    const sent = await api('POST', `/api/v1/me/keys/${key.credentialKey}/view-code`, {});
    showCodeStep();
    byId('code-sent-info').textContent = `We sent a code to ${sent.sentTo}. It expires at ${
        formatTime(sent.expiresAt)} and works once; a newer code replaces it.`;
    byId('code-tries').textContent = `Tries left: ${sent.triesLeft}`;
    byId('code-resend-info').textContent =
        `You can request a new code after ${formatTime(sent.resendAfter)}.`;
    byId('code-input').value = '';
    byId('code-input').focus();
    announce(`Code sent to ${sent.sentTo}.`);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    showCodeStep();
    if (error.status === 429) {
      startResendCountdown(error.retryAfter ?? 60);
      showError(byId('code-error'), `${error.message} The newest code you received still works.`);
      byId('code-input').focus();
    } else {
      showError(byId('code-error'), error.message);
    }
  }
}

function normalizeCode(text) { return text.replace(/\D/g, '').slice(0, 8); }

async function submitCode(event) {
  event.preventDefault();
  const key = codeTarget;
  if (!key) return;
  const input = byId('code-input');
  const code = normalizeCode(input.value);
  input.value = code;
  if (code.length !== 8) {
    input.setAttribute('aria-invalid', 'true');
    showError(byId('code-error'), 'Enter the 8 digits of the code from the email.');
    input.focus();
    return;
  }
  byId('code-submit').disabled = true;
  try {
    const values = await api('POST', `/api/v1/me/keys/${key.credentialKey}/reveal`, {code});
    input.value = '';
    input.removeAttribute('aria-invalid');
    codeTarget = null;
    dialogs.code.close();
    showValues({...values, name: key.name}, 'view');
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    input.value = '';
    input.setAttribute('aria-invalid', 'true');
    byId('code-submit').disabled = false;
    if (error.code === 'invalid_view_code' && typeof error.triesLeft === 'number') {
      byId('code-tries').textContent = `Tries left: ${error.triesLeft}`;
      if (error.triesLeft <= 0) {
        showError(
            byId('code-error'),
            'That code was wrong too many times and no longer works. Send a new code.');
        input.disabled = true;
        byId('code-submit').disabled = true;
        byId('code-resend').focus();
        return;
      }
      showError(
          byId('code-error'),
          `The code is wrong. ${pluralize(error.triesLeft, 'try', 'tries')} left.`);
    } else if (error.code === 'view_code_expired') {
      showError(byId('code-error'), 'The code has expired. Send a new code.');
      byId('code-tries').textContent = '';
    } else {
      showError(byId('code-error'), error.message);
    }
    input.focus();
  }
}

// ---- inactivate -----------------------------------------------------------------------------

function startInactivate(key) {
  inactivateTarget = key;
  byId('inactivate-title').textContent = `Inactivate “${key.name}”?`;
  byId('inactivate-text').textContent = `The key “${key.name}” (Credential Key ${
      key.credentialKey}) stops working at once, and so do the access tokens issued with it. This cannot be undone: to call the APIs again you will need a new key.`;
  showError(byId('inactivate-error'), '');
  dialogs.inactivate.open(byId('inactivate-cancel'));
}

async function confirmInactivate() {
  const key = inactivateTarget;
  if (!key) return;
  const button = byId('inactivate-confirm');
  button.disabled = true;
  try {
    await api('POST', `/api/v1/me/keys/${key.credentialKey}/inactivate`, {});
    inactivateTarget = null;
    dialogs.inactivate.close();
    await refresh();
    focusAfterRender(null);
    announce(`Key “${key.name}” was inactivated and moved to the Audit Log.`);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    showError(byId('inactivate-error'), error.message);
  } finally {
    button.disabled = false;
  }
}

// ---- wiring ---------------------------------------------------------------------------------

startPage(async (s) => {
  session = s;
  dialogs.generate = setupDialog(byId('generate-dialog'));
  dialogs.values =
      setupDialog(byId('values-dialog'), {canClose: valuesCanClose, onClose: clearValues});
  dialogs.code = setupDialog(byId('code-dialog'), {
    onClose: () => {
      stopResendCountdown();
      byId('code-input').value = '';
      codeTarget = null;
    },
  });
  dialogs.inactivate = setupDialog(byId('inactivate-dialog'), {
    onClose: () => {
      inactivateTarget = null;
    }
  });

  byId('generate-button').addEventListener('click', openGenerate);
  byId('generate-form').addEventListener('submit', submitGenerate);
  byId('generate-cancel').addEventListener('click', () => dialogs.generate.close());
  byId('values-saved').addEventListener('change', (e) => {
    byId('values-close').disabled = !e.target.checked;
  });
  byId('values-close').addEventListener('click', () => {
    if (valuesCanClose()) dialogs.values.close();
  });
  byId('code-send').addEventListener('click', sendCode);
  byId('code-resend').addEventListener('click', sendCode);
  byId('code-form').addEventListener('submit', submitCode);
  byId('code-cancel-1').addEventListener('click', () => dialogs.code.close());
  byId('code-cancel-2').addEventListener('click', () => dialogs.code.close());
  byId('code-input').addEventListener('paste', (event) => {
    // Accept "1234 5678", "1234-5678" or the code with surrounding text from the email.
    event.preventDefault();
    const input = event.target;
    input.value = normalizeCode(event.clipboardData?.getData('text') ?? '');
    input.removeAttribute('aria-invalid');
  });
  byId('code-input').addEventListener('input', (event) => {
    const input = event.target;
    const clean = normalizeCode(input.value);
    if (clean !== input.value) input.value = clean;
  });
  byId('inactivate-cancel').addEventListener('click', () => dialogs.inactivate.close());
  byId('inactivate-confirm').addEventListener('click', confirmInactivate);

  const blocked = byId('keys-blocked');
  if (session.totpEnrollmentRequired) {
    blocked.replaceChildren(
        'Your organization requires two-factor sign-in. ',
        h('a', {href: '/profile/security'}, 'Set up your authenticator app'),
        ' before you generate or view keys.',
    );
    blocked.hidden = false;
  } else if (!session.account.permissions.includes('raas')) {
    blocked.textContent =
        'Your account does not have the RaaS permission needed to hold API keys. Ask your organization administrator.';
    blocked.hidden = false;
  }
  await refresh();
  // Enabled once the policy (dates, scopes) is known and the dialogs are wired.
  byId('generate-button').disabled = !session.account.permissions.includes('raas');
});
