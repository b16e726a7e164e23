// Small DOM helpers shared by every page: an element builder (text only, never HTML strings,
// so values from the server cannot become markup), formatting, and announcements for screen
// readers.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (key === 'class')
      el.className = value;
    else if (key === 'text')
      el.textContent = value;
    else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else
      el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing element #${id}`);
  return el;
}

// Server times are UTC ("2026-05-20T14:03:00Z"); the UI shows them in UTC too, so the date a
// key expires on reads the same for everyone in the organization.
export function formatDateTime(iso) {
  if (!iso) return '';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function formatDate(iso) { return iso ? iso.slice(0, 10) : ''; }

export function formatTime(iso) { return iso ? `${iso.slice(11, 19)} UTC` : ''; }

export function pluralize(count, one, many) { return `${count} ${count === 1 ? one : many}`; }

const LOGIN_METHODS = {
  basic: 'username and password',
  two_factor: 'password and authenticator app',
  sso: 'single sign-on'
};
export function loginMethodLabel(method) { return LOGIN_METHODS[method] ?? method; }

const ROLES = {
  client_manager: 'Client manager',
  supplier_user: 'Supplier user',
  msp_admin: 'MSP administrator',
  org_admin: 'Organization administrator',
};
export function roleLabel(role) { return ROLES[role] ?? role; }

// Polite announcements through the page's one live region.
export function announce(message) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  // A fresh text node after a tick makes screen readers announce repeated messages too.
  setTimeout(() => {
    region.textContent = message;
  }, 50);
}

// Shows an error (or clears it with an empty message) in an element with role="alert".
export function showError(el, message) {
  el.textContent = message || '';
  el.hidden = !message;
}
