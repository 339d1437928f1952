// Insights for admins: how long decisions take (per assignee, group or action) and how inquiries end over time, as
// inline SVG charts, the figures as a table, and a CSV download. Everything comes from GET /api/v1/insights.

import { api, ApiError, currentSession, query as queryString } from './api.js';
import { h } from './dom.js';
import { formatDuration } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';
const PERIODS = [['7', 'Last 7 days'], ['30', 'Last 30 days'], ['90', 'Last 90 days']];
const GROUPINGS = [['assignee', 'Assignee'], ['group', 'Group'], ['action_ref', 'Action']];
// Outcome colours, with a pattern-free legend: text labels and the table carry the same figures.
export const OUTCOMES = [
  ['answered', 'Answered', '#17804a'],
  ['timed_out', 'Timed out', '#c77700'],
  ['defaulted', 'Went on with defaults', '#8a63d2'],
  ['cancelled', 'Cancelled', '#b42318'],
  ['open', 'Still open', '#c5cad3'],
];

/** The period and grouping from the route's query (#/insights?days=30&group_by=assignee). */
export function insightFilters(query) {
  const days = PERIODS.some(([value]) => value === query.get('days')) ? query.get('days') : '30';
  const groupBy = GROUPINGS.some(([value]) => value === query.get('group_by')) ? query.get('group_by') : 'assignee';
  return { days, groupBy };
}

/** [from, to) of the last {days} whole UTC days, today included. */
export function period(days, now = new Date()) {
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  const from = new Date(to.getTime() - Number(days) * 86400000);
  return { from: from.toISOString().replace('.000Z', 'Z'), to: to.toISOString().replace('.000Z', 'Z') };
}

/** A row's inquiries by outcome; "open" is what has no outcome yet. */
export function outcomeCounts(row) {
  const decided = row.answered + row.timed_out + row.defaulted + row.cancelled;
  return { ...row, open: Math.max(0, row.inquiries - decided) };
}

export function renderInsights(container, { session, query, navigate }) {
  const filters = insightFilters(query);
  const title = 'Insights';
  if (!session.user.roles.includes('admin')) {
    container.append(h('div', { class: 'not-found' }, h('h1', { tabindex: '-1' }, 'Insights are for admins'),
      h('p', { class: 'muted' }, 'Ask an admin for the figures.')));
    return { title };
  }
  const { from, to } = period(filters.days);
  const problem = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
  const decisionChart = h('figure', { class: 'chart', id: 'decision-chart', 'aria-busy': 'true' });
  const outcomeChart = h('figure', { class: 'chart', id: 'outcome-chart', 'aria-busy': 'true' });
  const tiles = h('div', { class: 'tiles', id: 'insight-tiles' });
  const table = h('div', { class: 'table-wrap', id: 'insight-table' });
  const download = h('button', { type: 'button', class: 'button button-secondary', id: 'insights-csv' },
    'Download CSV');
  download.addEventListener('click', () => downloadCsv(filters, from, to, problem));

  const route = (changes) => {
    const next = { ...filters, ...changes };
    navigate(`#/insights?days=${next.days}&group_by=${next.groupBy}`);
  };
  container.append(
    h('div', { class: 'page-header' },
      h('div', {}, h('h1', { tabindex: '-1' }, title),
        h('p', { class: 'muted' }, 'How inquiries end and how long people take to decide, for the inquiries created in the period.')),
      download),
    h('div', { class: 'filters' },
      segmented('Period', 'days', PERIODS, filters.days, (days) => route({ days })),
      segmented('Group by', 'group-by', GROUPINGS, filters.groupBy, (groupBy) => route({ groupBy }))),
    problem, tiles,
    h('section', { class: 'panel', 'aria-labelledby': 'decision-heading' },
      h('h2', { id: 'decision-heading' }, `Time to decision by ${label(GROUPINGS, filters.groupBy).toLowerCase()}`),
      h('p', { class: 'muted small' }, 'Bar: median (p50). Thin line: 90th percentile. Answered inquiries only.'),
      decisionChart),
    h('section', { class: 'panel', 'aria-labelledby': 'outcome-heading' },
      h('h2', { id: 'outcome-heading' }, 'Outcome shares over time'),
      legend(), outcomeChart),
    h('section', { class: 'panel', 'aria-labelledby': 'table-heading' },
      h('h2', { id: 'table-heading' }, 'Figures'), table));

  const params = (groupBy) => queryString({ from, to, group_by: groupBy });
  Promise.all([api.get(`/api/v1/insights${params(filters.groupBy)}`), api.get(`/api/v1/insights${params('day')}`)])
    .then(([byKey, byDay]) => {
      const rows = byKey.data.map(outcomeCounts);
      const days = byDay.data.map(outcomeCounts);
      tiles.replaceChildren(...summaryTiles(days));
      decisionChart.replaceChildren(...decisionBars(rows, filters.groupBy));
      outcomeChart.replaceChildren(...outcomeColumns(days, from, filters.days));
      table.replaceChildren(figuresTable(rows, filters.groupBy));
    })
    .catch((error) => {
      problem.textContent = error instanceof ApiError ? error.message : 'The figures could not be loaded.';
      problem.hidden = false;
    })
    .finally(() => {
      decisionChart.removeAttribute('aria-busy');
      outcomeChart.removeAttribute('aria-busy');
    });
  return { title };
}

