// Sign-in: username and password, then a TOTP step when the organization asks for one; an
// explanation for organizations set to single sign-on; back to the page that sent the user
// here (same-site paths only).
import {api, ApiError} from './api.js';
import {byId, showError} from './dom.js';

const params = new URLSearchParams(location.search);

function nextPath() {
  const next = params.get('next') ?? '/';
  // Only a local absolute path: never "//host" or "/\host", which browsers treat as off-site.
  return /^\/(?![/\\])/.test(next) ? next : '/';
}

function showSso(show) {
  byId('sso-message').hidden = !show;
  byId('login-form').hidden = show;
  if (show) byId('sso-back').focus();
}

async function submit(event) {
  event.preventDefault();
  const error = byId('login-error');
  showError(error, '');
  const username = byId('username').value.trim();
  const password = byId('password').value;
  if (!username || !password) {
    showError(error, 'Enter your username and password.');
    (username ? byId('password') : byId('username')).focus();
    return;
  }
  const body = {username, password};
  const totpVisible = !byId('totp-step').hidden;
  if (totpVisible) body.totpCode = byId('totp-code').value.replace(/\D/g, '');
  const button = byId('login-submit');
  button.disabled = true;
  try {
    const session = await api('POST', '/api/v1/session', body, {redirectOn401: false});
    location.assign(session.totpEnrollmentRequired ? '/profile/security' : nextPath());
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (e.code === 'totp_required') {
      byId('totp-step').hidden = false;
      if (totpVisible) showError(error, e.message);
      byId('totp-code').value = '';
      byId('totp-code').focus();
    } else if (e.code === 'sso_required') {
      showSso(true);
    } else if (e.status === 429) {
      const wait = e.retryAfter ? ` Try again in ${e.retryAfter} seconds.` : '';
      showError(error, `Too many sign-in attempts.${wait}`);
    } else if (e.code === 'invalid_credentials') {
      showError(error, 'The username or password is wrong.');
      byId('password').value = '';
      byId('password').focus();
    } else {
      showError(error, e.message);
    }
  } finally {
    button.disabled = false;
  }
}

byId('login-form').addEventListener('submit', submit);
byId('sso-back').addEventListener('click', () => {
  showSso(false);
  byId('password').value = '';
  byId('username').focus();
});
// A different user starts again without the second step.
byId('username').addEventListener('input', () => {
  byId('totp-step').hidden = true;
});
if (params.get('expired') === '1') {
  const notice = byId('login-notice');
  notice.textContent = 'Your session ended. Sign in again to continue.';
  notice.hidden = false;
}
// Until this module runs, the button stays disabled: a form submitted without script would
// not reach the JSON API.
byId('login-submit').disabled = false;
byId('username').focus();
