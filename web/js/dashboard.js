// Dashboard (dashboard.html?period=2026-Q2): /api/report for the period by level, by unit and by
// month — the numbers of `sohoa report --format json` — as bar charts against the targets, a
// monthly trend line, and tables of received / digitized / rate / target / gap.

import { apiGet, query } from './api.js';
import { rateBars, rateLine } from './chart.js';
import { el, showMessage } from './dom.js';
import { formatMonth, formatNumber, formatPercent, levelNames } from './format.js';
import { reportError, startPage } from './session.js';

const form = document.getElementById('period-form');
const status = document.getElementById('dashboard-status');

// "2026" | "2026-Q2" | "2026-05" | "all" -> Vietnamese.
function periodName(period) {
  if (period === 'all') {
    return 'Toàn bộ thời gian';
  }
  const quarter = /^(\d{4})-Q([1-4])$/.exec(period);
  if (quarter) {
    return `Quý ${quarter[2]}/${quarter[1]}`;
  }
  if (/^\d{4}-\d{2}$/.test(period)) {
    return `Tháng ${formatMonth(period)}`;
  }
  return /^\d{4}$/.test(period) ? `Năm ${period}` : period;
}

// Years, quarters and months from the first to the last date the archive knows, newest first.
function periodOptions(first, last) {
  const firstYear = Number(first.slice(0, 4));
  const lastYear = Number(last.slice(0, 4));
  const firstMonth = firstYear * 12 + Number(first.slice(5, 7)) - 1;
  const lastMonth = lastYear * 12 + Number(last.slice(5, 7)) - 1;
  const years = [];
  const quarters = [];
  const months = [];
  for (let month = lastMonth; month >= firstMonth; month -= 1) {
    const year = Math.floor(month / 12);
    const text = `${year}-${String((month % 12) + 1).padStart(2, '0')}`;
    months.push(text);
    const quarter = `${year}-Q${Math.floor((month % 12) / 3) + 1}`;
    if (!quarters.includes(quarter)) {
      quarters.push(quarter);
    }
    if (!years.includes(String(year))) {
      years.push(String(year));
    }
  }
  return { years, quarters, months };
}

function fillPeriods(facets, selected) {
  const select = form.period;
  const option = (value) => el('option', { value, selected: value === selected }, periodName(value));
  select.replaceChildren(option('all'));
  const first = facets.periods?.first;
  const last = facets.periods?.last;
  if (first && last) {
    const { years, quarters, months } = periodOptions(first, last);
    select.append(
      el('optgroup', { label: 'Năm' }, years.map(option)),
      el('optgroup', { label: 'Quý' }, quarters.map(option)),
      el('optgroup', { label: 'Tháng' }, months.map(option)));
  }
  if (![...select.options].some((candidate) => candidate.value === selected)) {
    select.append(option(selected));
    select.value = selected;
  }
}

function rowLabel(by, row) {
  if (by === 'level') {
    return levelNames[row.key] ?? row.key;
  }
  if (by === 'month') {
    return formatMonth(row.key);
  }
  return row.name || row.key || '(chưa rõ)';
}

function reportTable(by, report, caption) {
  const firstHeader = { level: 'Cấp', unit: 'Bộ phận tiếp nhận', month: 'Tháng' }[by];
  const cells = (row) => [
    el('td', { class: 'num', 'data-field': 'received' }, formatNumber(row.received)),
    el('td', { class: 'num', 'data-field': 'digitized' }, formatNumber(row.digitized)),
    el('td', { class: 'num', 'data-field': 'rate' }, formatPercent(row.rate_percent)),
    el('td', { class: 'num', 'data-field': 'target' }, formatPercent(row.target_percent)),
    el('td', { class: 'num', 'data-field': 'gap' }, formatNumber(row.gap)),
  ];
  return el('table', { class: 'report-table', 'data-by': by },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, firstHeader),
      ['Tiếp nhận', 'Đã số hóa', 'Tỷ lệ', 'Chỉ tiêu', 'Còn thiếu'].map((name) => el('th', { scope: 'col', class: 'num' }, name)))),
    el('tbody', {}, report.rows.map((row) => el('tr', { 'data-key': row.key },
      el('th', { scope: 'row' }, rowLabel(by, row)), cells(row)))),
    el('tfoot', {}, el('tr', { 'data-key': 'total' }, el('th', { scope: 'row' }, 'Tổng cộng'), cells(report.total))));
}

function renderSection(id, by, report, period) {
  const section = document.getElementById(id);
  const heading = section.querySelector('h2').textContent;
  const chartBox = section.querySelector('.chart-box');
  const title = `${heading}: tỷ lệ số hóa, ${periodName(period).toLowerCase()}`;
  if (report.rows.length === 0) {
    chartBox.replaceChildren(el('p', { class: 'muted' }, 'Không có hồ sơ tiếp nhận trong kỳ này.'));
  } else if (by === 'month') {
    chartBox.replaceChildren(rateLine(report.rows.map((row) => ({
      label: formatMonth(row.key), rate: row.rate_percent, target: row.target_percent,
    })), title));
  } else {
    chartBox.replaceChildren(rateBars(report.rows.map((row) => ({
      label: rowLabel(by, row), rate: row.rate_percent, target: row.target_percent,
    })), title));
  }
  section.querySelector('.table-box').replaceChildren(reportTable(by, report, `${heading} — ${periodName(period)}`));
}

function renderTotals(total) {
  document.getElementById('total-received').textContent = formatNumber(total.received);
  document.getElementById('total-digitized').textContent = formatNumber(total.digitized);
  document.getElementById('total-rate').textContent = formatPercent(total.rate_percent);
  document.getElementById('total-gap').textContent = formatNumber(total.gap);
}

async function main() {
  const me = await startPage('dashboard');
  if (!me) {
    return;
  }
  showMessage(status, 'Đang tải số liệu…');
  try {
    const facets = await apiGet('/api/facets');
    const requested = new URLSearchParams(location.search).get('period');
    const period = requested || (facets.periods?.last ? facets.periods.last.slice(0, 4) : 'all');
    fillPeriods(facets, period);
    form.period.addEventListener('change', () => form.requestSubmit());
    const [byLevel, byUnit, byMonth] = await Promise.all(['level', 'unit', 'month'].map((by) =>
      apiGet(`/api/report${query({ period, by })}`)));
    renderTotals(byLevel.total);
    renderSection('by-level', 'level', byLevel, period);
    renderSection('by-unit', 'unit', byUnit, period);
    renderSection('by-month', 'month', byMonth, period);
    const unregistered = byLevel.total.unregistered ?? 0;
    document.getElementById('unregistered-note').textContent = unregistered > 0
      ? `${formatNumber(unregistered)} hồ sơ đã số hóa trong kỳ không có trong sổ tiếp nhận (không tính vào tỷ lệ).`
      : '';
    status.replaceChildren();
    document.getElementById('dashboard').hidden = false;
  } catch (error) {
    reportError(error, me, status);
  }
}

main();
