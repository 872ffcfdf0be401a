// Search page: the form is a plain GET form, so the URL holds the query, the filters and the
// offset (back, reload and links work); this script fills the filters from /api/facets and
// shows /api/search's hits, one per dossier, with the snippet's «matches» highlighted.

import { ApiError, apiGet, query } from './api.js';
import { el, markedText, replaceChildren, showMessage } from './dom.js';
import { formatDate, formatNumber, levelNames, parseDate } from './format.js';
import { reportError, startPage } from './session.js';

const pageSize = 10;
const filterNames = ['level', 'unit', 'agency', 'procedure', 'from', 'to', 'exact'];
const form = document.getElementById('search-form');
const results = document.getElementById('results');
const params = new URLSearchParams(location.search);

function fillSelect(select, options, selected) {
  for (const { value, label } of options) {
    select.append(el('option', { value, selected: value === selected }, label));
  }
}

function fillFacets(facets) {
  fillSelect(form.level, facets.levels.map((level) => ({ value: level, label: levelNames[level] ?? level })), params.get('level'));
  fillSelect(form.unit, facets.units.map((unit) => ({ value: unit, label: unit })), params.get('unit'));
  fillSelect(form.agency, facets.agencies.map((agency) => ({ value: agency, label: agency })), params.get('agency'));
  fillSelect(form.procedure, facets.procedures.map((procedure) => ({
    value: procedure.code,
    label: procedure.name ? `${procedure.name} (${procedure.code})` : procedure.code,
  })), params.get('procedure'));
  if (facets.periods?.first && facets.periods?.last) {
    form.from.title = `Hồ sơ tiếp nhận từ ${formatDate(facets.periods.first)} đến ${formatDate(facets.periods.last)}`;
    form.to.title = form.from.title;
  }
}

function dossierLink(code, q, page) {
  return `dossier.html${query({ code, q, page })}`;
}

function renderHit(hit, q) {
  const pages = hit.pages?.length ? hit.pages : [hit.page];
  return el('li', { class: 'hit' },
    el('h2', {},
      el('a', { href: dossierLink(hit.dossier, q, hit.page), class: 'hit-code' }, hit.dossier),
      el('span', { class: 'hit-title' }, hit.title || 'Không có tiêu đề')),
    el('p', { class: 'snippet' }, markedText(hit.snippet ?? '')),
    el('p', { class: 'hit-pages' },
      pages.length > 1 ? 'Các trang có kết quả: ' : 'Trang có kết quả: ',
      pages.map((page, index) => [index > 0 ? ', ' : '',
        el('a', { href: dossierLink(hit.dossier, q, page), 'aria-label': `Trang ${page} của hồ sơ ${hit.dossier}` }, `trang ${page}`)])));
}

function pager(total, offset, shown) {
  const link = (newOffset, text, rel) => {
    const next = new URLSearchParams(params);
    next.set('offset', String(newOffset));
    return el('a', { href: `search.html?${next}`, rel, class: 'pager-link' }, text);
  };
  const nav = el('nav', { class: 'pager', 'aria-label': 'Chuyển trang kết quả' });
  if (offset > 0) {
    nav.append(link(Math.max(0, offset - pageSize), '← Trang trước', 'prev'));
  }
  const pageNumber = Math.floor(offset / pageSize) + 1;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  nav.append(el('span', {}, `Trang ${formatNumber(pageNumber)}/${formatNumber(pageCount)}`));
  if (offset + shown < total) {
    nav.append(link(offset + pageSize, 'Trang sau →', 'next'));
  }
  return nav;
}

function renderResults(result, q, offset) {
  if (result.total === 0) {
    showMessage(results, `Không có hồ sơ nào khớp với “${q}”.`);
    return;
  }
  const shown = result.hits.length;
  const summary = el('p', { class: 'result-count', id: 'result-count' },
    `${result.total_is_estimate ? 'Khoảng ' : ''}${formatNumber(result.total)} hồ sơ khớp với “${q}”`,
    result.total > shown ? ` — hiển thị ${formatNumber(offset + 1)}–${formatNumber(offset + shown)}` : '');
  replaceChildren(results, summary,
    el('ol', { class: 'hits', start: offset + 1 }, result.hits.map((hit) => renderHit(hit, q))),
    result.total > pageSize ? pager(result.total, offset, shown) : null);
}

async function main() {
  const me = await startPage('search');
  if (!me) {
    return;
  }
  const q = (params.get('q') ?? '').trim();
  form.q.value = q;
  for (const name of ['from', 'to']) {
    form[name].value = params.get(name) ?? '';
  }
  form.exact.checked = params.get('exact') === '1';
  try {
    fillFacets(await apiGet('/api/facets'));
  } catch (error) {
    reportError(error, me, results);
    return;
  }
  if (!q) {
    form.q.focus();
    return;
  }
  const offset = Math.max(0, Number.parseInt(params.get('offset') ?? '0', 10) || 0);
  const filters = Object.fromEntries(filterNames.map((name) => [name, params.get(name) ?? '']));
  for (const name of ['from', 'to']) {
    filters[name] = parseDate(filters[name]);
    if (filters[name] === null) {
      showMessage(results, `Ngày “${params.get(name)}” không hợp lệ: hãy nhập ngày/tháng/năm, ví dụ 02/03/2026.`, 'error');
      form[name].focus();
      return;
    }
  }
  showMessage(results, 'Đang tìm…');
  try {
    const result = await apiGet(`/api/search${query({ q, ...filters, offset, limit: pageSize })}`);
    renderResults(result, q, offset);
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) {
      showMessage(results, `Không tìm được với câu này: ${error.message}`, 'error');
    } else {
      reportError(error, me, results);
    }
  }
}

main();
