// One inquiry: prompt and facts, the execution's context, then either a form generated from response_schema (while
// pending; admins can also cancel) or the outcome, and the audit trail. It follows the live feed: when the inquiry is
// answered, times out or is cancelled elsewhere, the page shows the new state.

import { api, ApiError, isAdmin, myself } from './api.js';
import { contextOf, renderSections, renderValue, secretValue } from './data-view.js';
import { h, uniqueId } from './dom.js';
import {
  assigneeLabel, assigneeNames, assignmentPhrase, countdownElement, formatTime, humanize, isAssignee, relativeTime,
  statusBadge,
} from './format.js';
import { buildModel, collect, isSecret, renderForm } from './schema-form.js';
import { workflowPanel } from './workflow-view.js';

const HISTORY_TITLES = {
  created: 'Created', responded: 'Answered', timeout: 'Timed out', cancelled: 'Cancelled', reminder: 'Reminder',
  escalated: 'Escalated',
};
const CHANGED_ELSEWHERE = {
  responded: 'was answered', timeout: 'timed out', cancelled: 'was cancelled', escalated: 'was reassigned (escalated)',
};
const EXECUTION_PHRASES = {
  requested: 'is requested', running: 'is running', paused: 'is paused', completed: 'has completed',
  failed: 'failed', timeout: 'timed out', cancelled: 'was cancelled',
};

