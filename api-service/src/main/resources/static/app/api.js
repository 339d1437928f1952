// The REST API: the session's token on every call, the contract's error body turned into an ApiError.

const SESSION_KEY = 'attune.session';

/** An error the API answered ({status, code, message, details}); status 0 when the server could not be reached. */
export class ApiError extends Error {
  constructor(status, code, message, details = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = Array.isArray(details) ? details : [];
  }
}

/** The signed-in session ({token, user, expiresAt}) of this browser tab, or null. */
export function currentSession() {
  try {
    const session = JSON.parse(sessionStorage.getItem(SESSION_KEY));
    if (!session || !session.token || !session.user) return null;
    if (session.expiresAt && Date.now() >= session.expiresAt) {
      sessionStorage.removeItem(SESSION_KEY);
      return null;
    }
    return session;
  } catch {
    return null;
  }
}

export function isAdmin(session = currentSession()) {
  return Boolean(session && session.user.roles && session.user.roles.includes('admin'));
}

const sessionListeners = new Set();

/** Called with the reason ('signed-out' or 'expired') whenever the session ends. */
export function onSessionEnd(listener) {
  sessionListeners.add(listener);
  return () => sessionListeners.delete(listener);
}

export function endSession(reason = 'signed-out') {
  const hadSession = sessionStorage.getItem(SESSION_KEY) !== null;
  sessionStorage.removeItem(SESSION_KEY);
  if (hadSession) sessionListeners.forEach((listener) => listener(reason));
}

/**
 * Signing out revokes the token on the server (POST /auth/logout), so that a copy of it left anywhere is worthless;
 * the tab forgets it whether or not the server could be told.
 */
export async function signOut() {
  const token = currentSession()?.token;
  endSession('signed-out');
  if (!token) return;
  try {
    await fetch('/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${token}` }, keepalive: true });
  } catch {
    // unreachable: the token still lapses at its expiry
  }
}

/** POST /auth/login; keeps the token for this tab's session and returns the session. */
export async function signIn(login, password) {
  const body = await call('POST', '/auth/login', { login, password }, { token: null });
  const data = body.data;
  const session = {
    token: data.access_token,
    user: data.user,
    // a little early, so no request goes out with a token about to lapse
    expiresAt: Date.now() + Math.max(0, data.expires_in - 5) * 1000,
  };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  return session;
}

let me = null; // {token, promise}: the caller's groups, read once per session

/** GET /api/v1/me for this session (cached): {id, login, display_name, roles, groups}. */
export function myself() {
  const token = currentSession()?.token;
  if (!me || me.token !== token) {
    me = { token, promise: call('GET', '/api/v1/me').then((body) => body.data).catch(() => ({ groups: [] })) };
  }
  return me.promise;
}

export const api = {
  get: (path) => call('GET', path),
  post: (path, body) => call('POST', path, body),
  patch: (path, body) => call('PATCH', path, body),
  delete: (path) => call('DELETE', path),
};

/** Builds a query string from the parameters that have a value. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

async function call(method, path, body, { token = currentSession()?.token } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'UNREACHABLE', 'The server cannot be reached. Check your connection and try again.');
  }
  const payload = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.ok) return payload;
  const error = new ApiError(response.status, payload?.code ?? `HTTP_${response.status}`,
    payload?.error ?? `The server answered ${response.status}.`, payload?.details);
  if (response.status === 401 && token) endSession('expired');
  throw error;
}