function label(options, value) {
  return options.find(([v]) => v === value)?.[1] ?? value;
}

function segmented(name, id, options, current, onChange) {
  return h('fieldset', {},
    h('legend', { class: 'visually-hidden' }, name),
    h('div', { class: 'segmented', role: 'radiogroup', 'aria-label': name },
      options.map(([value, text]) => h('span', { class: 'segment' },
        h('input', {
          type: 'radio', name: id, id: `${id}-${value}`, value, checked: value === current,
          onchange: () => onChange(value),
        }),
        h('label', { for: `${id}-${value}` }, text)))));
}

function legend() {
  return h('ul', { class: 'legend' }, OUTCOMES.map(([, text, colour]) => h('li', {},
    svg('svg', { width: 12, height: 12, 'aria-hidden': 'true' }, svg('rect', { width: 12, height: 12, rx: 2, fill: colour })),
    text)));
}

function keyName(key, groupBy) {
  if (key !== null && key !== undefined) return key;
  return groupBy === 'group' ? 'in no group' : groupBy === 'assignee' ? 'unassigned' : '—';
}

function seconds(value) {
  return value === null || value === undefined ? '—' : formatDuration(value * 1000);
}

function percent(part, whole) {
  return whole ? `${Math.round((100 * part) / whole)}%` : '—';
}

function summaryTiles(days) {
  const total = (field) => days.reduce((sum, row) => sum + row[field], 0);
  const inquiries = total('inquiries');
  const tile = (value, text, id) => h('div', { class: 'tile', id }, h('span', { class: 'tile-value' }, value),
    h('span', { class: 'tile-label' }, text));
  return [
    tile(String(inquiries), 'inquiries', 'tile-inquiries'),
    tile(percent(total('answered'), inquiries), 'answered', 'tile-answered'),
    tile(percent(total('timed_out') + total('defaulted'), inquiries), 'timed out', 'tile-timed-out'),
    tile(String(total('escalated')), 'escalated', 'tile-escalated'),
  ];
}

function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined) element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** Horizontal bars, one per key: the median as a bar, the 90th percentile as a whisker, labels in words. */
export function decisionBars(rows, groupBy) {
  const answered = rows.filter((row) => row.decision_p50_seconds !== null);
  if (answered.length === 0) return [h('p', { class: 'muted' }, 'No inquiry was answered in this period.')];
  const top = answered.slice().sort((a, b) => b.decision_p50_seconds - a.decision_p50_seconds).slice(0, 50);
  const max = Math.max(...top.map((row) => row.decision_p90_seconds ?? row.decision_p50_seconds)) || 1;
  const rowHeight = 30;
  const labelWidth = 170;
  const width = 720;
  const plot = width - labelWidth - 90;
  const height = top.length * rowHeight + 10;
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', class: 'chart-svg',
    'aria-label': `Median time to decision by ${groupBy}: ${top.map((row) =>
      `${keyName(row.key, groupBy)} ${seconds(row.decision_p50_seconds)}`).join(', ')}`,
  });
  top.forEach((row, index) => {
    const y = index * rowHeight + 6;
    const p50 = (row.decision_p50_seconds / max) * plot;
    const p90 = ((row.decision_p90_seconds ?? row.decision_p50_seconds) / max) * plot;
    chart.append(svg('g', { class: 'bar', 'data-key': keyName(row.key, groupBy) },
      svg('text', { x: labelWidth - 8, y: y + 15, 'text-anchor': 'end', fill: '#1b2130', 'font-size': 13 },
        truncate(keyName(row.key, groupBy), 22)),
      svg('line', { x1: labelWidth, x2: labelWidth + p90, y1: y + 10, y2: y + 10, stroke: '#8c95a6', 'stroke-width': 2 }),
      svg('line', { x1: labelWidth + p90, x2: labelWidth + p90, y1: y + 4, y2: y + 16, stroke: '#8c95a6', 'stroke-width': 2 }),
      svg('rect', { x: labelWidth, y: y + 2, width: Math.max(2, p50), height: 16, rx: 3, fill: '#3b4cca' },
        svg('title', {}, `${keyName(row.key, groupBy)}: median ${seconds(row.decision_p50_seconds)}, `
          + `90th percentile ${seconds(row.decision_p90_seconds)} (${row.answered} answered)`)),
      svg('text', { x: labelWidth + p90 + 8, y: y + 15, fill: '#5a6372', 'font-size': 12 },
        `${seconds(row.decision_p50_seconds)} · p90 ${seconds(row.decision_p90_seconds)}`)));
  });
  return [chart];
}

