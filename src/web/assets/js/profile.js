// User Profile → Profile: the account and its organization.
import {byId, h, loginMethodLabel, roleLabel} from './dom.js';
import {startPage} from './layout.js';

startPage(async (session) => {
  const {account, organization} = session;
  const rows = [
    ['Name', account.displayName],
    ['Username', account.username],
    ['Email', account.email],
    ['Role', roleLabel(account.role)],
    ['Permissions', account.permissions.length ? account.permissions.join(', ') : 'none'],
    ['Organization', `${organization.name} (${organization.type})`],
    ['Sign-in method', loginMethodLabel(organization.loginMethod)],
    ['Key lifetime', `${organization.keyLifetimeDays} days at most`],
    ['Two-factor sign-in', account.totpEnabled ? 'On' : 'Off'],
  ];
  const list = byId('profile-details');
  for (const [term, value] of rows) list.append(h('dt', {}, term), h('dd', {}, value));
  const linked = (session.linkedAccounts ?? []).filter((a) => !a.current);
  if (linked.length) {
    list.append(
        h('dt', {}, 'Linked accounts'),
        h('dd', {}, linked.map((a) => `${a.username} (${a.organization.name})`).join(', ')));
  }
});
