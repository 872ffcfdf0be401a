// Charts drawn as inline SVG (no library): horizontal bars of a rate with the target drawn as a
// mark, and a line of a rate over months. Every chart has a title and a text description for
// screen readers; the tables beside the charts hold the same numbers.

import { svg } from './dom.js';
import { formatNumber, formatPercent } from './format.js';

let chartCount = 0;

function shorten(text, length) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

// A label on at most two lines of `length` characters, broken between words.
function labelLines(text, length) {
  if (text.length <= length) {
    return [text];
  }
  const cut = text.lastIndexOf(' ', length);
  const at = cut > 0 ? cut : length;
  return [text.slice(0, at), shorten(text.slice(at).trim(), length)];
}

function frame(width, height, title, description, className) {
  chartCount += 1;
  const titleId = `chart-title-${chartCount}`;
  const descriptionId = `chart-desc-${chartCount}`;
  return svg('svg', {
    class: `chart ${className}`, viewBox: `0 0 ${width} ${height}`, width, height, role: 'img',
    'aria-labelledby': `${titleId} ${descriptionId}`,
  }, svg('title', { id: titleId }, title), svg('desc', { id: descriptionId }, description));
}

// A bar's label, right-aligned at `x`, centred on `middle`: one line, or two for a long one.
function barLabel(label, x, middle) {
  const lines = labelLines(label, 32);
  const first = middle + 4 - (lines.length - 1) * 7;
  return svg('text', { class: 'bar-label', x, y: first, 'text-anchor': 'end' }, svg('title', {}, label),
    lines.map((line, index) => svg('tspan', { x, dy: index === 0 ? 0 : 14 }, line)));
}

// rows: [{label, rate, target}] with rate and target in percent (target null = none set).
export function rateBars(rows, title) {
  const labelWidth = 240;
  const barWidth = 280;
  const rowHeight = 34;
  const top = 24;
  const width = labelWidth + barWidth + 64;
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
      barLabel(row.label, labelWidth - 10, y + rowHeight / 2),
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

// rows: [{label, count}], largest first: bars scaled to the largest count.
export function countBars(rows, title) {
  const labelWidth = 240;
  const barWidth = 260;
  const rowHeight = 34;
  const width = labelWidth + barWidth + 60;
  const height = rows.length * rowHeight + 8;
  const max = Math.max(1, ...rows.map((row) => row.count));
  const description = rows.map((row) => `${row.label}: ${formatNumber(row.count)}`).join('; ');
  const chart = frame(width, height, title, description, 'bar-chart count-chart');
  rows.forEach((row, index) => {
    const y = 4 + index * rowHeight;
    const length = (row.count / max) * barWidth;
    chart.append(
      barLabel(row.label, labelWidth - 10, y + rowHeight / 2),
      svg('rect', { class: 'bar bar-behind', x: labelWidth, y: y + 7, width: length, height: rowHeight - 14, 'data-count': row.count }),
      svg('text', { class: 'bar-value', x: labelWidth + length + 8, y: y + rowHeight / 2 + 4 }, formatNumber(row.count)));
  });
  return chart;
}

// points: [{label, rate, target}] in order (months); the targets, if any, as a dashed line.
export function rateLine(points, title) {
  const left = 44;
  const plotWidth = 460;
  const plotHeight = 180;
  const top = 16;
  const width = left + plotWidth + 40;
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
  if (points.length > 1 && points.some((point) => point.target !== null && point.target !== undefined)) {
    chart.append(svg('polyline', {
      class: 'target-line',
      points: points.map((point, index) => `${x(index)},${y(point.target ?? 0)}`).join(' '),
    }, svg('title', {}, 'Chỉ tiêu')));
  }
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
