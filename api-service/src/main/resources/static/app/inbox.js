// The inbox: the inquiries the user may see (the API applies visibility), newest first, filtered by status and
// "assigned to me", kept current by the notifier's WebSocket without a reload. Pending inquiries can be selected and
// answered at once (POST /api/v1/inquiries/bulk) when they ask for the same answer (equal schemas).

import { api, ApiError, myself, query as queryString } from './api.js';
import { h, uniqueId } from './dom.js';
import {
  assignees, assignmentPhrase, countdownElement, formatTime, isAssignee, relativeTime, statusBadge, STATUS_LABELS,
} from './format.js';
import { buildModel, collect, renderForm } from './schema-form.js';

const PER_PAGE = 25;
const STATUS_FILTERS = [
  ['pending', 'Pending'],
  ['responded', 'Answered'],
  ['timeout', 'Timed out'],
  ['cancelled', 'Cancelled'],
  ['all', 'All'],
];
const ACTIVITY_WORDS = {
  responded: 'was answered', timeout: 'timed out', cancelled: 'was cancelled', escalated: 'was reassigned',
  updated: 'received an approval', reminder: 'is still waiting for an answer',
};
const BULK_LIMIT = 100;

/** Filters from the route's query: status (default pending), mine, page. */
export function inboxFilters(query) {
  const status = STATUS_FILTERS.some(([value]) => value === query.get('status')) ? query.get('status') : 'pending';
  const page = Math.max(1, Number.parseInt(query.get('page') ?? '1', 10) || 1);
  return { status, mine: query.get('mine') === '1', page };
}

function routeFor(filters) {
  const params = new URLSearchParams();
  if (filters.status !== 'pending') params.set('status', filters.status);
  if (filters.mine) params.set('mine', '1');
  if (filters.page > 1) params.set('page', String(filters.page));
  const text = params.toString();
  return `#/inbox${text ? `?${text}` : ''}`;
}

/**
 * Whether an inquiry with this status and assignee belongs in the list the filters describe ("assigned to me": the
 * user is listed, or is a member of a listed group).
 */
export function matches(filters, status, assignedTo, user, groups = []) {
  return (filters.status === 'all' || filters.status === status)
    && (!filters.mine || (assignees(assignedTo).length > 0 && isAssignee(assignedTo, user, groups)));
}

