// Home: who is signed in, and the way to the RaaS API Keys page.
import {byId, h, loginMethodLabel} from './dom.js';
import {startPage} from './layout.js';

startPage(async (session, features) => {
  const {account, organization} = session;
  byId('home-title').textContent = `Welcome, ${account.displayName}`;
  byId('home-who').textContent = `Signed in as ${account.username} at ${organization.name} (${
                                     organization.type} organization, ` +
      `sign-in with ${loginMethodLabel(organization.loginMethod)}).`;
  byId('totp-banner').hidden = !session.totpEnrollmentRequired;
  const tiles = byId('home-tiles');
  if (account.role === 'org_admin') {
    tiles.append(
        h('li', {class: 'tile'}, h('h2', {}, h('a', {href: '/admin'}, 'Organization settings')),
          h('p', {}, 'Sign-in method, key lifetime, API tier, and every key of the organization.')),
    );
  }
  if (features.demoMailbox) {
    tiles.append(
        h('li', {class: 'tile'}, h('h2', {}, h('a', {href: '/mailbox'}, 'Demo mailbox')),
          h('p', {}, 'Read the email this demo server sent you, such as View codes.')),
    );
  }
});
