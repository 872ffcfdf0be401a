// Batches page (operators): the recent batches from /api/batches, their failures added up by
// reason (as bars), and the pages to rescan with the reason to give the scanning station.

import { apiGet } from './api.js';
import { countBars } from './chart.js';
import { el, showMessage } from './dom.js';
import { formatDate, formatNumber, reasonName, rescanReasonText } from './format.js';
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

function failureChart(counts) {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1])
    .map(([reason, count]) => ({ label: reasonName(reason), count }));
  if (rows.length === 0) {
    return el('p', { class: 'muted', id: 'no-failures' }, 'Không có trang lỗi trong các lô này.');
  }
  return countBars(rows, 'Số trang lỗi theo nguyên nhân');
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
      el('td', {}, rescanReasonText(row.reason)),
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
    document.getElementById('failures').replaceChildren(failureChart(failures));
    document.getElementById('rescan').replaceChildren(rescanTable(batches));
    status.replaceChildren();
    document.getElementById('batches-content').hidden = false;
  } catch (error) {
    reportError(error, me, status);
  }
}

main();
