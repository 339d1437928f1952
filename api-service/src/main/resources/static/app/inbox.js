// The inbox: the inquiries the user may see (the API applies visibility), newest first, filtered by status and
// "assigned to me", kept current by the notifier's WebSocket without a reload.

import { api, ApiError, query as queryString } from './api.js';
import { h } from './dom.js';
import { assignmentPhrase, countdownElement, formatTime, relativeTime, statusBadge, STATUS_LABELS } from './format.js';

const PER_PAGE = 25;
const STATUS_FILTERS = [
  ['pending', 'Pending'],
  ['responded', 'Answered'],
  ['timeout', 'Timed out'],
  ['cancelled', 'Cancelled'],
  ['all', 'All'],
];
const ACTIVITY_WORDS = {
  responded: 'was answered', timeout: 'timed out', cancelled: 'was cancelled',
  updated: 'received an approval', reminder: 'is still waiting for an answer',
};

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

/** Whether an inquiry with this status and assignee belongs in the list the filters describe. */
export function matches(filters, status, assignedTo, user) {
  return (filters.status === 'all' || filters.status === status) && (!filters.mine || assignedTo === user.id);
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

  const list = h('ol', { class: 'inquiry-list', 'aria-labelledby': 'inbox-heading' });
  const count = h('p', { class: 'result-count', role: 'status' });
  const empty = h('div', { class: 'empty-state', hidden: true });
  const problem = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
  const newer = h('div', { class: 'alert alert-info', hidden: true });
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages', hidden: true });

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
    problem, newer, count, list, empty, pager);

  function changeFilters(change) {
    Object.assign(filters, change);
    history.replaceState(null, '', routeFor(filters));
    missedOnOtherPages = 0;
    load({ announceResult: true });
  }

  async function load({ announceResult = false } = {}) {
    const sequence = ++loadSequence;
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
      page.data.forEach((summary) => addRow(summary, { fresh: false }));
      total = page.total;
      pages = page.pages;
      loaded = true;
      const waiting = queued;
      queued = [];
      waiting.forEach(apply);
      renderMeta();
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
    const side = h('div', { class: 'card-side' }, statusBadge(summary.status),
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
  }

  async function apply(notification) {
    const id = Number(notification.entity);
    const content = notification.content ?? {};
    lastKnownStatus.set(id, content.status);
    const belongs = matches(filters, content.status, content.assigned_to ?? null, user);
    if (rows.has(id)) {
      if (belongs) {
        replace(id, { ...rows.get(id).summary, status: content.status, has_response: content.status === 'responded' });
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
      if (rows.has(id) || !matches(filters, detail.status, detail.assigned_to ?? null, user)) return;
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