export function renderInquiry(container, ctx) {
  const id = ctx.params.id;
  const user = ctx.session.user;
  const timers = [];
  let disposed = false;
  let ownChange = false; // the feed is about to report our own answer or cancel: no "changed elsewhere" for it

  const stopListening = ctx.feed ? ctx.feed.subscribe((notification) => {
    if (notification.entity_type !== 'inquiry' || notification.entity !== String(id)) return;
    const content = notification.content ?? {};
    // our own answer or cancel is shown already; someone else's (another approval of a quorum) is not
    const ours = content.responded_by === user.id || content.cancelled_by === user.id
      || (content.responded_by === undefined && content.cancelled_by === undefined);
    if (notification.activity === 'created' || (ownChange && ours)) return;
    if (notification.activity === 'reminder') {
      show(); // the history gains its reminder entry; nothing else changed
      return;
    }
    if (notification.activity === 'updated') {
      const { approvals, approvals_required: required } = notification.content ?? {};
      show({ flash: { kind: 'info', text: `Someone approved this inquiry while you were viewing it`
        + (required ? ` (${approvals} of ${required} approvals).` : '.') } });
      return;
    }
    const what = CHANGED_ELSEWHERE[notification.activity] ?? 'changed';
    show({ flash: { kind: 'info', text: `This inquiry ${what} while you were viewing it.` } });
  }) : () => {};

  /** Loads the inquiry, its history and its execution, and shows them (with a message on top, if any). */
  async function show({ flash = null, focusHeading = false, focusFlash = false } = {}) {
    let inquiry;
    let history;
    try {
      [inquiry, history] = await Promise.all([
        api.get(`/api/v1/inquiries/${id}`).then((body) => body.data),
        api.get(`/api/v1/inquiries/${id}/history`).then((body) => body.data).catch(() => null),
      ]);
    } catch (error) {
      if (disposed || (error instanceof ApiError && error.status === 401)) return;
      container.replaceChildren(error instanceof ApiError && error.status === 404 ? notFound(id) : failed(error));
      focusHeadingOf(container);
      return;
    }
    const groups = (await myself()).groups ?? [];
    const execution = await api.get(`/api/v1/executions/${inquiry.execution}`)
      .then((body) => body.data).catch(() => null);
    // a question inside a workflow: show the workflow around it
    const workflow = execution?.parent
      ? await api.get(`/api/v1/executions/${execution.parent}/workflow`).then((body) => body.data).catch(() => null)
      : null;
    if (disposed) return;

    const flashElement = flash ? h('div', {
      class: `alert alert-${flash.kind}`, role: flash.kind === 'error' ? 'alert' : 'status', tabindex: '-1',
      'data-flash': '',
    }, flash.text) : null;
    const decision = inquiry.status === 'pending'
      ? answerPanel(inquiry, groups)
      : outcomePanel(inquiry, history, execution, user);
    container.replaceChildren(...[
      header(inquiry, execution, user),
      flashElement,
      // in reading order (context, decision, history): one column on small screens, two on wide ones
      h('div', { class: 'inquiry-layout' },
        h('div', { class: 'inquiry-context' }, contextPanel(inquiry, execution),
          workflow ? workflowPanel(workflow, inquiry.execution) : null),
        h('div', { class: 'inquiry-aside' }, quorumPanel(inquiry, history, user), decision),
        h('div', { class: 'inquiry-history' }, historyPanel(history, inquiry, user))),
    ].filter(Boolean));
    document.title = `${inquiry.prompt} · Attune`;
    if (focusFlash && flashElement) flashElement.focus();
    else if (focusHeading) focusHeadingOf(container);
  }

  function answerPanel(inquiry, groups) {
    const headingId = uniqueId('answer');
    const panel = h('section', { class: 'panel panel-answer', id: 'answer', 'aria-labelledby': headingId },
      h('h2', { id: headingId }, 'Your answer'));
    const mayAnswer = isAssignee(inquiry.assigned_to, user, groups);
    const answered = (inquiry.responses ?? []).some((answer) => answer.responded_by === user.id);
    if (answered) {
      // a quorum: each person answers once
      panel.append(h('p', { class: 'alert alert-info', 'data-already-answered': '' },
        'You have answered this inquiry; it waits for other people to answer.'));
    } else {
      panel.append(mayAnswer ? answerForm(inquiry) : h('p', { class: 'alert alert-info' },
        `This inquiry is a${assignmentPhrase(inquiry.assigned_to, user).slice(1)}; only they can answer it.`));
    }
    if (isAdmin(ctx.session)) panel.append(cancelControls(inquiry));
    return panel;
  }

  function answerForm(inquiry) {
    const schema = inquiry.response_schema;
    const model = buildModel(schema, { label: schema ? undefined : 'Response (a JSON object)' });
    const form = renderForm(model);
    const banner = h('div', { class: 'alert alert-error', role: 'alert', tabindex: '-1', hidden: true });
    const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true });
    const submit = h('button', { type: 'submit', class: 'button button-primary' }, 'Submit answer');
    const expired = h('p', { class: 'alert alert-warning', hidden: true },
      'The time to answer has passed: the inquiry is timing out.');
    const intro = schema && typeof schema.description === 'string' && schema.description
      ? h('p', { class: 'form-intro' }, schema.description) : null;
    const requiredNote = model.kind === 'object' && model.fields.some((field) => field.required)
      ? h('p', { class: 'muted small' }, 'Fields marked (required) must be answered.') : null;

    const element = h('form', {
      class: 'answer-form', novalidate: true, onsubmit: onSubmit,
      onkeydown: (event) => {
        // Ctrl+Enter (⌘+Enter) submits from a multi-line text area too
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          element.requestSubmit();
        }
      },
    }, intro, requiredNote, banner, summary, form.element, h('div', { class: 'form-actions' }, submit), expired);

    if (inquiry.timeout_at) {
      // the server refuses late answers; say so before anyone tries
      const closeForm = () => {
        submit.disabled = true;
        expired.hidden = false;
      };
      const left = new Date(inquiry.timeout_at).getTime() - Date.now();
      if (left <= 0) closeForm();
      else timers.push(setTimeout(closeForm, Math.min(left, 2 ** 31 - 1)));
    }

    function showProblems(problems, heading) {
      form.clearErrors();
      const unplaced = form.showErrors(problems);
      summary.replaceChildren(h('h3', {}, heading), h('ul', {}, problems.map((problem) => {
        const text = `${labelFor(model, problem.path)}${problem.message}`;
        const control = unplaced.includes(problem) ? null : form.controlFor(problem.path ?? '');
        return h('li', {}, control
          ? h('button', { type: 'button', class: 'link-button', onclick: () => control.focus() }, text)
          : text);
      })));
      summary.hidden = false;
      summary.focus();
    }

    async function onSubmit(event) {
      event.preventDefault();
      if (submit.disabled) return;
      banner.hidden = true;
      summary.hidden = true;
      form.clearErrors();
      const { value, problems } = collect(model, form);
      if (problems.length) {
        showProblems(problems, problems.length === 1
          ? 'There is a problem with your answer' : `There are ${problems.length} problems with your answer`);
        return;
      }
      submit.disabled = true;
      submit.textContent = 'Submitting…';
      element.setAttribute('aria-busy', 'true');
      ownChange = true;
      try {
        await api.post(`/api/v1/inquiries/${inquiry.id}/respond`, { response: value });
        ctx.announce('Your answer was submitted.');
        await show({
          flash: { kind: 'success', text: 'Your answer was recorded. The execution continues with it.' },
          focusFlash: true,
        });
      } catch (error) {
        ownChange = false;
        refused(error);
      } finally {
        if (element.isConnected) {
          submit.disabled = false;
          submit.textContent = 'Submit answer';
          element.removeAttribute('aria-busy');
        }
      }
    }

    function refused(error) {
      const status = error instanceof ApiError ? error.status : 0;
      if (status === 401) return; // the session ended: sign-in takes over
      if (status === 422) {
        showProblems(error.details.map((detail) => ({ path: detail.path ?? '', message: cleanMessage(detail) })),
          'The answer was not accepted');
      } else if (status === 409) {
        show({ flash: { kind: 'error', text: `Your answer was not recorded: ${error.message}` }, focusFlash: true });
      } else if (status === 404) {
        container.replaceChildren(notFound(id));
        focusHeadingOf(container);
      } else {
        banner.textContent = status === 403
          ? `You cannot answer this inquiry: ${error.message}`
          : `Your answer was not sent: ${error.message}`;
        banner.hidden = false;
        banner.focus();
      }
    }
    return element;
  }

  function cancelControls(inquiry) {
    const titleId = uniqueId('cancel-title');
    const error = h('p', { class: 'alert alert-error', role: 'alert', hidden: true });
    const keep = h('button', { type: 'button', class: 'button button-secondary' }, 'Keep it');
    const confirm = h('button', { type: 'button', class: 'button button-danger' }, 'Cancel inquiry');
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId },
      h('h2', { id: titleId }, 'Cancel this inquiry?'),
      h('p', {}, `Nobody will be able to answer it, and execution #${inquiry.execution} will be cancelled too. `
        + 'This cannot be undone.'),
      error,
      h('div', { class: 'dialog-actions' }, keep, confirm));
    const open = h('button', { type: 'button', class: 'button button-danger-quiet' }, 'Cancel inquiry…');

    open.addEventListener('click', () => {
      error.hidden = true;
      dialog.showModal();
      keep.focus(); // the safe choice has focus: Enter does not cancel by accident
    });
    keep.addEventListener('click', () => dialog.close());
    confirm.addEventListener('click', async () => {
      confirm.disabled = true;
      error.hidden = true;
      ownChange = true;
      try {
        await api.post(`/api/v1/inquiries/${inquiry.id}/cancel`);
        dialog.close();
        ctx.announce('The inquiry was cancelled.');
        await show({
          flash: { kind: 'success', text: `Inquiry cancelled. Execution #${inquiry.execution} was cancelled too.` },
          focusFlash: true,
        });
      } catch (problem) {
        ownChange = false;
        if (problem instanceof ApiError && problem.status === 401) return;
        error.textContent = `The inquiry was not cancelled: ${problem.message}`;
        error.hidden = false;
      } finally {
        confirm.disabled = false;
      }
    });
    return h('div', { class: 'admin-actions' },
      h('p', { class: 'muted small' }, 'As an administrator you can cancel this inquiry.'), open, dialog);
  }

  show({ focusHeading: true });
  return {
    title: `Inquiry #${id}`,
    focusLater: true, // the heading takes focus once the inquiry is loaded
    dispose() {
      disposed = true;
      stopListening();
      timers.forEach(clearTimeout);
    },
  };
}

