// The signed-in user: the shared header (user, role, pages, logout), where each role lands, and
// the "không có quyền" message for a page the role may not use. Mirrors the role table of
// docs/web-api.md; the API enforces it (403) whatever the pages show.

import { ApiError, apiGet, apiPost, loginUrl, setCsrfToken } from './api.js';
import { el } from './dom.js';
import { roleNames } from './format.js';

const pages = [
  { name: 'search', href: 'search.html', title: 'Tra cứu hồ sơ', roles: ['admin', 'archivist'] },
  { name: 'dashboard', href: 'dashboard.html', title: 'Tiến độ số hóa', roles: ['admin', 'archivist', 'official'] },
  { name: 'batches', href: 'batches.html', title: 'Lô số hóa', roles: ['admin', 'operator'] },
];
const dossierRoles = ['admin', 'archivist'];

const landing = { archivist: 'search.html', official: 'dashboard.html', operator: 'batches.html', admin: 'search.html' };

export function landingPage(role) {
  return landing[role] ?? 'search.html';
}

export function mayUse(role, pageName) {
  const roles = pageName === 'dossier' ? dossierRoles : pages.find((page) => page.name === pageName)?.roles;
  return roles?.includes(role) ?? false;
}

function renderHeader(me, current) {
  const header = document.getElementById('app-header');
  const nav = el('nav', { 'aria-label': 'Trang' },
    el('ul', {}, pages.filter((page) => page.roles.includes(me.role)).map((page) =>
      el('li', {}, el('a', { href: page.href, 'aria-current': page.name === current ? 'page' : false }, page.title)))));
  const logout = el('button', { type: 'button', class: 'link-button', id: 'logout' }, 'Đăng xuất');
  logout.addEventListener('click', async () => {
    try {
      await apiPost('/api/logout');
    } finally {
      location.assign('login.html');
    }
  });
  header.replaceChildren(
    el('a', { class: 'brand', href: landingPage(me.role) }, 'Sohoa', el('span', {}, ' · Kho hồ sơ số')),
    nav,
    el('div', { class: 'who' },
      el('span', { class: 'user', id: 'current-user' }, me.user),
      el('span', { class: 'role', id: 'current-role' }, roleNames[me.role] ?? me.role),
      logout));
}

// The plain refusal shown instead of a page's content.
export function showForbidden(me) {
  const main = document.querySelector('main');
  const back = me ? el('p', {}, el('a', { href: landingPage(me.role) }, 'Về trang của bạn')) : null;
  main.replaceChildren(el('section', { class: 'forbidden', id: 'forbidden', role: 'alert' },
    el('h1', {}, 'Không có quyền'),
    el('p', {}, me
      ? `Tài khoản ${me.user} (${roleNames[me.role] ?? me.role}) không có quyền xem trang này.`
      : 'Tài khoản của bạn không có quyền xem trang này.'),
    back));
  document.title = 'Không có quyền · Sohoa';
}

// Loads the user (or goes to the login page), draws the header, and returns the user if their
// role may use `pageName`; otherwise shows the refusal and returns null.
export async function startPage(pageName) {
  const me = await apiGet('/api/me');
  setCsrfToken(me.csrf);
  renderHeader(me, pageName);
  if (!mayUse(me.role, pageName)) {
    showForbidden(me);
    return null;
  }
  return me;
}

// What a page does with an API error: 403 -> the refusal, anything else -> a message in `container`.
export function reportError(error, me, container) {
  if (error instanceof ApiError && error.status === 403) {
    showForbidden(me);
    return;
  }
  const text = error instanceof ApiError
    ? `Máy chủ trả lời lỗi ${error.status}: ${error.message}`
    : `Không kết nối được máy chủ (${error.message}).`;
  container.replaceChildren(el('p', { class: 'message message-error', role: 'alert' }, text));
}

export { loginUrl };
