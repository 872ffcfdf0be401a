// Batches page (operators): the recent batches from /api/batches, their failures added up by
// reason (as bars), and the pages to rescan with the reason to give the scanning station.

import { apiGet } from './api.js';
import { el, svg, showMessage } from './dom.js';
import { formatDate, formatNumber, reasonName } from './format.js';
import { reportError, startPage } from './session.js';

function batchTable(batches) {
  const headers = ['Lô', 'Bắt đầu', 'Kết thúc', 'Người vận hành', 'Hồ sơ', 'Trang', 'Trang lỗi', 'Trang cần xem lại'];
  return el('table', { class: 'report-table', id: 'batch-list' },
    el('thead', {}, el('tr', {}, headers.map((name, index) => el('th', { scope: 'col', class: index >= 4 ? 'num' : null }, name)))),
    el('tbody', {}, batches.map((batch) => el('tr', { 'data-batch': batch.id, class: batch.failed > 0 ? 'has-failures' : null },
      el('th', { scope: 'row' }, batch.id),
      el('td', {}, formatDate(batch.started_at)),
      el('td', {}, batch.finished_at ? formatDate(batch.finished_at) : 'đang chạy'),
      el('td', {}, batch.operator || '–'),
      el('td', { class: 'num' }, formatNumber(batch.dossiers)),
      el('td', { class: 'num' }, formatNumber(batch.pages)),
      el('td', { class: 'num' }, formatNumber(batch.failed)),
      el('td', { class: 'num' }, formatNumber(batch.flagged))))));
}

function failureBars(counts) {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) {
    return el('p', { class: 'muted', id: 'no-failures' }, 'Không có trang lỗi trong các lô này.');
  }
  const max = Math.max(...entries.map(([, count]) => count));
  const labelWidth = 260;
  const barWidth = 300;
  const rowHeight = 30;
  const chart = svg('svg', {
    class: 'chart bar-chart', viewBox: `0 0 ${labelWidth + barWidth + 60} ${entries.length * rowHeight + 8}`,
    role: 'img', 'aria-label': entries.map(([reason, count]) => `${reasonName(reason)}: ${formatNumber(count)}`).join('; '),
  });
  entries.forEach(([reason, count], index) => {
    const y = 4 + index * rowHeight;
    const width = (count / max) * barWidth;
    chart.append(
      svg('text', { class: 'bar-label', x: labelWidth - 10, y: y + rowHeight / 2 + 4, 'text-anchor': 'end' }, reasonName(reason)),
      svg('rect', { class: 'bar bar-behind', x: labelWidth, y: y + 6, width, height: rowHeight - 12 }),
      svg('text', { class: 'bar-value', x: labelWidth + width + 8, y: y + rowHeight / 2 + 4 }, formatNumber(count)));
  });
  return chart;
}

function rescanTable(batches) {
  const rows = batches.flatMap((batch) => (batch.rescan ?? []).map((page) => ({ ...page, batch: batch.id })));
  if (rows.length === 0) {
    return el('p', { class: 'muted' }, 'Không có trang nào cần quét lại.');
  }
  return el('table', { class: 'report-table', id: 'rescan-list' },
    el('thead', {}, el('tr', {}, ['Hồ sơ', 'Trang', 'Lý do', 'Lô'].map((name) => el('th', { scope: 'col' }, name)))),
    el('tbody', {}, rows.map((row) => el('tr', {},
      el('td', { class: 'code' }, row.dossier),
      el('td', { class: 'num' }, formatNumber(row.page)),
      el('td', {}, reasonName(row.reason)),
      el('td', {}, row.batch)))));
}

async function main() {
  const me = await startPage('batches');
  if (!me) {
    return;
  }
  const status = document.getElementById('batches-status');
  showMessage(status, 'Đang tải…');
  try {
    const { batches } = await apiGet('/api/batches?limit=20');
    if (batches.length === 0) {
      showMessage(status, 'Chưa có lô số hóa nào.');
      return;
    }
    const failures = {};
    for (const batch of batches) {
      for (const [reason, count] of Object.entries(batch.failures_by_reason ?? {})) {
        failures[reason] = (failures[reason] ?? 0) + count;
      }
    }
    document.getElementById('batch-table').replaceChildren(batchTable(batches));
    document.getElementById('failures').replaceChildren(failureBars(failures));
    document.getElementById('rescan').replaceChildren(rescanTable(batches));
    status.replaceChildren();
    document.getElementById('batches-content').hidden = false;
  } catch (error) {
    reportError(error, me, status);
  }
}

main();
