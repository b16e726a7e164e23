// Copy buttons: the Clipboard API with a visible, announced confirmation next to the button.
import {h} from './dom.js';

export function copyButton(label, getValue) {
  const status = h('span', {class: 'copy-status', role: 'status'});
  let timer = null;
  const button = h(
      'button',
      {
        type: 'button',
        class: 'button secondary small',
        'aria-label': `Copy ${label}`,
        onclick: async () => {
          clearTimeout(timer);
          try {
            await navigator.clipboard.writeText(getValue());
            status.textContent = 'Copied';
            status.classList.remove('copy-failed');
          } catch {
            status.textContent = 'Copy failed: select the value and copy it by hand';
            status.classList.add('copy-failed');
          }
          timer = setTimeout(() => {
            status.textContent = '';
          }, 4000);
        },
      },
      'Copy',
  );
  return h('span', {class: 'copy'}, button, status);
}
