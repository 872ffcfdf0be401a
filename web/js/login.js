// The login form: POST /api/login, then the page the user came from (if their role may use it)
// or their role's own page. Wrong name/password (401) and throttling (429) are said plainly.

import { ApiError, apiPost } from './api.js';
import { landingPage, mayUse } from './session.js';

const form = document.getElementById('login-form');
const errorBox = document.getElementById('login-error');
const submit = document.getElementById('login-submit');

// Only a page of this app, never another site: "search.html?q=x" or "/dossier.html?code=…".
function nextPage(role) {
  const next = new URLSearchParams(location.search).get('next') ?? '';
  const match = /^\/?([a-z]+)\.html(\?[^#]*)?$/.exec(next);
  if (!match || !mayUse(role, match[1])) {
    return landingPage(role);
  }
  return `${match[1]}.html${match[2] ?? ''}`;
}

function minutesText(retryAfter) {
  const seconds = Number.parseInt(retryAfter ?? '', 10);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    return 'khoảng 15 phút';
  }
  return `${Math.max(1, Math.ceil(seconds / 60))} phút`;
}

function showError(text) {
  errorBox.textContent = text;
  errorBox.classList.add('shown');
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const user = form.user.value.trim();
  const password = form.password.value;
  if (!user || !password) {
    showError('Hãy nhập tên đăng nhập và mật khẩu.');
    return;
  }
  submit.disabled = true;
  try {
    const me = await apiPost('/api/login', { user, password });
    location.assign(nextPage(me.role));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      showError('Sai tên đăng nhập hoặc mật khẩu (hoặc tài khoản đã bị khóa).');
      form.password.value = '';
      form.password.focus();
    } else if (error instanceof ApiError && error.status === 429) {
      showError(`Đăng nhập sai quá nhiều lần. Tạm khóa đăng nhập, hãy thử lại sau ${minutesText(error.retryAfter)}.`);
    } else if (error instanceof ApiError) {
      showError(`Không đăng nhập được: máy chủ trả lời lỗi ${error.status}.`);
    } else {
      showError('Không kết nối được máy chủ. Hãy thử lại.');
    }
  } finally {
    submit.disabled = false;
  }
});