/** JSON with sorted keys: two schemas that differ only in key order are the same question. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function renderInbox(container, { session, feed, query, announce }) {
  const user = session.user;
  const filters = inboxFilters(query);
  const rows = new Map(); // id → {summary, element}
  let total = 0;
  let pages = 0;
  let loaded = false;
  let queued = [];
  let loadSequence = 0;
  let missedOnOtherPages = 0;
  const lastKnownStatus = new Map(); // id → status from the newest notification
  const selected = new Set(); // ids of pending inquiries chosen for a bulk answer
  let groups = [];

  const list = h('ol', { class: 'inquiry-list', 'aria-labelledby': 'inbox-heading' });
  const count = h('p', { class: 'result-count', role: 'status' });
  const empty = h('div', { class: 'empty-state', hidden: true });
  const problem = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
  const newer = h('div', { class: 'alert alert-info', hidden: true });
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages', hidden: true });
  const bulkBar = h('div', { class: 'bulk-bar', hidden: true });
  const bulkPanel = h('section', { class: 'panel bulk-panel', hidden: true, 'aria-label': 'Answer selected' });

  const statusChoices = h('div', { class: 'segmented', role: 'radiogroup', 'aria-label': 'Status' },
    STATUS_FILTERS.map(([value, label]) => {
      const id = `status-${value}`;
      return h('span', { class: 'segment' },
        h('input', { type: 'radio', name: 'status', id, value, checked: filters.status === value,
          onchange: () => changeFilters({ status: value, page: 1 }) }),
        h('label', { for: id }, label));
    }));
  const mine = h('input', { type: 'checkbox', id: 'filter-mine', checked: filters.mine,
    onchange: () => changeFilters({ mine: mine.checked, page: 1 }) });
  const refresh = h('button', { type: 'button', class: 'button button-secondary button-small',
    onclick: () => load({ announceResult: true }) }, 'Refresh');

  container.append(
    h('div', { class: 'page-header' },
      h('div', {},
        h('h1', { id: 'inbox-heading', tabindex: '-1' }, 'Inbox'),
        h('p', { class: 'muted' }, 'Inquiries you may answer, newest first. New ones appear here as they arrive.'))),
    h('div', { class: 'filters' },
      h('fieldset', { class: 'filter-status' }, h('legend', { class: 'visually-hidden' }, 'Status'), statusChoices),
      h('div', { class: 'filter-extra' },
        h('div', { class: 'checkbox' }, mine, h('label', { for: 'filter-mine' }, 'Assigned to me')),
        refresh)),
    problem, newer, count, bulkBar, bulkPanel, list, empty, pager);

  function changeFilters(change) {
    Object.assign(filters, change);
    history.replaceState(null, '', routeFor(filters));
    missedOnOtherPages = 0;
    load({ announceResult: true });
  }

  async function load({ announceResult = false } = {}) {
    const sequence = ++loadSequence;
    groups = (await myself()).groups ?? [];
    loaded = false;
    container.setAttribute('aria-busy', 'true');
    try {
      const page = await api.get(`/api/v1/inquiries${queryString({
        status: filters.status === 'all' ? null : filters.status,
        assigned_to: filters.mine ? user.id : null,
        page: filters.page,
        per_page: PER_PAGE,
      })}`);
      if (sequence !== loadSequence) return; // a newer load is on its way
      problem.hidden = true;
      rows.clear();
      list.replaceChildren();
      selected.clear();
      page.data.forEach((summary) => addRow(summary, { fresh: false }));
      total = page.total;
      pages = page.pages;
      loaded = true;
      const waiting = queued;
      queued = [];
      waiting.forEach(apply);
      renderMeta();
      renderBulkBar();
      if (announceResult) announce(count.textContent);
    } catch (error) {
      if (sequence !== loadSequence) return;
      if (error instanceof ApiError && error.status === 401) return; // the session ended: sign-in takes over
      problem.textContent = `The inbox could not be loaded: ${error.message}`;
      problem.hidden = false;
    } finally {
      if (sequence === loadSequence) container.removeAttribute('aria-busy');
    }
  }

  function renderMeta() {
    const shown = rows.size;
    const status = filters.status === 'all' ? '' : `${STATUS_LABELS[filters.status].toLowerCase()} `;
    const noun = total === 1 ? 'inquiry' : 'inquiries';
    count.textContent = total === 0 ? '' : `${total} ${status}${noun}${filters.mine ? ' assigned to you' : ''}`;
    empty.hidden = shown > 0;
    empty.replaceChildren(...(filters.status === 'pending'
      ? [h('p', { class: 'empty-title' }, 'Nothing is waiting for you.'),
        h('p', { class: 'muted' }, 'New inquiries will appear here as soon as they are created.')]
      : [h('p', { class: 'empty-title' }, 'No inquiries match these filters.')]));
    pager.hidden = pages <= 1;
    pager.replaceChildren(
      h('a', { class: 'button button-secondary button-small', href: routeFor({ ...filters, page: filters.page - 1 }),
        'aria-disabled': filters.page <= 1 ? 'true' : null, hidden: filters.page <= 1 }, '← Newer'),
      h('span', { class: 'pager-position' }, `Page ${filters.page} of ${Math.max(pages, 1)}`),
      h('a', { class: 'button button-secondary button-small', href: routeFor({ ...filters, page: filters.page + 1 }),
        hidden: filters.page >= pages }, 'Older →'));
    newer.hidden = missedOnOtherPages === 0;
    newer.replaceChildren(`${missedOnOtherPages} new ${missedOnOtherPages === 1 ? 'inquiry' : 'inquiries'} arrived. `,
      h('a', { href: routeFor({ ...filters, page: 1 }) }, 'Show the newest'));
  }

  function addRow(summary, { fresh }) {
    const link = h('a', { class: 'card-title', href: `#/inquiries/${summary.id}` }, summary.prompt);
    const pick = summary.status === 'pending' ? h('input', {
      type: 'checkbox', class: 'bulk-select', id: `select-${summary.id}`, checked: selected.has(summary.id),
      'aria-label': `Select inquiry #${summary.id} to answer several at once`,
      onchange: (event) => {
        if (event.target.checked) selected.add(summary.id);
        else selected.delete(summary.id);
        renderBulkBar();
      },
    }) : null;
    const side = h('div', { class: 'card-side' }, pick, statusBadge(summary.status),
      summary.status === 'pending' ? countdownElement(summary.timeout_at) : null);
    const element = h('li', { class: `inquiry-card status-${summary.status}${fresh ? ' is-new' : ''}`,
      dataset: { id: String(summary.id), status: summary.status } },
    h('div', { class: 'card-main' }, link,
      h('p', { class: 'card-meta' },
        h('span', {}, `#${summary.id}`),
        summary.workflow
          ? h('span', { class: 'card-workflow' }, 'Workflow ',
            h('a', { href: `#/executions/${summary.workflow.execution}` }, summary.workflow.ref))
          : h('span', {}, `Execution #${summary.execution}`),
        h('span', {}, assignmentPhrase(summary.assigned_to, user)),
        h('span', {}, 'Created ', h('time', { datetime: summary.created, title: formatTime(summary.created) },
          relativeTime(summary.created))))),
    side);
    // newest first: before the first row with a smaller id
    const before = [...rows.values()].filter((row) => row.summary.id < summary.id)
      .sort((a, b) => b.summary.id - a.summary.id)[0];
    list.insertBefore(element, before ? before.element : null);
    rows.set(summary.id, { summary, element });
    while (rows.size > PER_PAGE) {
      const oldest = Math.min(...rows.keys());
      rows.get(oldest).element.remove();
      rows.delete(oldest);
    }
  }

  function removeRow(id) {
    const row = rows.get(id);
    if (!row) return;
    row.element.remove();
    rows.delete(id);
    if (selected.delete(id)) renderBulkBar();
  }

  function renderBulkBar() {
    bulkBar.hidden = selected.size === 0;
    bulkBar.replaceChildren(
      h('span', { role: 'status' }, `${selected.size} selected`),
      h('button', { type: 'button', class: 'button button-primary button-small', id: 'bulk-answer',
        disabled: selected.size > BULK_LIMIT, onclick: openBulk }, 'Answer selected…'),
      h('button', { type: 'button', class: 'button button-secondary button-small', onclick: clearSelection },
        'Clear selection'));
  }

  function clearSelection() {
    selected.clear();
    rows.forEach((row) => {
      const box = row.element.querySelector('.bulk-select');
      if (box) box.checked = false;
    });
    renderBulkBar();
    bulkPanel.hidden = true;
  }

  /** One form for the selected inquiries when they ask the same question (equal schemas); else says why not. */
  async function openBulk() {
    const ids = [...selected].sort((a, b) => b - a);
    const headingId = uniqueId('bulk');
    bulkPanel.hidden = false;
    bulkPanel.replaceChildren(h('h2', { id: headingId }, `Answer ${ids.length} inquiries`), h('p', {}, 'Loading…'));
    let inquiries;
    try {
      inquiries = await Promise.all(ids.map((id) => api.get(`/api/v1/inquiries/${id}`).then((body) => body.data)));
    } catch (error) {
      bulkPanel.replaceChildren(h('h2', { id: headingId }, 'Answer selected'),
        h('p', { class: 'alert alert-error', role: 'alert' }, `The selected inquiries could not be loaded: ${error.message}`));
      return;
    }
    const schemas = new Set(inquiries.map((inquiry) => canonical(inquiry.response_schema)));
    if (schemas.size > 1) {
      bulkPanel.replaceChildren(h('h2', { id: headingId }, 'Answer selected'),
        h('p', { class: 'alert alert-warning', role: 'alert', id: 'bulk-different' },
          `These ${ids.length} inquiries ask for different answers (their response schemas differ), so one form cannot `
          + 'answer them all. Select inquiries that ask the same question, or answer them one by one.'));
      return;
    }
    const schema = inquiries[0].response_schema;
    const model = buildModel(schema, { label: schema ? undefined : 'Response (a JSON object)' });
    const form = renderForm(model);
    const results = h('ul', { class: 'bulk-results', id: 'bulk-results' });
    const problems = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
    const submit = h('button', { type: 'submit', class: 'button button-primary' },
      `Submit this answer to ${ids.length} inquiries`);
    const element = h('form', { class: 'answer-form', novalidate: true, onsubmit: async (event) => {
      event.preventDefault();
      form.clearErrors();
      problems.hidden = true;
      const { value, problems: found } = collect(model, form);
      if (found.length) {
        form.showErrors(found);
        problems.textContent = `There ${found.length === 1 ? 'is a problem' : `are ${found.length} problems`} with the answer.`;
        problems.hidden = false;
        return;
      }
      submit.disabled = true;
      try {
        const body = await api.post('/api/v1/inquiries/bulk', { action: 'respond', ids, response: value });
        results.replaceChildren(...body.data.map((result) => h('li', {
          class: result.status === 200 ? 'bulk-ok' : 'bulk-refused', dataset: { id: String(result.id), status: String(result.status) },
        }, h('a', { href: `#/inquiries/${result.id}` }, `#${result.id}`), ': ', result.status === 200 ? 'answered'
          : `not answered (${result.status}) — ${result.error ?? ''}${(result.details ?? []).map((d) => ` ${d.path}: ${d.message}`).join(';')}`)));
        const answered = body.data.filter((result) => result.status === 200).length;
        announce(`${answered} of ${ids.length} inquiries answered.`);
        selected.clear();
        renderBulkBar();
        bulkPanel.hidden = false;
        load();
      } catch (error) {
        problems.textContent = `The answers were not sent: ${error.message}`;
        problems.hidden = false;
      } finally {
        submit.disabled = false;
      }
    } }, problems, form.element, h('div', { class: 'form-actions' }, submit));
    bulkPanel.replaceChildren(h('h2', { id: headingId }, `Answer ${ids.length} inquiries at once`),
      h('p', { class: 'muted' }, `The same answer goes to each of #${ids.join(', #')}; each is decided on its own.`),
      element, results);
  }

  async function apply(notification) {
    const id = Number(notification.entity);
    const content = notification.content ?? {};
    lastKnownStatus.set(id, content.status);
    const belongs = matches(filters, content.status, content.assigned_to ?? null, user, groups);
    if (rows.has(id)) {
      if (belongs) {
        replace(id, { ...rows.get(id).summary, status: content.status, assigned_to: content.assigned_to ?? null,
          has_response: content.status === 'responded' });
      } else {
        removeRow(id);
        total = Math.max(0, total - 1);
      }
      if (notification.activity !== 'created') {
        announce(`Inquiry #${id} ${ACTIVITY_WORDS[notification.activity] ?? 'changed'}.`);
      }
      renderMeta();
      return;
    }
    if (!belongs) return;
    if (filters.page > 1) {
      missedOnOtherPages += 1;
      total += 1;
      renderMeta();
      return;
    }
    try {
      const fetched = (await api.get(`/api/v1/inquiries/${id}`)).data;
      // the inquiry may have moved on meanwhile; a status only ever moves on from pending, so the later one wins
      const known = lastKnownStatus.get(id);
      const detail = known && known !== 'pending' ? { ...fetched, status: known } : fetched;
      if (rows.has(id) || !matches(filters, detail.status, detail.assigned_to ?? null, user, groups)) return;
      addRow(detail, { fresh: true });
      total += 1;
      renderMeta();
      if (notification.activity === 'created') announce(`New inquiry: ${detail.prompt}`);
    } catch {
      // not visible after all, or the API is briefly away: the next load shows the truth
    }
  }

  function replace(id, summary) {
    const focused = rows.get(id).element.contains(document.activeElement);
    removeRow(id);
    addRow(summary, { fresh: false });
    if (focused) rows.get(id)?.element.querySelector('a')?.focus();
  }

  const stopListening = feed ? feed.subscribe((notification) => {
    if (notification.entity_type !== 'inquiry') return;
    if (loaded) apply(notification);
    else queued.push(notification);
  }) : () => {};
  // A connection that could not resume (the first one, or one after the last id was lost) may have missed changes
  // while the list was loading: load again once it is live.
  let firstStatus = true;
  const stopWatching = feed ? feed.watchStatus((status, { resumed }) => {
    if (firstStatus) {
      firstStatus = false;
      return;
    }
    if (status === 'live' && !resumed) load();
  }) : () => {};

  load();
  return {
    title: 'Inbox',
    dispose() {
      loadSequence += 1;
      stopListening();
      stopWatching();
    },
  };
}
