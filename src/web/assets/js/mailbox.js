// The demo mailbox: the messages this demo server wrote to its outbox for the signed-in
// account, so someone trying Keygate can read the View code without a mail server.
import {api} from './api.js';
import {announce, byId, h} from './dom.js';
import {startPage} from './layout.js';

async function load() {
  const {address, messages} = await api('GET', '/ui/mailbox/messages');
  byId('mailbox-address').textContent = address;
  byId('mailbox-empty').hidden = messages.length > 0;
  byId('mailbox-messages')
      .replaceChildren(
          ...messages.map(
              (m, index) =>
                  h('article', {class: 'card message', 'aria-labelledby': `message-${index}`},
                    h('h2', {id: `message-${index}`}, m.subject || '(no subject)'),
                    h('p', {class: 'muted small'}, `From ${m.from} · ${m.date}`),
                    h('pre', {class: 'message-body'}, m.body))),
      );
  return messages.length;
}

startPage(async () => {
  byId('mailbox-refresh').addEventListener('click', async () => {
    const count = await load();
    announce(`${count} messages.`);
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') load().catch(() => {});
  });
  await load();
});