function header(inquiry, execution, user) {
  const facts = [
    ['Status', inquiry.defaulted
      ? h('span', {}, statusBadge(inquiry.status), ' ', h('span', {
        class: 'badge badge-defaulted', 'data-defaulted': '',
        title: 'Nobody decided in time: the execution went on with the default answer',
      }, 'Defaulted'))
      : statusBadge(inquiry.status)],
    ['Assigned to', assigneeLabel(inquiry.assigned_to, user)],
    inquiry.status === 'pending'
      ? ['Time left', countdownElement(inquiry.timeout_at)]
      : ['Time limit', inquiry.timeout_at ? formatTime(inquiry.timeout_at) : 'None'],
    ['Created', h('time', { datetime: inquiry.created, title: formatTime(inquiry.created) },
      `${formatTime(inquiry.created)} (${relativeTime(inquiry.created)})`)],
    ['Execution', `#${inquiry.execution}${execution ? ` · ${execution.status}` : ''}`],
  ];
  return h('header', { class: 'inquiry-header' },
    h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/inbox' }, '← Inbox')),
    h('p', { class: 'eyebrow' }, `Inquiry #${inquiry.id}`, execution ? ` · ${execution.action_ref}` : ''),
    h('h1', { tabindex: '-1' }, inquiry.prompt),
    h('dl', { class: 'facts' }, facts.map(([term, value]) => h('div', { class: 'fact' },
      h('dt', {}, term), h('dd', {}, value)))));
}

