// Charts drawn as inline SVG (no library): horizontal bars of a rate with the target drawn as a
// mark, and a line of a rate over months. Every chart has a title and a text description for
// screen readers; the tables beside the charts hold the same numbers.

import { svg } from './dom.js';
import { formatPercent } from './format.js';

let chartCount = 0;

function shorten(text, length) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

function frame(width, height, title, description, className) {
  chartCount += 1;
  const titleId = `chart-title-${chartCount}`;
  const descriptionId = `chart-desc-${chartCount}`;
  return svg('svg', {
    class: `chart ${className}`, viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-labelledby': `${titleId} ${descriptionId}`,
  }, svg('title', { id: titleId }, title), svg('desc', { id: descriptionId }, description));
}

// rows: [{label, rate, target}] with rate and target in percent (target null = none set).
export function rateBars(rows, title) {
  const labelWidth = 250;
  const barWidth = 380;
  const rowHeight = 34;
  const top = 24;
  const width = labelWidth + barWidth + 70;
  const height = top + rows.length * rowHeight + 8;
  const x = (percent) => labelWidth + (Math.min(100, Math.max(0, percent)) / 100) * barWidth;
  const description = rows.map((row) => `${row.label}: ${formatPercent(row.rate)}` +
    (row.target === null ? '' : `, chỉ tiêu ${formatPercent(row.target)}`)).join('; ');
  const chart = frame(width, height, title, description, 'bar-chart');
  for (const percent of [0, 25, 50, 75, 100]) {
    chart.append(
      svg('line', { class: 'grid', x1: x(percent), x2: x(percent), y1: top - 4, y2: height - 4 }),
      svg('text', { class: 'axis-label', x: x(percent), y: top - 10, 'text-anchor': 'middle' }, `${percent} %`));
  }
  rows.forEach((row, index) => {
    const y = top + index * rowHeight;
    const behind = row.target !== null && row.rate < row.target;
    chart.append(
      svg('text', { class: 'bar-label', x: labelWidth - 10, y: y + rowHeight / 2 + 4, 'text-anchor': 'end' },
        svg('title', {}, row.label), shorten(row.label, 34)),
      svg('rect', { class: 'track', x: x(0), y: y + 7, width: barWidth, height: rowHeight - 14 }),
      svg('rect', {
        class: `bar ${behind ? 'bar-behind' : 'bar-ok'}`, x: x(0), y: y + 7,
        width: Math.max(0, x(row.rate) - x(0)), height: rowHeight - 14, 'data-rate': row.rate,
      }),
      svg('text', { class: 'bar-value', x: x(Math.max(row.rate, row.target ?? 0)) + 8, y: y + rowHeight / 2 + 4 },
        formatPercent(row.rate)));
    if (row.target !== null) {
      chart.append(svg('line', {
        class: 'target-mark', x1: x(row.target), x2: x(row.target), y1: y + 2, y2: y + rowHeight - 2,
        'data-target': row.target,
      }, svg('title', {}, `Chỉ tiêu ${formatPercent(row.target)}`)));
    }
  });
  return chart;
}

// points: [{label, rate}] in order (months).
export function rateLine(points, title) {
  const left = 48;
  const plotWidth = 620;
  const plotHeight = 200;
  const top = 16;
  const width = left + plotWidth + 24;
  const height = top + plotHeight + 44;
  const step = points.length > 1 ? plotWidth / (points.length - 1) : 0;
  const x = (index) => left + (points.length > 1 ? index * step : plotWidth / 2);
  const y = (percent) => top + plotHeight - (Math.min(100, Math.max(0, percent)) / 100) * plotHeight;
  const description = points.map((point) => `${point.label}: ${formatPercent(point.rate)}`).join('; ');
  const chart = frame(width, height, title, description, 'line-chart');
  for (const percent of [0, 25, 50, 75, 100]) {
    chart.append(
      svg('line', { class: 'grid', x1: left, x2: left + plotWidth, y1: y(percent), y2: y(percent) }),
      svg('text', { class: 'axis-label', x: left - 8, y: y(percent) + 4, 'text-anchor': 'end' }, `${percent} %`));
  }
  const labelEvery = Math.max(1, Math.ceil(points.length / 12));
  points.forEach((point, index) => {
    if (index % labelEvery === 0 || index === points.length - 1) {
      chart.append(svg('text', { class: 'axis-label', x: x(index), y: top + plotHeight + 20, 'text-anchor': 'middle' }, point.label));
    }
  });
  if (points.length > 1) {
    chart.append(svg('polyline', {
      class: 'trend', points: points.map((point, index) => `${x(index)},${y(point.rate)}`).join(' '),
    }));
  }
  points.forEach((point, index) => {
    chart.append(svg('circle', { class: 'trend-point', cx: x(index), cy: y(point.rate), r: 4, 'data-rate': point.rate },
      svg('title', {}, `${point.label}: ${formatPercent(point.rate)}`)));
  });
  return chart;
}
