// The frame of every signed-in page: the header with the user icon menu (User Profile, Switch
// account with the linked accounts, Sign out), the session, and one place that reports a
// failure to load the page.
import {api, ApiError, loadSession, signInUrl} from './api.js';
import {announce, byId, h} from './dom.js';

let featuresPromise = null;
export function loadFeatures() {
  featuresPromise ??= api('GET', '/ui/features').catch(() => ({demoMailbox: false}));
  return featuresPromise;
}

const USER_ICON =
    'M12 12a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9Zm0 2c-4.4 0-8 2.2-8 5v2h16v-2c0-2.8-3.6-5-8-5Z';

function svgIcon(path) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '24');
  svg.setAttribute('height', '24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const p = document.createElementNS(ns, 'path');
  p.setAttribute('d', path);
  p.setAttribute('fill', 'currentColor');
  svg.append(p);
  return svg;
}

async function switchTo(accountId) {
  await api('POST', '/api/v1/session/switch', {accountId});
  // Keys and settings belong to the account: start again from Home as the other account.
  location.assign('/');
}

async function signOut() {
  try {
    await api('DELETE', '/api/v1/session', undefined, {redirectOn401: false});
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
  }
  location.assign('/login');
}

function buildMenu(session, features) {
  const menu = h('div', {class: 'user-menu', id: 'user-menu', hidden: true});
  const account = session.account;
  menu.append(
      h(
          'p',
          {class: 'user-menu-who'},
          h('strong', {}, account.displayName),
          h('span', {}, `${account.username} · ${session.organization.name}`),
          ),
  );
  const list = h('ul', {class: 'user-menu-list'});
  list.append(h('li', {}, h('a', {href: '/profile', id: 'menu-profile'}, 'User Profile')));
  list.append(h('li', {}, h('a', {href: '/profile/keys'}, 'RaaS API Keys')));
  list.append(h('li', {}, h('a', {href: '/reports'}, 'Reports')));
  if (account.role === 'org_admin') {
    list.append(h('li', {}, h('a', {href: '/admin'}, 'Organization settings')));
  }
  if (features.demoMailbox) {
    list.append(h('li', {}, h('a', {href: '/mailbox'}, 'Demo mailbox')));
  }
  menu.append(list);

  const others = (session.linkedAccounts ?? []).filter((a) => !a.current);
  const switchGroup =
      h('div', {class: 'user-menu-group', role: 'group', 'aria-labelledby': 'switch-heading'});
  switchGroup.append(h('p', {class: 'user-menu-heading', id: 'switch-heading'}, 'Switch account'));
  if (others.length === 0) {
    switchGroup.append(h('p', {class: 'muted small'}, 'No linked accounts'));
  } else {
    const accounts = h('ul', {class: 'user-menu-list'});
    for (const other of others) {
      accounts.append(
          h(
              'li',
              {},
              h(
                  'button',
                  {
                    type: 'button',
                    class: 'menu-button',
                    'data-account-id': other.accountId,
                    onclick: () => switchTo(other.accountId).catch((e) => announce(e.message)),
                  },
                  `${other.username} · ${other.organization.name}`,
                  ),
              ),
      );
    }
    switchGroup.append(accounts);
  }
  menu.append(switchGroup);
  menu.append(
      h('div', {class: 'user-menu-group'},
        h('button',
          {type: 'button', class: 'menu-button', id: 'sign-out', onclick: () => signOut()},
          'Sign out')),
  );
  return menu;
}

export function mountHeader(session, features) {
  const header = byId('site-header');
  header.replaceChildren();
  const brand = h('a', {class: 'brand', href: '/'}, 'Keygate');
  header.append(brand);
  if (!session) return;

  const button = h(
      'button',
      {
        type: 'button',
        class: 'user-button',
        id: 'user-menu-button',
        'aria-expanded': 'false',
        'aria-controls': 'user-menu',
        'aria-label': `User menu for ${session.account.displayName}`,
      },
      svgIcon(USER_ICON),
      h('span', {class: 'user-button-name', 'aria-hidden': 'true'}, session.account.displayName),
  );
  const menu = buildMenu(session, features);
  const wrapper = h('div', {class: 'user-menu-wrapper'}, button, menu);
  header.append(h('span', {class: 'org-name'}, session.organization.name), wrapper);

  const setOpen = (open) => {
    menu.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
  };
  button.addEventListener('click', () => {
    const open = menu.hidden;
    setOpen(open);
    if (open) menu.querySelector('a, button')?.focus();
  });
  wrapper.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !menu.hidden) {
      setOpen(false);
      button.focus();
    }
  });
  wrapper.addEventListener('focusout', (event) => {
    if (!wrapper.contains(event.relatedTarget)) setOpen(false);
  });
  document.addEventListener('click', (event) => {
    if (!wrapper.contains(event.target)) setOpen(false);
  });
}

function showPageError(error) {
  const region = document.getElementById('page-error');
  if (!region) return;
  region.textContent = `Something went wrong: ${error.message}`;
  region.hidden = false;
}

// Runs a signed-in page: loads the session (or goes to sign-in), draws the header, then `body`.
export async function startPage(body) {
  let session;
  try {
    session = await loadSession();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      location.assign(signInUrl(false));
      return;
    }
    showPageError(error);
    return;
  }
  const features = await loadFeatures();
  mountHeader(session, features);
  try {
    await body(session, features);
  } catch (error) {
    showPageError(error);
  }
}