function contextPanel(inquiry, execution) {
  const headingId = uniqueId('context');
  const panel = h('section', { class: 'panel', 'aria-labelledby': headingId }, h('h2', { id: headingId }, 'Context'));
  if (!execution) {
    panel.append(h('p', { class: 'muted' }, `The details of execution #${inquiry.execution} could not be loaded.`));
    return panel;
  }
  const context = contextOf(execution.result);
  const empty = context === null || (typeof context === 'object' && Object.keys(context).length === 0);
  panel.append(
    empty
      ? h('p', { class: 'muted' }, 'The action reported nothing besides its question.')
      : h('div', { class: 'data-sections' }, renderSections(context)),
    h('details', { class: 'execution-details' },
      h('summary', {}, 'Execution details'),
      h('dl', { class: 'data-list' },
        row('Action', execution.action_ref),
        row('Status', execution.status),
        row('Started', formatTime(execution.created)),
        row('Updated', formatTime(execution.updated)),
        row('Parameters', renderValue(execution.parameters ?? {}))),
      h('details', { class: 'raw-json' }, h('summary', {}, 'Result as JSON'),
        h('pre', { class: 'code' }, JSON.stringify(execution.result, null, 2)))));
  return panel;
}

function outcomePanel(inquiry, history, execution, user) {
  const entry = (history ?? []).find((item) => item.action === inquiry.status);
  const headingId = uniqueId('outcome');
  const when = (iso) => h('time', { datetime: iso, title: relativeTime(iso) }, formatTime(iso));
  // right after an answer the executor has yet to resume the execution: it is still paused, for a moment
  const phrase = inquiry.status === 'responded' && execution?.status === 'paused'
    ? 'resumes with this answer' : EXECUTION_PHRASES[execution?.status] ?? `is ${execution?.status}`;
  const executionNote = execution ? ` Execution #${inquiry.execution} ${phrase}.` : '';
  const panel = h('section', {
    class: `panel panel-outcome outcome-${inquiry.status}`, 'aria-labelledby': headingId,
  });
  if (inquiry.status === 'responded') {
    const who = entry?.actor ?? (inquiry.responded_by ? `user #${inquiry.responded_by}` : 'someone');
    const you = inquiry.responded_by === user.id ? ' (you)' : '';
    panel.append(
      h('h2', { id: headingId }, 'Answered'),
      h('p', { class: 'outcome-line' }, 'By ', h('strong', {}, who + you), ' on ',
        when(inquiry.responded_at ?? entry?.occurred), '.', executionNote),
      h('h3', { class: 'outcome-subheading' }, 'The answer'),
      responseView(inquiry.response, inquiry.response_schema));
  } else if (inquiry.status === 'timeout' && inquiry.defaulted) {
    panel.append(
      h('h2', { id: headingId }, 'Timed out: default answer used'),
      h('p', { class: 'outcome-line' }, 'Nobody decided before ', when(inquiry.timeout_at ?? entry?.occurred),
        ', so the execution went on with the default answer.', executionNote),
      h('h3', { class: 'outcome-subheading' }, 'The default answer'),
      responseView(inquiry.on_timeout?.response, inquiry.response_schema));
  } else if (inquiry.status === 'timeout') {
    panel.append(
      h('h2', { id: headingId }, 'Timed out'),
      h('p', { class: 'outcome-line' }, 'Nobody answered before ', when(inquiry.timeout_at ?? entry?.occurred), '.',
        executionNote));
  } else {
    panel.append(
      h('h2', { id: headingId }, 'Cancelled'),
      h('p', { class: 'outcome-line' }, 'By ', h('strong', {}, entry?.actor ?? 'an administrator'),
        entry ? [' on ', when(entry.occurred)] : null, '.', executionNote));
  }
  panel.append(h('p', { class: 'muted small' }, 'This inquiry no longer takes answers.'));
  return panel;
}

