// Renders any JSON value readably: objects as definition lists, arrays of objects as tables, lists as lists.
// Used for an execution's context (its result without __inquiry), responses and history details.

import { h } from './dom.js';
import { humanize } from './format.js';

const MAX_DEPTH = 6;
const BADGE_KEYS = new Set(['severity', 'level', 'priority', 'risk', 'status', 'impact']);

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isPrimitive(value) {
  return value === null || typeof value !== 'object';
}

/** The execution's context: its result without the `__inquiry` request (or outcome). */
export function contextOf(result) {
  if (!isPlainObject(result)) return result ?? null;
  const { __inquiry: _ignored, ...context } = result;
  return context;
}

/**
 * One section per top-level key ("Deployment plan", "Anomalies", …); a result that is not an object is shown whole.
 * `masked` is a set of top-level keys whose values are secrets.
 */
export function renderSections(value, { headingLevel = 3, masked = new Set(), labels = {} } = {}) {
  if (!isPlainObject(value)) return [h('div', { class: 'data-section' }, renderValue(value, 0))];
  return Object.entries(value).map(([key, item]) => h('section', { class: 'data-section' },
    h(`h${headingLevel}`, { class: 'data-heading' }, labels[key] ?? humanize(key)),
    masked.has(key) ? secretValue() : renderValue(item, 0, key)));
}

/** How a secret value is shown: as the API masks it. */
export function secretValue() {
  return h('span', { class: 'secret', title: 'Hidden: this field is marked as secret' }, '******** (hidden)');
}

/** Any JSON value as DOM. */
export function renderValue(value, depth = 0, key = '') {
  if (isPrimitive(value)) return renderPrimitive(value, key);
  if (depth >= MAX_DEPTH) return h('pre', { class: 'code' }, JSON.stringify(value, null, 2));
  if (Array.isArray(value)) return renderArray(value, depth, key);
  return renderObject(value, depth);
}

function renderPrimitive(value, key) {
  if (value === null) return h('span', { class: 'value-empty' }, 'none');
  if (typeof value === 'boolean') return h('span', { class: `value-boolean value-${value}` }, value ? 'Yes' : 'No');
  if (typeof value === 'number') return h('span', { class: 'value-number' }, String(value));
  const text = String(value);
  if (BADGE_KEYS.has(String(key).toLowerCase()) && /^[\w -]{1,24}$/.test(text)) {
    return h('span', { class: `tag tag-${text.toLowerCase().replace(/[^a-z0-9]+/g, '-')}` }, text);
  }
  if (/^https?:\/\/\S+$/i.test(text)) {
    return h('a', { href: text, rel: 'noopener noreferrer nofollow', target: '_blank' }, text);
  }
  if (text === '') return h('span', { class: 'value-empty' }, '(empty)');
  if (text.includes('\n')) return h('pre', { class: 'value-text' }, text);
  return h('span', { class: 'value-string' }, text);
}

function renderObject(object, depth) {
  // simple values first, then lists and nested objects: easier to scan (jsonb does not keep key order anyway)
  const entries = [...Object.entries(object)].sort(([, a], [, b]) => Number(!isPrimitive(a)) - Number(!isPrimitive(b)));
  if (entries.length === 0) return h('span', { class: 'value-empty' }, 'nothing');
  return h('dl', { class: `data-list depth-${depth}` }, entries.map(([key, item]) => h('div', { class: 'data-row' },
    h('dt', { title: key }, humanize(key)),
    h('dd', {}, renderValue(item, depth + 1, key)))));
}

function renderArray(array, depth, key) {
  if (array.length === 0) return h('span', { class: 'value-empty' }, 'none');
  if (array.every(isPrimitive)) {
    const ordered = array.length > 1 && array.every((item) => typeof item === 'string' && item.length > 40);
    return h(ordered ? 'ol' : 'ul', { class: ordered ? 'data-steps' : 'data-items' },
      array.map((item) => h('li', {}, renderPrimitive(item, key))));
  }
  if (array.every(isPlainObject)) return renderTable(array, depth, key);
  return h('ol', { class: 'data-items' }, array.map((item) => h('li', {}, renderValue(item, depth + 1, key))));
}

function renderTable(rows, depth, key) {
  const columns = [];
  for (const row of rows) {
    for (const column of Object.keys(row)) if (!columns.includes(column)) columns.push(column);
  }
  // what identifies a row comes first (jsonb does not keep the key order the action wrote)
  const identifying = (column) => /^(id|index|name)$|_(id|index)$/i.test(column);
  columns.sort((a, b) => Number(!identifying(a)) - Number(!identifying(b)));
  const table = h('table', { class: 'data-table' },
    h('thead', {}, h('tr', {}, columns.map((column) => h('th', { scope: 'col', title: column }, humanize(column))))),
    h('tbody', {}, rows.map((row) => h('tr', {}, columns.map((column) => h('td', {},
      Object.prototype.hasOwnProperty.call(row, column) ? renderValue(row[column], depth + 1, column) : ''))))));
  // narrow screens scroll the table, not the page; focusable so keyboards can scroll it too
  const name = key ? humanize(key) : 'Table';
  return h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': `${name} (table)` }, table);
}
