// User Profile → Security: TOTP enrollment. The QR code is drawn by the server (libqrencode)
// from the otpauth URI sent in a POST body, never in a URL, and shown as a data: image.
import {api, ApiError, postForText} from './api.js';
import {byId, showError} from './dom.js';
import {startPage} from './layout.js';

function groups(secret) { return secret.replace(/(.{4})/g, '$1 ').trim(); }

startPage(async (session) => {
  const status = byId('totp-status');
  const start = byId('totp-start');
  byId('security-required').hidden = !session.totpEnrollmentRequired;
  if (session.account.totpEnabled) {
    status.textContent = 'Two-factor sign-in is on for your account.';
    return;
  }
  status.textContent = session.organization.loginMethod === 'two_factor' ?
      'Your organization signs in with a password and a code from an authenticator app. Set one up now.' :
      'You can add an authenticator app to your account. Your organization does not require it.';
  start.hidden = false;

  start.addEventListener('click', async () => {
    start.disabled = true;
    try {
      const enrollment = await api('POST', '/api/v1/me/totp', {});
      const svg = await postForText('/ui/totp-qr', {otpauthUri: enrollment.otpauthUri});
      byId('totp-qr').src = `data:image/svg+xml;base64,${btoa(svg)}`;
      const secret = byId('totp-secret');
      secret.textContent = groups(enrollment.secret);
      secret.dataset.secret = enrollment.secret;
      byId('totp-enroll').hidden = false;
      start.hidden = true;
      byId('totp-confirm-code').focus();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      status.textContent = error.message;
      start.disabled = false;
    }
  });

  byId('totp-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = byId('totp-confirm-code');
    const code = input.value.replace(/\D/g, '');
    const error = byId('totp-error');
    showError(error, '');
    try {
      await api('POST', '/api/v1/me/totp/confirm', {code});
      byId('totp-enroll').hidden = true;
      byId('totp-secret').textContent = '';
      delete byId('totp-secret').dataset.secret;
      byId('totp-qr').removeAttribute('src');
      byId('security-required').hidden = true;
      status.textContent = 'Two-factor sign-in is on for your account.';
      const done = byId('totp-done');
      done.textContent =
          'Your authenticator app is set up. From now on, sign-in asks for its code.';
      done.append(' ');
      const link = document.createElement('a');
      link.href = '/profile/keys';
      link.textContent = 'Go to RaaS API Keys';
      done.append(link);
      done.hidden = false;
      link.focus();
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      input.setAttribute('aria-invalid', 'true');
      showError(error, e.message);
      input.focus();
    }
  });
});