function historyPanel(history, inquiry, user) {
  const headingId = uniqueId('history');
  const panel = h('section', { class: 'panel', 'aria-labelledby': headingId }, h('h2', { id: headingId }, 'History'));
  if (!history) {
    panel.append(h('p', { class: 'muted' }, 'The history could not be loaded.'));
    return panel;
  }
  panel.append(h('ol', { class: 'timeline' }, history.map((entry) => {
    const actor = entry.actor === 'system' || !entry.actor ? 'Attune' : entry.actor;
    const you = entry.actor_id !== null && entry.actor_id === user.id ? ' (you)' : '';
    return h('li', { class: `timeline-item timeline-${entry.action}` },
      h('p', { class: 'timeline-head' },
        h('strong', {}, HISTORY_TITLES[entry.action] ?? entry.action), ' by ', `${actor}${you}`, ' · ',
        h('time', { datetime: entry.occurred, title: relativeTime(entry.occurred) }, formatTime(entry.occurred))),
      historyDetails(entry, inquiry, user));
  })));
  return panel;
}

function historyDetails(entry, inquiry, user) {
  const details = entry.details ?? {};
  if (entry.action === 'created') {
    const limit = details.timeout_at ? `answer by ${formatTime(details.timeout_at)}` : 'no time limit';
    return h('p', { class: 'timeline-detail' }, `${assignmentPhrase(details.assigned_to ?? null, user)}; ${limit}.`);
  }
  if (entry.action === 'escalated') {
    return h('p', { class: 'timeline-detail' }, `Step ${details.step ?? '?'}: `
      + `a${assignmentPhrase(details.assigned_to ?? null, user).slice(1)} `
      + `(was ${assigneeNames(details.previous_assigned_to ?? null, user)}).`);
  }
  if (entry.action === 'responded' && details.response !== undefined) {
    const quorum = details.quorum
      ? h('p', { class: 'muted small' }, details.status === 'pending'
        ? `Approval ${details.quorum.approvals} of ${details.quorum.approvals_required}; still pending.`
        : `Decided ${details.quorum.decided_by === 'rejection' ? 'by this rejection' : 'by this approval'} `
          + `(${details.quorum.approvals} of ${details.quorum.approvals_required} approvals).`)
      : null;
    return h('div', { class: 'timeline-detail' }, quorum, responseView(details.response, inquiry.response_schema));
  }
  if (entry.action === 'reminder') {
    const limit = details.timeout_at ? ` The answer is due by ${formatTime(details.timeout_at)}.` : '';
    return h('p', { class: 'timeline-detail' }, `Reminder #${details.reminder ?? '?'}: still waiting for an answer.${limit}`);
  }
  if (entry.action === 'timeout' && details.defaulted) {
    return h('div', { class: 'timeline-detail' },
      h('p', {}, 'Nobody decided in time; the execution went on with the default answer:'),
      responseView(details.response, inquiry.response_schema));
  }
  return null;
}

/**
 * With approvals_required > 1: how many approvals the inquiry has, who gave each (or rejected it), and how many are
 * still needed. The names come from the history's entries, the answers from the inquiry's responses.
 */
