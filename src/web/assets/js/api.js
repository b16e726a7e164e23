// The one way the pages talk to Keygate's JSON API: same-origin fetch with the session cookie,
// the CSRF token on every state-changing request, and problem+json errors turned into
// ApiError values. A lost session sends the browser back to sign-in.

let csrfToken = null;

export class ApiError extends Error {
  constructor(status, problem, headers) {
    super(problem?.detail || problem?.title || `Request failed (${status})`);
    this.status = status;
    this.code = problem?.code ?? '';
    this.field = problem?.field ?? '';
    this.triesLeft = problem?.triesLeft;
    const retry = Number.parseInt(headers?.get('Retry-After') ?? '', 10);
    this.retryAfter = Number.isFinite(retry) ? retry : null;
  }
}

export function setCsrfToken(token) { csrfToken = token; }

export function signInUrl(expired) {
  const next = location.pathname + location.search;
  const params = new URLSearchParams({next});
  if (expired) params.set('expired', '1');
  return `/login?${params}`;
}

// method, path, optional JSON body. Options: { redirectOn401: true }.
export async function api(method, path, body, {redirectOn401 = true} = {}) {
  const headers = {Accept: 'application/json, application/problem+json'};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  const type = response.headers.get('Content-Type') ?? '';
  const data = response.status !== 204 && type.includes('json') ? await response.json() : null;
  if (!response.ok) {
    const error = new ApiError(response.status, data, response.headers);
    if (response.status === 401 && error.code === 'unauthenticated' && redirectOn401) {
      location.assign(signInUrl(true));
    }
    throw error;
  }
  return data;
}

// POST that answers with text (the QR code SVG).
export async function postForText(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken ?? ''},
    body: JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  if (!response.ok) throw new ApiError(response.status, null, response.headers);
  return response.text();
}

export async function loadSession() {
  const session = await api('GET', '/api/v1/session', undefined, {redirectOn401: false});
  setCsrfToken(session.csrfToken);
  return session;
}