/** One stacked 100% column per day: the share of each outcome among the inquiries created that day. */
export function outcomeColumns(days, from, dayCount) {
  const byDay = new Map(days.map((row) => [row.key, row]));
  const count = Number(dayCount);
  const width = 720;
  const height = 200;
  const left = 36;
  const plotHeight = height - 30;
  const step = (width - left) / count;
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', class: 'chart-svg',
    'aria-label': `Outcome shares per day over the last ${count} days`,
  });
  [0, 50, 100].forEach((share) => {
    const y = plotHeight - (share / 100) * (plotHeight - 6);
    chart.append(svg('line', { x1: left, x2: width, y1: y, y2: y, stroke: '#e2e5ea' }),
      svg('text', { x: left - 6, y: y + 4, 'text-anchor': 'end', fill: '#5a6372', 'font-size': 11 }, `${share}%`));
  });
  const start = new Date(from).getTime();
  for (let i = 0; i < count; i += 1) {
    const day = new Date(start + i * 86400000).toISOString().slice(0, 10);
    const row = byDay.get(day);
    const x = left + i * step + step * 0.15;
    const barWidth = Math.max(1, step * 0.7);
    const column = svg('g', { class: 'day', 'data-day': day });
    if (row && row.inquiries > 0) {
      let y = plotHeight;
      for (const [field, text, colour] of OUTCOMES) {
        const part = (row[field] / row.inquiries) * (plotHeight - 6);
        if (part <= 0) continue;
        y -= part;
        column.append(svg('rect', { x, y, width: barWidth, height: part, fill: colour, 'data-outcome': field },
          svg('title', {}, `${day}: ${text} ${row[field]} of ${row.inquiries} (${percent(row[field], row.inquiries)})`)));
      }
    }
    if (count <= 31 && (i % Math.ceil(count / 8) === 0 || i === count - 1)) {
      column.append(svg('text', { x: x + barWidth / 2, y: height - 8, 'text-anchor': 'middle', fill: '#5a6372',
        'font-size': 11 }, day.slice(5)));
    }
    chart.append(column);
  }
  return [chart];
}

function truncate(text, length) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

function figuresTable(rows, groupBy) {
  if (rows.length === 0) return h('p', { class: 'muted' }, 'No inquiry was created in this period.');
  const head = ['', 'Inquiries', 'Answered', 'Timed out', 'Defaulted', 'Cancelled', 'Escalated', 'Median', '90th pct'];
  return h('table', { class: 'figures' },
    h('thead', {}, h('tr', {}, head.map((text, i) => h('th', { scope: 'col', class: i ? 'num' : null },
      i ? text : label(GROUPINGS, groupBy))))),
    h('tbody', {}, rows.map((row) => h('tr', {},
      h('th', { scope: 'row' }, keyName(row.key, groupBy)),
      [row.inquiries, row.answered, row.timed_out, row.defaulted, row.cancelled, row.escalated]
        .map((value) => h('td', { class: 'num' }, String(value))),
      h('td', { class: 'num' }, seconds(row.decision_p50_seconds)),
      h('td', { class: 'num' }, seconds(row.decision_p90_seconds))))));
}

/** The same figures as CSV, from the API (Accept: text/csv), saved as a file. */
async function downloadCsv(filters, from, to, problem) {
  problem.hidden = true;
  try {
    const response = await fetch(`/api/v1/insights${queryString({ from, to, group_by: filters.groupBy })}`, {
      headers: { Accept: 'text/csv', Authorization: `Bearer ${currentSession()?.token}` },
      cache: 'no-store',
    });
    if (!response.ok) throw new Error(`The server answered ${response.status}.`);
    const url = URL.createObjectURL(await response.blob());
    const link = h('a', { href: url, download: `attune-insights-${filters.groupBy}-${from.slice(0, 10)}.csv` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (error) {
    problem.textContent = `The CSV could not be downloaded: ${error.message}`;
    problem.hidden = false;
  }
}
