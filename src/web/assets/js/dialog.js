// Modal dialogs on the native <dialog> element: showModal() makes the page behind inert; this
// adds a focus trap (Tab and Shift+Tab wrap inside the dialog), Escape handling that a dialog
// can veto (the basic-auth "have you saved the values?" step), focus sent back to the control
// that opened the dialog, and a hook to clear what the dialog showed.

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), ' +
    'select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function focusables(dialog) {
  return [...dialog.querySelectorAll(FOCUSABLE)].filter(
      (el) => el.getClientRects().length > 0 && !el.closest('[hidden]'),
  );
}

// options: canClose() → false keeps the dialog open on Escape; onClose() runs after closing.
export function setupDialog(dialog, {canClose = () => true, onClose = () => {}} = {}) {
  let returnFocus = null;
  dialog.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !canClose()) {
      event.preventDefault();
      return;
    }
    if (event.key !== 'Tab') return;
    const items = focusables(dialog);
    if (items.length === 0) {
      event.preventDefault();
      return;
    }
    const first = items[0];
    const last = items[items.length - 1];
    if (event.shiftKey &&
        (document.activeElement === first || !dialog.contains(document.activeElement))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });
  dialog.addEventListener('cancel', (event) => {
    if (!canClose()) event.preventDefault();
  });
  dialog.addEventListener('close', () => {
    // The browser may close a dialog despite a vetoed Escape (repeated presses); reopen it so
    // the values are not lost before the user confirmed saving them.
    if (!canClose()) {
      dialog.showModal();
      return;
    }
    onClose();
    if (returnFocus && returnFocus.isConnected) returnFocus.focus();
    returnFocus = null;
  });
  return {
    open(initialFocus) {
      returnFocus = document.activeElement;
      dialog.showModal();
      const target = initialFocus ?? focusables(dialog)[0];
      target?.focus();
    },
    close() {
      if (dialog.open) dialog.close();
    },
    // Where focus goes after closing, when the opener is gone (e.g. a table row re-rendered).
    set returnFocus(el) { returnFocus = el; },
  };
}
