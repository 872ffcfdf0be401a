// Dossier page (dossier.html?code=…&q=…&page=N): metadata, fixity, PDF download, page
// thumbnails, and the chosen page's image beside its OCR text. The words of `q` are boxed on the
// image (from the PDF's text layer, /words) and marked in the text, matched as search matches them.

import { apiGet, query } from './api.js';
import { el, replaceChildren, svg, showMessage } from './dom.js';
import { queryTerms, matchesTerms, splitMatches } from './fold.js';
import { flagsText, formatDate, formatNumber, levelNames } from './format.js';
import { reportError, startPage } from './session.js';

const params = new URLSearchParams(location.search);
const code = params.get('code') ?? '';
const status = document.getElementById('dossier-status');
const article = document.getElementById('dossier');
const image = document.getElementById('page-image');
const boxes = document.getElementById('word-boxes');
const textPane = document.getElementById('page-text');
const highlightInput = document.getElementById('highlight');
const highlightCount = document.getElementById('highlight-count');

let me = null;
let dossier = null;
let current = { seq: 0, words: [], text: '' };
let terms = queryTerms(params.get('q'));

const base = () => `/api/dossiers/${encodeURIComponent(code)}`;

const extraNames = { so_bien_nhan: 'Số biên nhận' };
const fixityText = {
  ok: 'Toàn vẹn: tệp PDF khớp mã SHA-256 đã lưu',
  mismatch: 'Sai lệch: tệp PDF không khớp mã SHA-256 đã lưu',
  missing: 'Thiếu tệp PDF trong kho',
};

function renderMetadata() {
  const rows = [
    ['Mã hồ sơ', dossier.dossier],
    ['Thủ tục', [dossier.procedure_name, dossier.procedure_code && `(${dossier.procedure_code})`].filter(Boolean).join(' ')],
    ['Cơ quan giải quyết', dossier.agency],
    ['Bộ phận tiếp nhận', dossier.unit],
    ['Cấp', levelNames[dossier.level] ?? dossier.level],
    ['Ngày tiếp nhận', formatDate(dossier.received_date)],
    ['Người nộp', dossier.applicant],
    ...Object.entries(dossier.extra ?? {}).map(([key, value]) => [extraNames[key] ?? key, value]),
    ['Số trang', formatNumber(dossier.page_count)],
    ['Ngày số hóa', formatDate(dossier.digitized_at)],
    ['Lô số hóa', dossier.batch],
    ['Dung lượng PDF', dossier.bytes ? `${formatNumber(dossier.bytes)} byte` : ''],
    ['SHA-256', dossier.sha256],
  ];
  document.getElementById('metadata').replaceChildren(...rows.filter(([, value]) => value)
    .flatMap(([name, value]) => [el('dt', {}, name), el('dd', { class: name === 'SHA-256' ? 'hash' : null }, value)]));
}

function renderFixity() {
  const fixity = dossier.fixity ?? {};
  const node = document.getElementById('fixity');
  node.className = `fixity fixity-${fixity.status ?? 'unknown'}`;
  replaceChildren(node,
    el('span', { class: 'fixity-status' }, fixityText[fixity.status] ?? 'Chưa kiểm tra toàn vẹn'),
    fixity.checked_at ? el('span', { class: 'fixity-time' }, ` · kiểm tra lúc ${formatDate(fixity.checked_at)}`) : null);
}

function renderThumbnails() {
  const list = document.getElementById('thumbnails');
  list.replaceChildren(...dossier.pages.map((page) => {
    const button = el('button', { type: 'button', class: 'thumb', 'data-seq': page.page, 'aria-label': `Xem trang ${page.page}` },
      el('img', { src: `${base()}/pages/${page.page}/image?width=160`, alt: '', width: 120 }),
      el('span', {}, `Trang ${page.page}`));
    button.addEventListener('click', () => showPage(page.page));
    return el('li', {}, button);
  }));
}

function drawBoxes() {
  const hits = current.words.filter((word) => terms.length > 0 && matchesTerms(word.text, terms));
  boxes.replaceChildren(...hits.map(({ text, box: [x0, y0, x1, y1] }) =>
    svg('rect', { class: 'hit-box', x: x0, y: y0, width: x1 - x0, height: y1 - y0, 'data-word': text },
      svg('title', {}, text))));
  textPane.replaceChildren(...(current.text
    ? splitMatches(current.text, terms).map((run) => (run.match ? el('mark', {}, run.text) : run.text))
    : [el('p', { class: 'muted' }, 'Trang này không có văn bản nhận dạng.')]));
  if (terms.length === 0) {
    highlightCount.textContent = '';
  } else {
    highlightCount.textContent = hits.length > 0
      ? `${formatNumber(hits.length)} từ được tô sáng trên trang này`
      : 'Không có từ cần tô sáng trên trang này';
  }
}