function quorumPanel(inquiry, history, user) {
  const required = inquiry.approvals_required ?? 1;
  if (required <= 1) return null;
  const names = new Map((history ?? []).filter((e) => e.action === 'responded' && e.actor_id !== null)
    .map((e) => [e.actor_id, e.actor]));
  const field = inquiry.decision_field;
  const valueAt = (answer) => {
    let value = answer;
    for (const step of (field ?? '').split('/').slice(1)) value = value?.[step.replace(/~1/g, '/').replace(/~0/g, '~')];
    return value;
  };
  const answers = inquiry.responses ?? [];
  const approvals = answers.filter((a) => !field || valueAt(a.response) === true).length;
  const needed = Math.max(0, required - approvals);
  const headingId = uniqueId('quorum');
  const progress = h('progress', { max: String(required), value: String(Math.min(approvals, required)),
    'aria-labelledby': headingId });
  const status = inquiry.status !== 'pending' ? null
    : h('p', { class: 'quorum-needed', 'data-quorum-needed': String(needed) },
      needed === 1 ? '1 more approval needed.' : `${needed} more approvals needed.`);
  return h('section', { class: 'panel panel-quorum', 'aria-labelledby': headingId, 'data-quorum': '' },
    h('h2', { id: headingId }, `Approvals: ${approvals} of ${required}`),
    progress,
    field ? h('p', { class: 'muted small' }, `One "no" at ${field} rejects it at once.`) : null,
    answers.length === 0 ? h('p', { class: 'muted' }, 'Nobody has answered yet.')
      : h('ul', { class: 'quorum-list' }, answers.map((answer) => {
        const who = names.get(answer.responded_by) ?? `user #${answer.responded_by}`;
        const you = answer.responded_by === user.id ? ' (you)' : '';
        const verdict = field ? (valueAt(answer.response) === true ? 'approved' : 'rejected') : 'answered';
        return h('li', { class: `quorum-${verdict}`, 'data-responded-by': String(answer.responded_by) },
          h('strong', {}, who + you), ` ${verdict} · `,
          h('time', { datetime: answer.responded_at }, formatTime(answer.responded_at)));
      })),
    status);
}

/**
 * A response with the schema's titles as labels; secret fields stay hidden. The API already masks `secret: true`
 * values (nested ones show as its "********"); `writeOnly` and `format: password` values are hidden here only.
 */
function responseView(response, schema) {
  if (!response || typeof response !== 'object' || Array.isArray(response)) {
    return h('div', { class: 'data-sections' }, renderSections(response));
  }
  const properties = schema && schema.properties && typeof schema.properties === 'object' ? schema.properties : {};
  return h('dl', { class: 'data-list' }, Object.entries(response).map(([name, value]) => {
    const property = properties[name] ?? {};
    return row(typeof property.title === 'string' ? property.title : humanize(name),
      isSecret(property) ? secretValue() : renderValue(value, 1, name));
  }));
}

function row(term, value) {
  return h('div', { class: 'data-row' },
    h('dt', {}, term), h('dd', {}, value instanceof Node ? value : String(value ?? '')));
}

/** The field's label for an error summary line ("Approve this deployment: "), or nothing for the whole answer. */
function labelFor(model, path) {
  if (!path) return '';
  let field = model;
  const labels = [];
  for (const segment of path.split('/').slice(1).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    if (field.kind === 'object') {
      field = field.fields.find((child) => child.name === segment);
      if (!field) break;
      labels.push(field.label);
    } else if (field.kind === 'array') {
      labels.push(`item ${Number(segment) + 1}`);
      field = field.item;
    } else {
      break;
    }
  }
  return labels.length ? `${labels.join(', ')}: ` : `${path}: `;
}

/** The server's 422 message without a repeated path prefix ("/approved: …"). */
function cleanMessage(detail) {
  const message = String(detail.message ?? '');
  const prefix = `${detail.path}: `;
  return detail.path && message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

function notFound(id) {
  return h('div', { class: 'not-found' },
    h('h1', { tabindex: '-1' }, 'Inquiry not found'),
    h('p', {}, `There is no inquiry #${id} that you can see. It may not exist, or it may be assigned to someone else.`),
    h('p', {}, h('a', { href: '#/inbox', class: 'button button-secondary' }, 'Back to the inbox')));
}

function failed(error) {
  return h('div', { class: 'not-found' },
    h('h1', { tabindex: '-1' }, 'This inquiry could not be loaded'),
    h('p', { class: 'alert alert-error' }, error.message),
    h('p', {}, h('a', { href: '#/inbox', class: 'button button-secondary' }, 'Back to the inbox')));
}

function focusHeadingOf(container) {
  container.querySelector('h1')?.focus();
}
