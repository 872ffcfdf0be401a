// The JSON API under /api/ (docs/web-api.md): requests with the session cookie, the CSRF token
// on state-changing requests, errors as ApiError. No session -> the login page, and back here after.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

let csrfToken = '';

export function setCsrfToken(token) {
  csrfToken = token ?? '';
}

export function loginUrl() {
  const here = location.pathname + location.search;
  return `login.html?next=${encodeURIComponent(here)}`;
}

async function request(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET' && csrfToken) {
    headers['X-CSRF-Token'] = csrfToken;
  }
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (response.status === 204) {
    return null;
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = new ApiError(response.status, data?.error ?? response.statusText);
    error.retryAfter = response.headers.get('Retry-After');
    throw error;
  }
  return data;
}

// GET `path` -> its JSON. 401 sends the browser to the login page (the promise never settles);
// other errors throw ApiError.
export async function apiGet(path) {
  try {
    return await request('GET', path);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      location.assign(loginUrl());
      return new Promise(() => {});
    }
    throw error;
  }
}

// POST `body` as JSON -> the answer's JSON (null for 204). Errors, 401 included, throw ApiError.
export function apiPost(path, body) {
  return request('POST', path, body);
}

// "?a=1&b=" from an object, leaving out empty values.
export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== '' && value !== null && value !== undefined) {
      search.set(name, value);
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