async function showPage(seq) {
  const page = dossier.pages.find((candidate) => candidate.page === seq) ?? dossier.pages[0];
  if (!page) {
    return;
  }
  current = { seq: page.page, words: [], text: '' };
  for (const thumb of document.querySelectorAll('.thumb')) {
    const selected = Number(thumb.dataset.seq) === page.page;
    thumb.classList.toggle('selected', selected);
    thumb.setAttribute('aria-current', selected ? 'true' : 'false');
  }
  document.getElementById('page-heading').textContent = `Trang ${page.page}/${dossier.pages.length}`;
  const caption = [`Độ tin cậy OCR ${formatNumber(Math.round(page.confidence ?? 0))} %`];
  if (page.flags) {
    caption.push(`cần lưu ý: ${flagsText(page.flags)}`);
  }
  document.getElementById('page-caption').textContent = caption.join(' · ');
  image.alt = `Ảnh trang ${page.page} của hồ sơ ${dossier.dossier}`;
  image.src = `${base()}/pages/${page.page}/image?width=1000`;
  boxes.replaceChildren();
  const next = new URLSearchParams(location.search);
  next.set('page', String(page.page));
  history.replaceState(null, '', `dossier.html?${next}`);
  try {
    const [words, text] = await Promise.all([
      apiGet(`${base()}/pages/${page.page}/words`),
      apiGet(`${base()}/pages/${page.page}/text`),
    ]);
    if (current.seq !== page.page) {
      return;
    }
    current = { seq: page.page, words: words.words ?? [], text: text.text ?? '' };
    drawBoxes();
  } catch (error) {
    reportError(error, me, textPane);
  }
}

function step(delta) {
  const index = dossier.pages.findIndex((page) => page.page === current.seq);
  const next = dossier.pages[index + delta];
  if (next) {
    showPage(next.page);
    document.querySelector(`.thumb[data-seq="${next.page}"]`)?.focus();
  }
}

async function main() {
  me = await startPage('dossier');
  if (!me) {
    return;
  }
  if (!code) {
    showMessage(status, 'Chưa chọn hồ sơ: hãy mở hồ sơ từ trang tra cứu.', 'error');
    return;
  }
  showMessage(status, 'Đang tải hồ sơ…');
  try {
    dossier = await apiGet(base());
  } catch (error) {
    if (error.status === 404) {
      showMessage(status, `Không có hồ sơ ${code} trong kho.`, 'error');
    } else {
      reportError(error, me, status);
    }
    return;
  }
  status.replaceChildren();
  document.title = `${dossier.dossier} · Sohoa`;
  document.getElementById('dossier-code').textContent = dossier.dossier;
  document.getElementById('dossier-title').textContent = dossier.title || 'Không có tiêu đề';
  const pdf = document.getElementById('pdf-link');
  pdf.href = `${base()}/pdf`;
  pdf.setAttribute('download', `${dossier.dossier}.pdf`);
  pdf.textContent = dossier.bytes ? `Tải PDF (${formatNumber(Math.round(dossier.bytes / 1024))} KB)` : 'Tải PDF';
  if (params.get('q')) {
    document.getElementById('back-to-search').href = `search.html${query({ q: params.get('q') })}`;
  }
  highlightInput.value = params.get('q') ?? '';
  renderMetadata();
  renderFixity();
  renderThumbnails();
  article.hidden = false;
  await showPage(Number(params.get('page')) || dossier.pages[0]?.page);
}

document.getElementById('highlight-form').addEventListener('submit', (event) => event.preventDefault());
highlightInput.addEventListener('input', () => {
  terms = queryTerms(highlightInput.value);
  const next = new URLSearchParams(location.search);
  next.set('q', highlightInput.value);
  history.replaceState(null, '', `dossier.html?${next}`);
  drawBoxes();
});
document.addEventListener('keydown', (event) => {
  if (!dossier || event.target.closest?.('input, textarea, select')) {
    return;
  }
  if (event.key === 'ArrowRight' || event.key === 'PageDown') {
    step(1);
  } else if (event.key === 'ArrowLeft' || event.key === 'PageUp') {
    step(-1);
  }
});

main();
